package dev.meshbone.bench.access;

import dev.meshbone.events.ChangeType;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.Owner;
import dev.meshbone.events.ProductDescriptor;
import dev.meshbone.events.SubscriptionPolicy;
import dev.meshbone.registry.RegistryApp;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.runtime.access.AclTable;
import dev.meshbone.runtime.access.ServiceAccount;
import dev.meshbone.runtime.access.ServiceAccounts;
import dev.meshbone.runtime.access.TopicCreation;
import dev.meshbone.testkit.SecureKafkaBroker;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.ProductId;
import dev.meshbone.topics.TopicBootstrapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * How long access takes to follow the mesh: from an owner's approval (its {@code POST .../approval}
 * sent) until the subscriber's Kafka consumer reads the product, and from a revocation ({@code
 * DELETE .../subscriptions/{consumer}} sent) until its reads are refused. A broker that takes only
 * SASL/SCRAM-SHA-512 and authorizes with ACLs, and mesh-registry on its own principal with the
 * access reconciler, in this JVM; the subscriber polls every few milliseconds.
 *
 * <p>Baseline, same run and subscriber: the broker's own part, from {@code createAcls} (or {@code
 * deleteAcls}) called directly until the read is allowed (or refused). What the mesh adds is the
 * registry's write and read-your-write of the subscription, its Kafka Streams commit, and the
 * reconciler's read and Admin calls.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.meshbone.bench.access.AccessLatencyBench 20 3
 * </pre>
 */
public final class AccessLatencyBench {
  /** One round's latencies in milliseconds, each list in cycle order. */
  public record Round(
      List<Double> approvalToReadable,
      List<Double> revocationToDenied,
      List<Double> aclToReadable,
      List<Double> aclDeletionToDenied) {}

  private static final String OWNER = "bench-owner";
  private static final String READER = "bench-reader";
  private static final String RAW = "bench-raw";
  private static final ProductId PRODUCT = new ProductId(OWNER, "orders");
  private static final Duration WAIT = Duration.ofSeconds(60);

  private AccessLatencyBench() {}

  public static void main(String[] args) throws Exception {
    int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    for (Round r : measure(cycles, rounds, 3, System.out::println)) {
      System.out.printf(
          "approval to readable p50 %.1f ms, highest %.1f ms; revocation to denied p50 %.1f ms,"
              + " highest %.1f ms; createAcls to readable p50 %.1f ms; deleteAcls to denied p50"
              + " %.1f ms%n",
          p50(r.approvalToReadable()),
          max(r.approvalToReadable()),
          p50(r.revocationToDenied()),
          max(r.revocationToDenied()),
          p50(r.aclToReadable()),
          p50(r.aclDeletionToDenied()));
    }
    System.exit(0);
  }

