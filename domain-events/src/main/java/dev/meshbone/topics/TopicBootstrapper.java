package dev.meshbone.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the declared topics exist. Every app runs it at start: missing topics are created with
 * their declared partitions and configs; existing ones are tolerated, but one that contradicts its
 * declaration stops the start with a {@link TopicContradictionException} saying what differs and
 * how to fix it. Running it twice, or from several apps at once, is safe.
 *
 * <p>A contradiction is a different {@code cleanup.policy}, or a different partition count where
 * the spec demands an exact one. Fewer partitions than declared elsewhere, or another retention,
 * are logged as warnings: operators tune those on real clusters.
 */
public final class TopicBootstrapper {
  private static final Logger LOG = LoggerFactory.getLogger(TopicBootstrapper.class);

  private final Admin admin;
  private final short replicationFactor;
  private final Duration timeout;

  /**
   * @param admin a connected admin client; not closed by this class
   * @param replicationFactor for new topics: 1 on a single broker, typically 3 on a cluster
   * @param timeout for each admin round trip
   */
  public TopicBootstrapper(Admin admin, short replicationFactor, Duration timeout) {
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("replication factor must be at least 1");
    }
    this.admin = admin;
    this.replicationFactor = replicationFactor;
    this.timeout = timeout;
  }

  /** What {@link #ensure} did: the topics it created and the warnings it logged. */
  public record Result(List<String> created, List<String> warnings) {}

  /**
   * Creates the missing topics and checks the existing ones.
   *
   * @throws TopicContradictionException if an existing topic contradicts its spec
   * @throws KafkaException if the cluster cannot be reached within the timeout
   */
  public Result ensure(Collection<? extends TopicSpec<?, ?>> specs) {
    return ensure(specs, await(admin.listTopics().names(), "list topics"));
  }

  /**
   * {@link #ensure(Collection)} with the caller's view of which topics exist, so no listing of
   * every topic: for a caller that creates topics often on a cluster with thousands (the
   * validator's product-topic provisioner). A topic missing from {@code existing} that exists after
   * all is checked like any existing one.
   */
  public Result ensure(Collection<? extends TopicSpec<?, ?>> specs, Set<String> existing) {
    Map<String, TopicSpec<?, ?>> byName = new LinkedHashMap<>();
    for (TopicSpec<?, ?> spec : specs) {
      byName.put(spec.name(), spec);
    }

    List<NewTopic> toCreate =
        byName.values().stream()
            .filter(s -> !existing.contains(s.name()))
            .map(
                s ->
                    new NewTopic(
                            s.name(), Optional.of(s.partitions()), Optional.of(replicationFactor))
                        .configs(s.configs()))
            .toList();
    List<String> created = new ArrayList<>();
    if (!toCreate.isEmpty()) {
      Map<String, KafkaFuture<Void>> results = new LinkedHashMap<>();
      for (List<NewTopic> request : requests(toCreate)) {
        results.putAll(admin.createTopics(request).values());
      }
      for (var entry : results.entrySet()) {
        try {
          entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
          created.add(entry.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new KafkaException(
                "cannot create topic " + entry.getKey() + ": " + e.getCause().getMessage(),
                e.getCause());
          }
          // Another app created it at the same moment: check it below like any existing topic.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new KafkaException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
          throw new KafkaException("timed out after " + timeout + " creating " + entry.getKey(), e);
        }
      }
      if (!created.isEmpty()) {
        LOG.info("created topics {}", created);
      }
    }

    List<String> toCheck =
        byName.keySet().stream().filter(n -> !created.contains(n)).collect(Collectors.toList());
    List<String> warnings = toCheck.isEmpty() ? List.of() : check(byName, toCheck);
    return new Result(List.copyOf(created), warnings);
  }

  /**
   * The most metadata records one create request here makes the controller write. Kafka's
   * controller refuses an operation of more than 10,000 ({@code PolicyViolationException}: "Unable
   * to perform excessively large batch operation."), as one request creating the three topics of a
   * thousand new products would be; half that leaves room.
   */
  static final int MAX_RECORDS_PER_REQUEST = 5_000;

  /**
   * {@code topics} in order, split into create requests of at most {@link #MAX_RECORDS_PER_REQUEST}
   * metadata records: a topic makes one, one per partition and one per config. A topic bigger than
   * that alone is a request of its own (and Kafka's to refuse).
   */
  static List<List<NewTopic>> requests(List<NewTopic> topics) {
    List<List<NewTopic>> requests = new ArrayList<>();
    List<NewTopic> request = new ArrayList<>();
    int records = 0;
    for (NewTopic topic : topics) {
      int configs = topic.configs() == null ? 0 : topic.configs().size();
      int cost = 1 + Math.max(1, topic.numPartitions()) + configs;
      if (!request.isEmpty() && records + cost > MAX_RECORDS_PER_REQUEST) {
        requests.add(request);
        request = new ArrayList<>();
        records = 0;
      }
      request.add(topic);
      records += cost;
    }
    if (!request.isEmpty()) {
      requests.add(request);
    }
    return requests;
  }

  /**
   * Checks the topics without creating any, for clusters where operators create topics from the
   * manifests: a missing topic is a contradiction too.
   *
   * @throws TopicContradictionException if a topic is missing or contradicts its spec
   */
  public Result check(Collection<? extends TopicSpec<?, ?>> specs) {
    Map<String, TopicSpec<?, ?>> byName = new LinkedHashMap<>();
    for (TopicSpec<?, ?> spec : specs) {
      byName.put(spec.name(), spec);
    }
    Set<String> existing = await(admin.listTopics().names(), "list topics");
    List<String> missing =
        byName.keySet().stream().filter(n -> !existing.contains(n)).sorted().toList();
    if (!missing.isEmpty()) {
      throw new TopicContradictionException(
          "topics "
              + missing
              + " do not exist and this service is set not to create topics"
              + " (meshbone.create-topics=false): create them from deploy/kubernetes/topics.yaml");
    }
    return new Result(List.of(), check(byName, List.copyOf(byName.keySet())));
  }

  private List<String> check(Map<String, TopicSpec<?, ?>> byName, List<String> names) {
    // A topic the controller just created (here, or by another app: TopicExistsException) can be
    // unknown for a while to the broker that answers, which learns of it from the metadata log:
    // on a loaded broker creating hundreds of topics that took seconds. Ask again until it knows.
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, TopicDescription> descriptions =
        untilKnown(() -> admin.describeTopics(names).allTopicNames(), "describe topics", deadline);
    List<ConfigResource> resources =
        names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
    Map<ConfigResource, Config> configs =
        untilKnown(
            () -> admin.describeConfigs(resources).all(), "describe topic configs", deadline);

    List<String> contradictions = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (String name : names) {
      TopicSpec<?, ?> spec = byName.get(name);
      Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name));
      String cleanup = value(config, TopicConfig.CLEANUP_POLICY_CONFIG).orElse("delete");
      if (!cleanupMatches(cleanup, spec.cleanup())) {
        contradictions.add(
            String.format(
                "topic %s exists with cleanup.policy=%s but meshbone declares %s; %s",
                name,
                cleanup,
                spec.cleanup().configValue(),
                spec.cleanup() == CleanupPolicy.COMPACT
                    ? "a non-compacted topic would lose the latest state of old keys."
                        + " Fix it with: kafka-configs --alter --entity-type topics --entity-name "
                        + name
                        + " --add-config cleanup.policy=compact"
                    : "a compacted topic would drop records that share a key."
                        + " Recreate it, or set cleanup.policy=delete"));
      }
      int partitions = descriptions.get(name).partitions().size();
      if (partitions != spec.partitions()) {
        String message =
            String.format(
                "topic %s has %d partitions but meshbone declares %d",
                name, partitions, spec.partitions());
        if (spec.exactPartitions()) {
          contradictions.add(
              message
                  + "; this topic orders the mesh and must have exactly "
                  + spec.partitions()
                  + ": delete and recreate it");
        } else {
          warnings.add(message);
        }
      }
      spec.retention()
          .ifPresent(
              declared ->
                  value(config, TopicConfig.RETENTION_MS_CONFIG)
                      .filter(actual -> !actual.equals(Long.toString(declared.toMillis())))
                      .ifPresent(
                          actual ->
                              warnings.add(
                                  String.format(
                                      "topic %s has retention.ms=%s, meshbone declares %d",
                                      name, actual, declared.toMillis()))));
    }
    warnings.forEach(w -> LOG.warn("{}", w));
    if (!contradictions.isEmpty()) {
      throw new TopicContradictionException(String.join("\n", contradictions));
    }
    return List.copyOf(warnings);
  }

  private static boolean cleanupMatches(String actual, CleanupPolicy declared) {
    Set<String> policies =
        java.util.Arrays.stream(actual.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toSet());
    return switch (declared) {
      case COMPACT -> policies.contains("compact");
      case DELETE -> !policies.contains("compact");
    };
  }

  private static Optional<String> value(Config config, String name) {
    if (config == null) {
      return Optional.empty();
    }
    ConfigEntry entry = config.get(name);
    return entry == null ? Optional.empty() : Optional.ofNullable(entry.value());
  }

  private <T> T untilKnown(
      Supplier<org.apache.kafka.common.KafkaFuture<T>> call, String what, long deadline) {
    long pauseMillis = 50;
    while (true) {
      try {
        return await(call.get(), what);
      } catch (KafkaException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMillis) > deadline) {
          throw e;
        }
        LOG.debug("cannot {} yet ({}); asking again", what, e.getCause().getMessage());
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaException("interrupted while trying to " + what, e);
      }
      pauseMillis = Math.min(pauseMillis * 2, 500);
    }
  }

  private <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new KafkaException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while trying to " + what, e);
    } catch (TimeoutException e) {
      throw new KafkaException(
          "cannot "
              + what
              + ": no answer from the Kafka cluster within "
              + timeout.toSeconds()
              + " s; check bootstrap.servers",
          e);
    }
  }
}
