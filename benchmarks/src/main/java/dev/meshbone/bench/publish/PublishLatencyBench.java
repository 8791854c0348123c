package dev.meshbone.bench.publish;

import dev.meshbone.bench.MeshApps;
import dev.meshbone.bench.validator.ChildBroker;
import dev.meshbone.client.MeshClient;
import dev.meshbone.client.MeshClientSettings;
import dev.meshbone.client.ProductDeclaration;
import dev.meshbone.client.ProductSubscription;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.Notification;
import dev.meshbone.events.SubscriptionPolicy;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Publish-to-registry-visible and publish-to-notification latency, end to end through the real
 * services (contract-validator and mesh-registry in this JVM, the broker in a child JVM when run
 * alone) and the domain SDK.
 *
 * <p>An owner domain's {@link MeshClient} declares a product (auto-approved subscriptions); a
 * reader domain's client subscribes to it and listens to its notification stream (server-sent
 * events from the registry). Then, one at a time, the owner changes the product's description
 * ({@link MeshClient#declare}: an UPDATED event through the registry's write API and
 * contract-validator's verdict). For each change, from the moment {@code declare} is called:
 *
 * <ul>
 *   <li><b>registry-visible</b>: a poller ({@code GET /products/{id}} every millisecond on a
 *       kept-alive connection) first sees the new description;
 *   <li><b>notification</b>: the reader's SDK listener receives the DESCRIPTOR_CHANGED notification
 *       of that event;
 *   <li>stages, for the breakdown: {@code declare} returned (the verdict), and plain {@code
 *       read_committed} consumers in this JVM first read the event on the owner's control topic
 *       (the baseline: the same change as a bare Kafka write and read), the validated event on
 *       {@code mesh.products}, the notification record on {@code mesh.notifications}.
 * </ul>
 *
 * <p>Figures are per round (p50 and the highest of each round's changes), and the report takes the
 * median over rounds. Between changes the harness waits a random 20-70 ms so changes do not fall in
 * step with the services' commit intervals.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.meshbone.bench.publish.PublishLatencyBench \
 *   [--changes 30] [--rounds 3]
 * </pre>
 */
public final class PublishLatencyBench {
  /** The stages of one change, in the order they usually happen. */
  public enum Stage {
    CONTROL_TOPIC("event readable on the owner's control topic (plain consumer)"),
    VERDICT("MeshClient.declare returned (validator's verdict seen by the registry)"),
    MESH_PRODUCTS("validated event readable on mesh.products (plain consumer)"),
    REGISTRY_VISIBLE("GET /products/{id} shows the change"),
    NOTIFICATION_TOPIC("notification readable on mesh.notifications (plain consumer)"),
    NOTIFIED("subscriber's SDK notification stream delivered it");

    public final String description;

    Stage(String description) {
      this.description = description;
    }
  }

  /** One round: per stage, the latencies (ms from calling declare) of its changes, sorted. */
  public record Round(Map<Stage, double[]> latencies) {
    public double p50(Stage stage) {
      return quantile(latencies.get(stage), 0.5);
    }

    public double max(Stage stage) {
      double[] l = latencies.get(stage);
      return l.length == 0 ? Double.NaN : l[l.length - 1];
    }
  }

  private PublishLatencyBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int changes = Integer.parseInt(opts.getOrDefault("changes", "30"));
    int rounds = Integer.parseInt(opts.getOrDefault("rounds", "3"));
    try (var broker = ChildBroker.start();
        var apps = MeshApps.start(broker.bootstrapServers())) {
      List<Round> result = measure(apps, changes, rounds, 5, System.out::println);
      for (Stage s : Stage.values()) {
        System.out.printf(
            "%-20s p50 per round %s, max per round %s%n",
            s,
            result.stream().map(r -> String.format("%.1f", r.p50(s))).toList(),
            result.stream().map(r -> String.format("%.1f", r.max(s))).toList());
      }
    }
    System.exit(0);
  }

  /**
   * Runs {@code warmup} changes, then {@code rounds} rounds of {@code changes} changes, against the
   * services of {@code apps}.
   */
  public static List<Round> measure(
      MeshApps apps, int changes, int rounds, int warmup, java.util.function.Consumer<String> log)
      throws Exception {
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    String owner = "pubowner" + run;
    String reader = "pubreader" + run;
    String productId = owner + ".latency";
    Map<Stage, Map<String, Long>> seen = new ConcurrentHashMap<>();
    for (Stage s : Stage.values()) {
      seen.put(s, new ConcurrentHashMap<>());
    }
    MeshTopics topics = MeshTopics.defaults();
    var ownerClient = client(apps, owner);
    var readerClient = client(apps, reader);
    var stop = new AtomicBoolean();
    List<Thread> watchers = new ArrayList<>();
    try {
      ownerClient.declare(declaration(run + "-created"));
      ProductSubscription subscription = readerClient.subscribe(productId, "latency benchmark");
      if (subscription.state() != SubscriptionState.APPROVED) {
        throw new IllegalStateException("subscription not approved: " + subscription);
      }
      var stream =
          readerClient.notifications(
              n -> {
                long now = System.nanoTime();
                String eventId = n.attributes().get("eventId");
                if (eventId != null && productId.equals(n.productId())) {
                  seen.get(Stage.NOTIFIED).putIfAbsent(eventId, now);
                }
              });
      awaitConnected(stream::isConnected);

      var products = topics.products.valueSerde().deserializer();
      var control = DomainTopics.productEventsSpec(owner).valueSerde().deserializer();
      var notifications = topics.notifications.valueSerde().deserializer();
      watchers.add(
          watch(
              apps.bootstrapServers(),
              DomainTopics.productEvents(owner),
              stop,
              (topic, value) -> {
                DataProductEvent e = control.deserialize(topic, value);
                return e == null ? null : e.getEventId();
              },
              seen.get(Stage.CONTROL_TOPIC)));
      watchers.add(
          watch(
              apps.bootstrapServers(),
              topics.products.name(),
              stop,
              (topic, value) -> {
                DataProductEvent e = products.deserialize(topic, value);
                return e == null || !productId.equals(e.getProductId()) ? null : e.getEventId();
              },
              seen.get(Stage.MESH_PRODUCTS)));
      watchers.add(
          watch(
              apps.bootstrapServers(),
              topics.notifications.name(),
              stop,
              (topic, value) -> {
                Notification n = notifications.deserialize(topic, value);
                return n == null || !reader.equals(n.getRecipientDomain())
                    ? null
                    : n.getAttributes().get("eventId");
              },
              seen.get(Stage.NOTIFICATION_TOPIC)));
      for (Thread w : watchers) {
        w.start();
      }
      var poller = new Poller(apps.registryUrl() + "/products/" + productId);
      Thread pollThread = new Thread(poller, "registry-poller");
      pollThread.setDaemon(true);
      pollThread.start();

      List<Round> result = new ArrayList<>();
      int n = 0;
      for (int round = -1; round < rounds; round++) {
        int count = round < 0 ? warmup : changes;
        Map<Stage, List<Double>> lat = new HashMap<>();
        for (int i = 0; i < count; i++) {
          String marker = run + "-change-" + (n++);
          poller.await(marker);
          long t0 = System.nanoTime();
          var product = ownerClient.declare(declaration(marker));
          long returned = System.nanoTime();
          String eventId = product.lastEventId();
          seen.get(Stage.VERDICT).put(eventId, returned);
          long visible = poller.awaitSeen();
          seen.get(Stage.REGISTRY_VISIBLE).put(eventId, visible);
          long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
          for (Stage s : Stage.values()) {
            Long at;
            while ((at = seen.get(s).get(eventId)) == null) {
              if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                    "change " + marker + " (" + eventId + ") not seen at " + s + " in 30 s");
              }
              Thread.sleep(1);
            }
            lat.computeIfAbsent(s, x -> new ArrayList<>()).add((at - t0) / 1e6);
          }
          Thread.sleep(ThreadLocalRandom.current().nextInt(20, 70));
        }
        if (round >= 0) {
          Map<Stage, double[]> sorted = new HashMap<>();
          lat.forEach(
              (s, l) ->
                  sorted.put(s, l.stream().mapToDouble(Double::doubleValue).sorted().toArray()));
          var r = new Round(sorted);
          result.add(r);
          log.accept(
              String.format(
                  "round %d: visible p50 %.1f ms, notified p50 %.1f ms, control topic p50 %.1f ms",
                  round,
                  r.p50(Stage.REGISTRY_VISIBLE),
                  r.p50(Stage.NOTIFIED),
                  r.p50(Stage.CONTROL_TOPIC)));
        }
      }
      poller.stop();
      stream.close();
      return result;
    } finally {
      stop.set(true);
      for (Thread w : watchers) {
        w.join(10_000);
      }
      readerClient.close();
      ownerClient.close();
    }
  }

  private static ProductDeclaration declaration(String description) {
    return ProductDeclaration.builder("latency")
        .name("Publish latency")
        .description(description)
        .owner("bench", "bench@example.com")
        .tags("bench")
        .subscriptionPolicy(SubscriptionPolicy.AUTO_APPROVE)
        .build();
  }

  private static MeshClient client(MeshApps apps, String domain) {
    return MeshClient.create(
        MeshClientSettings.builder()
            .domain(domain)
            .bootstrapServers(apps.bootstrapServers())
            .registryUrl(apps.registryUrl())
            .build());
  }

  private static void awaitConnected(java.util.function.BooleanSupplier connected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!connected.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the notification stream did not connect in 30 s");
      }
      Thread.sleep(10);
    }
  }

  /**
   * A thread that reads {@code topic} from its end, read_committed, and notes when it first read
   * each record's id ({@code idOf} returns null for records that are not ours).
   */
  private static Thread watch(
      String bootstrap,
      String topic,
      AtomicBoolean stop,
      java.util.function.BiFunction<String, byte[], String> idOf,
      Map<String, Long> seen) {
    var config = new HashMap<String, Object>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
    var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    Thread t =
        new Thread(
            () -> {
              try (consumer) {
                while (!stop.get()) {
                  for (var r : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.nanoTime();
                    if (r.value() == null) {
                      continue;
                    }
                    String id = idOf.apply(r.topic(), r.value());
                    if (id != null) {
                      seen.putIfAbsent(id, now);
                    }
                  }
                }
              }
            },
            "watch-" + topic);
    t.setDaemon(true);
    return t;
  }

  /** Polls the product every millisecond and notes when the awaited marker first shows. */
  private static final class Poller implements Runnable {
    private final HttpClient http =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final HttpRequest request;
    private volatile String marker;
    private volatile long seenAt;
    private volatile boolean stopped;

    Poller(String url) {
      request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
    }

    /** Starts waiting for {@code next}. */
    void await(String next) {
      // The marker first: a poll still running for the previous one then cannot match.
      marker = "\"" + next + "\"";
      seenAt = 0;
    }

    /** When the marker first showed (blocks until it does, at most 30 s). */
    long awaitSeen() throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (seenAt == 0) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the registry did not show " + marker + " in 30 s");
        }
        Thread.sleep(1);
      }
      return seenAt;
    }

    void stop() {
      stopped = true;
    }

    @Override
    public void run() {
      while (!stopped) {
        String m = marker;
        if (m == null || seenAt != 0) {
          LockSupport.parkNanos(1_000_000);
          continue;
        }
        try {
          HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200 && r.body().contains(m) && m.equals(marker)) {
            seenAt = System.nanoTime();
          }
        } catch (java.io.IOException e) {
          // the next poll retries
        } catch (InterruptedException e) {
          return;
        }
        LockSupport.parkNanos(1_000_000);
      }
    }
  }

  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