  /**
   * @param cycles approve/revoke cycles per round
   * @param rounds rounds
   * @param warmup cycles before the first round, not measured
   */
  public static List<Round> measure(int cycles, int rounds, int warmup, Consumer<String> log)
      throws Exception {
    try (var broker = SecureKafkaBroker.start()) {
      ServiceAccount registry = ServiceAccounts.defaults().registry();
      Map<String, String> passwords = new LinkedHashMap<>();
      for (String user : List.of(registry.userName(), OWNER, READER, RAW)) {
        passwords.put(user, SecureKafkaBroker.randomSecret());
      }
      broker.addUsers(passwords);
      MeshTopics topics = MeshTopics.defaults();
      try (Admin admin = broker.admin()) {
        new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(30)).ensure(topics.all());
        new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(30))
            .ensure(DomainTopics.productSpecs(PRODUCT, 1));
        admin
            .createAcls(
                AclTable.serviceBindings(
                    ServiceAccounts.defaults(), topics, TopicCreation.SERVICES))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      declareProduct(broker, topics);

      Path state = Files.createTempDirectory("bench-access");
      Path users = state.resolve("users.properties");
      Files.writeString(
          users,
          OWNER + "=" + passwords.get(OWNER) + "\n" + READER + "=" + passwords.get(READER) + "\n");
      var settings = new HashMap<String, Object>();
      broker
          .clientConfig(registry.userName(), passwords.get(registry.userName()))
          .forEach((k, v) -> settings.put("kafka." + k, v));
      settings.put("meshbone.state-dir", state.resolve("registry").toString());
      settings.put("micronaut.server.port", -1);
      settings.put("meshbone.security.users-file", users.toString());
      settings.put("meshbone.access.enabled", true);
      ApplicationContext context = RegistryApp.start(settings);
      try (var probe = new ReadProbe(broker.clientConfig(READER, passwords.get(READER)));
          var rawProbe = new ReadProbe(broker.clientConfig(RAW, passwords.get(RAW)));
          Admin admin = broker.admin()) {
        var streams = context.getBean(MeshStreams.class).streams();
        await(() -> streams.state() == KafkaStreams.State.RUNNING, "registry running");
        var api =
            new Api(
                "http://localhost" + ":" + context.getBean(EmbeddedServer.class).getPort(),
                passwords);
        await(() -> api.get("/products/" + PRODUCT) == 200, "the product in the registry");
        log.accept("access bench: registry up; " + warmup + " warm-up cycles");
        for (int i = 0; i < warmup; i++) {
          cycle(api, probe);
        }
        List<Round> result = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          List<Double> granted = new ArrayList<>();
          List<Double> revoked = new ArrayList<>();
          List<Double> rawGranted = new ArrayList<>();
          List<Double> rawRevoked = new ArrayList<>();
          for (int c = 0; c < cycles; c++) {
            double[] mesh = cycle(api, probe);
            granted.add(mesh[0]);
            revoked.add(mesh[1]);
            double[] raw = rawCycle(admin, rawProbe);
            rawGranted.add(raw[0]);
            rawRevoked.add(raw[1]);
          }
          var r = new Round(granted, revoked, rawGranted, rawRevoked);
          log.accept(
              String.format(
                  "access bench round %d: approval to readable p50 %.1f ms (max %.1f),"
                      + " revocation to denied p50 %.1f ms (max %.1f); raw ACL %.1f / %.1f ms",
                  round,
                  p50(granted),
                  max(granted),
                  p50(revoked),
                  max(revoked),
                  p50(rawGranted),
                  p50(rawRevoked)));
          result.add(r);
        }
        return result;
      } finally {
        context.close();
      }
    }
  }

  /** Subscribe, approve (timed until readable), revoke (timed until denied). */
  private static double[] cycle(Api api, ReadProbe probe) throws Exception {
    api.post(READER, "/products/" + PRODUCT + "/subscriptions", "{\"purpose\":\"bench\"}");
    long start = System.nanoTime();
    api.post(OWNER, "/products/" + PRODUCT + "/subscriptions/" + READER + "/approval", "");
    probe.awaitReadable(PRODUCT.toString());
    double granted = (System.nanoTime() - start) / 1e6;
    start = System.nanoTime();
    api.delete(OWNER, "/products/" + PRODUCT + "/subscriptions/" + READER);
    probe.awaitDenied();
    double revoked = (System.nanoTime() - start) / 1e6;
    return new double[] {granted, revoked};
  }

  /** The broker's own part: createAcls until readable, deleteAcls until denied. */
  private static double[] rawCycle(Admin admin, ReadProbe probe) throws Exception {
    var binding =
        new AclBinding(
            new ResourcePattern(ResourceType.TOPIC, PRODUCT.toString(), PatternType.LITERAL),
            new AccessControlEntry("User:" + RAW, "*", AclOperation.READ, AclPermissionType.ALLOW));
    long start = System.nanoTime();
    admin.createAcls(List.of(binding)).all().get(30, TimeUnit.SECONDS);
    probe.awaitReadable(PRODUCT.toString());
    double granted = (System.nanoTime() - start) / 1e6;
    start = System.nanoTime();
    admin.deleteAcls(List.of(binding.toFilter())).all().get(30, TimeUnit.SECONDS);
    probe.awaitDenied();
    double revoked = (System.nanoTime() - start) / 1e6;
    return new double[] {granted, revoked};
  }

  /** The product as contract-validator would have accepted it, and records on its topic. */
  private static void declareProduct(SecureKafkaBroker broker, MeshTopics topics) throws Exception {
    var descriptor =
        ProductDescriptor.newBuilder()
            .setName("Bench orders")
            .setDescription("orders")
            .setOwner(Owner.newBuilder().setTeam("bench").setContact("bench@example").build())
            .setTags(List.of())
            .setGlossaryTerms(List.of())
            .setSubscriptionPolicy(SubscriptionPolicy.OWNER_APPROVAL)
            .setProperties(Map.of())
            .build();
    var event =
        DataProductEvent.newBuilder()
            .setEventId("bench-" + System.nanoTime())
            .setProductId(PRODUCT.toString())
            .setDomain(OWNER)
            .setType(ChangeType.CREATED)
            .setOccurredAt(Instant.now())
            .setDescriptor(descriptor)
            .setStatus(LifecycleStatus.ACTIVE)
            .setVersion(1L)
            .build();
    try (var producer = new KafkaProducer<byte[], byte[]>(broker.producerConfig())) {
      producer
          .send(
              new ProducerRecord<>(
                  topics.products.name(),
                  PRODUCT.toString().getBytes(StandardCharsets.UTF_8),
                  topics
                      .products
                      .valueSerde()
                      .serializer()
                      .serialize(topics.products.name(), event)))
          .get(30, TimeUnit.SECONDS);
      for (int i = 0; i < 10; i++) {
        producer
            .send(
                new ProducerRecord<>(
                    DomainTopics.validated(PRODUCT), 0, null, ("record " + i).getBytes()))
            .get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** A consumer of the product's partition 0 that polls every few milliseconds. */
  private static final class ReadProbe implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private TopicPartition assigned;

    ReadProbe(Map<String, Object> client) {
      var config = new HashMap<>(client);
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
      config.put(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG, 2);
      config.put(ConsumerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 5);
      config.put(ConsumerConfig.RECONNECT_BACKOFF_MS_CONFIG, 2);
      consumer =
          new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Returns once a poll hands out records of the topic (read from its beginning). */
    void awaitReadable(String topic) throws InterruptedException {
      assigned = new TopicPartition(topic, 0);
      consumer.assign(List.of(assigned));
      consumer.seekToBeginning(List.of(assigned));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        try {
          if (!consumer.poll(Duration.ofMillis(2)).isEmpty()) {
            return;
          }
        } catch (TopicAuthorizationException notYet) {
          consumer.seekToBeginning(List.of(assigned));
        }
      }
      throw new IllegalStateException(topic + " not readable within " + WAIT);
    }

    /** Returns once a poll of the assigned partition is refused. */
    void awaitDenied() {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        try {
          consumer.poll(Duration.ofMillis(2));
        } catch (TopicAuthorizationException refused) {
          return;
        }
      }
      throw new IllegalStateException(assigned + " still readable after " + WAIT);
    }

    @Override
    public void close() {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** The registry's HTTP API as the bench's domains. */
  private static final class Api {
    private final String url;
    private final Map<String, String> passwords;
    private final HttpClient http = HttpClient.newHttpClient();

    Api(String url, Map<String, String> passwords) {
      this.url = url;
      this.passwords = passwords;
    }

    int get(String path) throws Exception {
      return send(OWNER, HttpRequest.newBuilder(URI.create(url + path)).GET());
    }

    void post(String user, String path, String json) throws Exception {
      int status =
          send(
              user,
              HttpRequest.newBuilder(URI.create(url + path))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(json)));
      if (status >= 300) {
        throw new IllegalStateException("POST " + path + " answered " + status);
      }
    }

    void delete(String user, String path) throws Exception {
      int status = send(user, HttpRequest.newBuilder(URI.create(url + path)).DELETE());
      if (status >= 300) {
        throw new IllegalStateException("DELETE " + path + " answered " + status);
      }
    }

    private int send(String user, HttpRequest.Builder request) throws Exception {
      String auth =
          Base64.getEncoder()
              .encodeToString((user + ":" + passwords.get(user)).getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> response =
          http.send(
              request
                  .header("Authorization", "Basic " + auth)
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode();
    }
  }

  private static void await(java.util.concurrent.Callable<Boolean> condition, String what)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no " + what + " within 120 s");
      }
      Thread.sleep(50);
    }
  }

  public static double p50(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return sorted.length == 0 ? Double.NaN : sorted[(sorted.length - 1) / 2];
  }

  public static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }
}
