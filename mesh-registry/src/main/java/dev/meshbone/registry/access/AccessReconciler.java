package dev.meshbone.registry.access;

import dev.meshbone.runtime.KafkaClientMeters;
import dev.meshbone.runtime.access.AclTable;
import dev.meshbone.runtime.access.MeshAccessState;
import dev.meshbone.runtime.access.PrincipalMapping;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every domain's Kafka ACLs exactly as the {@link AclTable} says for the mesh's current
 * state, through the Admin API.
 *
 * <p>How it works: one thread reads {@code mesh.products} and {@code mesh.subscriptions} from their
 * beginning into a small {@link AccessState} (each product's status, each subscription's state),
 * and follows {@code mesh.access-grants}, the registry's record of every approval and revocation.
 * Once it has read both state topics to the end they had at its start, and whenever a record
 * changes what decides access, a grant event arrives, or {@link Config#interval} has passed, it
 * computes the desired bindings, lists the cluster's ACLs ({@code describeAcls}), and creates what
 * is missing and deletes what is not desired ({@code createAcls}, then {@code deleteAcls}) among
 * the bindings of the principals it manages: the principals of the domains the state knows. The
 * ACLs of every other principal (meshbone's services, operators, other applications) are never
 * touched.
 *
 * <ul>
 *   <li><b>Idempotent</b>: applying the same state twice changes nothing the second time.
 *   <li><b>Converges after a restart</b>: the state is rebuilt from the compacted topics, then
 *       compared with the cluster's ACLs as they are.
 *   <li><b>Repairs</b>: an ACL deleted by hand is back within one interval.
 *   <li><b>Fail-static</b>: while it is down, cannot read its topics to the end, or cannot reach
 *       the cluster, it changes nothing: existing ACLs stay and new grants wait.
 *   <li><b>One writer</b>: with several registry instances, only the holder of the {@link
 *       ReconcilerLock} writes; the others keep their state current to take over at once.
 * </ul>
 */
public final class AccessReconciler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AccessReconciler.class);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration RETRY = Duration.ofSeconds(2);
  private static final int LOGGED_CHANGES = 40;

  /**
   * What the reconciler needs.
   *
   * @param admin admin client settings of a principal with ALTER and DESCRIBE on the cluster
   * @param consumer consumer settings of a principal that reads the mesh's state topics
   * @param topics the topic catalogue
   * @param mapping domain to principal
   * @param domains domains known before they own a product or hold a subscription
   * @param interval the full comparison's period
   * @param lockGroup the consumer group of the single-writer lock
   * @param lockSessionTimeout how soon a dead writer's lock passes on
   */
  public record Config(
      Map<String, Object> admin,
      Map<String, Object> consumer,
      MeshTopics topics,
      PrincipalMapping mapping,
      Set<String> domains,
      Duration interval,
      String lockGroup,
      Duration lockSessionTimeout) {
    public Config {
      admin = Map.copyOf(admin);
      consumer = Map.copyOf(consumer);
      Objects.requireNonNull(topics, "topics");
      Objects.requireNonNull(mapping, "mapping");
      domains = Set.copyOf(domains);
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(lockGroup, "lockGroup");
      Objects.requireNonNull(lockSessionTimeout, "lockSessionTimeout");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("meshbone.access.interval must be positive");
      }
    }
  }

  private final Config config;
  private final Optional<MeterRegistry> meters;
  private final AccessState state;
  private final AtomicLong reconciliations = new AtomicLong();
  private volatile boolean running;
  private volatile boolean caughtUp;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile ReconcilerLock lock;
  private volatile AutoCloseable stateMeters;
  private volatile String lastError;
  private Thread thread;

  public AccessReconciler(Config config) {
    this(config, Optional.empty());
  }

  /** As above, with its consumers' client metrics on {@code meters}. */
  public AccessReconciler(Config config, Optional<MeterRegistry> meters) {
    this.config = config;
    this.meters = meters;
    this.state = new AccessState(config.topics());
  }

  /** Starts the reconciler's thread; returns at once. */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = new Thread(this::run, "meshbone-access-reconciler");
    thread.setDaemon(true);
    thread.start();
    LOG.info(
        "access reconciler started: domains' ACLs for principals {}, full comparison every {}",
        config.mapping(),
        config.interval());
  }

  /** Whether it has read the mesh's state to the end it had at the start. */
  public boolean isCaughtUp() {
    return caughtUp;
  }

  /** Whether this instance is the one writing ACLs. */
  public boolean isWriter() {
    ReconcilerLock l = lock;
    return l != null && l.held();
  }

  /** How many comparisons with the cluster have completed. */
  public long reconciliations() {
    return reconciliations.get();
  }

  /** The last failure, or null after a success. */
  public String lastError() {
    return lastError;
  }

  private void run() {
    Map<String, Object> c = new HashMap<>(config.consumer());
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "meshbone-access-reconciler");
    c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    MeshTopics topics = config.topics();
    try (var stateConsumer =
            new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Admin admin = Admin.create(config.admin())) {
      consumer = stateConsumer;
      stateMeters = KafkaClientMeters.bind(meters, stateConsumer);
      Map<TopicPartition, Long> barrier = null;
      state.knowDomains(config.domains());
      boolean dirty = true;
      boolean wasWriter = false;
      long nextFull = 0;
      while (running) {
        try {
          if (barrier == null) {
            barrier = assign(stateConsumer);
            if (barrier == null) {
              pause(RETRY);
              continue;
            }
          }
          if (lock == null) {
            lock =
                new ReconcilerLock(
                    c,
                    config.lockGroup(),
                    topics.contracts.name(),
                    config.lockSessionTimeout(),
                    meters);
          }
          for (ConsumerRecord<byte[], byte[]> r : stateConsumer.poll(Duration.ofMillis(200))) {
            if (r.topic().equals(topics.accessGrants.name())) {
              dirty = true;
            } else {
              dirty |= state.apply(r);
            }
          }
          lock.poll();
          if (!caughtUp && reached(stateConsumer, barrier)) {
            caughtUp = true;
            MeshAccessState s = state.snapshot();
            LOG.info(
                "access reconciler: read the mesh's state ({} products, {} subscriptions)",
                s.products().size(),
                s.subscriptions().size());
          }
          boolean writer = lock.held();
          if (writer && !wasWriter) {
            dirty = true;
          }
          wasWriter = writer;
          long now = System.nanoTime();
          if (caughtUp && writer && (dirty || now - nextFull >= 0)) {
            try {
              reconcile(admin);
              dirty = false;
              nextFull = now + config.interval().toNanos();
              lastError = null;
            } catch (Exception e) {
              if (!running) {
                break;
              }
              lastError = e.toString();
              LOG.warn(
                  "access reconciler: could not apply the ACLs ({}); nothing was removed, trying"
                      + " again in {} s",
                  e.getMessage(),
                  RETRY.toSeconds());
              nextFull = now + RETRY.toNanos();
              dirty = false;
            }
          }
        } catch (WakeupException e) {
          break;
        } catch (RuntimeException e) {
          if (!running) {
            break;
          }
          lastError = e.toString();
          LOG.warn("access reconciler: {}; retrying", e.toString());
          pause(RETRY);
        }
      }
    } catch (RuntimeException e) {
      if (running) {
        LOG.error("the access reconciler stopped; ACLs stay as they are", e);
      }
    } finally {
      ReconcilerLock l = lock;
      if (l != null) {
        l.close();
      }
      if (stateMeters != null) {
        KafkaClientMeters.close(stateMeters);
      }
    }
  }

  /**
   * Assigns the state topics from their beginning and the grant events from their end; returns the
   * state topics' end offsets at this moment, or null while a topic does not exist yet.
   */
  private Map<TopicPartition, Long> assign(KafkaConsumer<byte[], byte[]> c) {
    MeshTopics topics = config.topics();
    List<TopicPartition> state = new ArrayList<>();
    List<TopicPartition> grants = new ArrayList<>();
    for (String topic : List.of(topics.products.name(), topics.subscriptions.name())) {
      List<PartitionInfo> infos = c.partitionsFor(topic, ADMIN_TIMEOUT);
      if (infos == null || infos.isEmpty()) {
        LOG.info("access reconciler: waiting for topic {}", topic);
        return null;
      }
      infos.forEach(i -> state.add(new TopicPartition(i.topic(), i.partition())));
    }
    List<PartitionInfo> grantInfos = c.partitionsFor(topics.accessGrants.name(), ADMIN_TIMEOUT);
    if (grantInfos != null) {
      grantInfos.forEach(i -> grants.add(new TopicPartition(i.topic(), i.partition())));
    }
    List<TopicPartition> all = new ArrayList<>(state);
    all.addAll(grants);
    c.assign(all);
    c.seekToBeginning(state);
    c.seekToEnd(grants);
    return Map.copyOf(c.endOffsets(state, ADMIN_TIMEOUT));
  }

  private static boolean reached(
      KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> barrier) {
    for (var e : barrier.entrySet()) {
      if (c.position(e.getKey(), ADMIN_TIMEOUT) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** One comparison of the desired bindings with the cluster's, and the changes it takes. */
  private void reconcile(Admin admin) throws Exception {
    long start = System.nanoTime();
    Set<String> controlDomains =
        admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream()
            .map(t -> DomainTopics.domainOfControlTopic(t).orElse(null))
            .filter(Objects::nonNull)
            .collect(Collectors.toSet());
    state.knowDomains(controlDomains);
    MeshAccessState s = state.snapshot();
    Set<AclBinding> desired = AclTable.desired(s, config.mapping());
    Set<String> managed =
        s.domains().stream().map(config.mapping()::principal).collect(Collectors.toSet());
    Set<AclBinding> existing =
        new HashSet<>(
            admin
                .describeAcls(AclBindingFilter.ANY)
                .values()
                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    AclDiff diff = AclDiff.of(desired, existing, managed);
    if (!diff.create().isEmpty()) {
      admin.createAcls(diff.create()).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
    if (!diff.delete().isEmpty()) {
      admin
          .deleteAcls(diff.delete().stream().map(AclBinding::toFilter).toList())
          .all()
          .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
    reconciliations.incrementAndGet();
    if (!diff.isEmpty()) {
      log("granted", diff.create());
      log("removed", diff.delete());
      LOG.info(
          "access reconciler: {} ACLs created, {} deleted for {} domains in {} ms",
          diff.create().size(),
          diff.delete().size(),
          s.domains().size(),
          (System.nanoTime() - start) / 1_000_000);
    }
  }

  private static void log(String what, Set<AclBinding> bindings) {
    List<String> lines = bindings.stream().map(AccessReconciler::describe).sorted().toList();
    for (int i = 0; i < lines.size() && i < LOGGED_CHANGES; i++) {
      LOG.info("access reconciler: {} {}", what, lines.get(i));
    }
    if (lines.size() > LOGGED_CHANGES) {
      LOG.info("access reconciler: ... and {} more", lines.size() - LOGGED_CHANGES);
    }
  }

  /** One binding in words: {@code READ on topic clinical-trials.enrollments to User:x}. */
  static String describe(AclBinding b) {
    return b.entry().operation()
        + " on "
        + b.pattern().resourceType().name().toLowerCase(java.util.Locale.ROOT)
        + " "
        + b.pattern().name()
        + (b.pattern().patternType() == org.apache.kafka.common.resource.PatternType.PREFIXED
            ? "*"
            : "")
        + " to "
        + b.entry().principal();
  }

  private void pause(Duration d) {
    long until = System.nanoTime() + d.toNanos();
    while (running && System.nanoTime() < until) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Stops the thread and leaves the lock's group, so another instance takes over at once. */
  @Override
  public synchronized void close() {
    if (!running) {
      return;
    }
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(15));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
