package dev.meshbone.bench.registry;

import dev.meshbone.events.ChangeType;
import dev.meshbone.events.Classification;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.Owner;
import dev.meshbone.events.ProductDescriptor;
import dev.meshbone.events.SubscriptionPolicy;
import dev.meshbone.registry.RegistryApp;
import dev.meshbone.testkit.EmbeddedKafkaBroker;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.TopicBootstrapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The registry under load, end to end over HTTP against an embedded broker:
 *
 * <ol>
 *   <li>registers {@code --products} products (written to {@code mesh.products} as the validator
 *       would) and times how long a fresh registry takes to take them in;
 *   <li>one-product lookups ({@code GET /products/{id}}, random ids) at a fixed {@code --rate} for
 *       {@code --seconds}: latency p50/p90/p99/p99.9/max, measured from when each request was due
 *       (so a stall counts against every request it delays, not just the one it hits);
 *   <li>the most lookups per second {@code --clients} concurrent callers get, closed loop;
 *   <li>the registry is stopped, its state folder deleted, and started again: the time until it
 *       answers every product again, rebuilt from Kafka.
 * </ol>
 *
 * <p>Run: {@code java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*"
 * dev.meshbone.bench.registry.RegistryLookupHarness [--products 100000] [--rate 2000] [--seconds
 * 30] [--clients 8]}
 */
public final class RegistryLookupHarness {
  private static final int DOMAINS = 50;

  private final int products;
  private final int rate;
  private final int seconds;
  private final int clients;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<String> ids = new ArrayList<>();

  private RegistryLookupHarness(Map<String, String> args) {
    products = Integer.parseInt(args.getOrDefault("products", "100000"));
    rate = Integer.parseInt(args.getOrDefault("rate", "2000"));
    seconds = Integer.parseInt(args.getOrDefault("seconds", "30"));
    clients = Integer.parseInt(args.getOrDefault("clients", "8"));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    new RegistryLookupHarness(options).run();
    System.exit(0);
  }

  private void run() throws Exception {
    System.out.printf(
        "registry lookup harness: %d products, %d lookups/s for %d s, %d closed-loop clients, %d cores%n",
        products, rate, seconds, clients, Runtime.getRuntime().availableProcessors());
    Path stateDir = Files.createTempDirectory("registry-bench");
    try (var broker = EmbeddedKafkaBroker.start()) {
      MeshTopics topics = MeshTopics.defaults();
      try (Admin admin = broker.admin()) {
        new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(30)).ensure(topics.all());
      }
      long produceStart = System.nanoTime();
      produce(broker, topics);
      System.out.printf(
          "produced %d products to mesh.products in %.1f s%n",
          products, secondsSince(produceStart));

      String applicationId = "registry-bench-" + System.currentTimeMillis();
      long loadStart = System.nanoTime();
      ApplicationContext registry = start(broker, applicationId, stateDir);
      String base = baseUrl(registry);
      awaitAll(base);
      System.out.printf(
          "fresh registry took in %d products in %.1f s (from start to every product answering)%n",
          products, secondsSince(loadStart));

      fixedRate(base, Math.min(rate, 1000), 10, false);
      fixedRate(base, rate, seconds, true);
      closedLoop(base, clients, Math.max(10, seconds / 2));

      registry.close();
      wipe(stateDir);
      long restoreStart = System.nanoTime();
      registry = start(broker, applicationId, stateDir);
      double running = secondsSince(restoreStart);
      awaitAll(baseUrl(registry));
      System.out.printf(
          "restore after losing local state: RUNNING after %.1f s, every one of %d products"
              + " answering after %.1f s%n",
          running, products, secondsSince(restoreStart));
      fixedRate(baseUrl(registry), rate, Math.max(10, seconds / 3), true);
      registry.close();
    } finally {
      wipe(stateDir);
    }
  }

  private void produce(EmbeddedKafkaBroker broker, MeshTopics topics) throws Exception {
    var config = new HashMap<>(broker.producerConfig());
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    try (var producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      var serde = topics.products.valueSerde();
      for (int i = 0; i < products; i++) {
        String domain = "domain-" + (i % DOMAINS);
        String id = domain + ".product-" + i;
        ids.add(id);
        List<String> inputs =
            i < DOMAINS
                ? List.of()
                : List.of("domain-" + ((i - DOMAINS) % DOMAINS) + ".product-" + (i - DOMAINS));
        var descriptor =
            ProductDescriptor.newBuilder()
                .setName("Product " + i)
                .setDescription(
                    "Synthetic product " + i + " of " + domain + " for the registry benchmark")
                .setOwner(
                    Owner.newBuilder().setTeam("team-" + (i % 200)).setContact("#team").build())
                .setTags(List.of("tier-" + (i % 3), "bench"))
                .setGlossaryTerms(List.of("term-" + (i % 1000)))
                .setClassification(Classification.values()[i % Classification.values().length])
                .setInputs(inputs)
                .setSubscriptionPolicy(SubscriptionPolicy.AUTO_APPROVE)
                .setProperties(Map.of())
                .build();
        var event =
            DataProductEvent.newBuilder()
                .setEventId("bench-" + i)
                .setProductId(id)
                .setDomain(domain)
                .setType(ChangeType.CREATED)
                .setOccurredAt(Instant.now())
                .setDescriptor(descriptor)
                .setStatus(LifecycleStatus.ACTIVE)
                .setVersion(1)
                .build();
        producer.send(
            new ProducerRecord<>(
                topics.products.name(),
                id.getBytes(),
                serde.serializer().serialize(topics.products.name(), event)));
      }
      producer.flush();
    }
  }

  private static ApplicationContext start(
      EmbeddedKafkaBroker broker, String applicationId, Path stateDir) {
    Map<String, Object> props = new HashMap<>();
    props.put("kafka.bootstrap.servers", broker.bootstrapServers());
    props.put("micronaut.server.port", -1);
    props.put("kafka.streams.application.id", applicationId);
    props.put("meshbone.state-dir", stateDir.toString());
    return RegistryApp.start(props);
  }

  private static String baseUrl(ApplicationContext registry) {
    return "http://localhost:" + registry.getBean(EmbeddedServer.class).getPort();
  }

  /** Waits until the registry runs and answers for every product (checked by domain counts). */
  private void awaitAll(String base) throws Exception {
    while (true) {
      try {
        HttpResponse<String> r = get(base + "/domains");
        if (r.statusCode() == 200) {
          long total = 0;
          for (String part : r.body().split("\"products\":")) {
            if (Character.isDigit(part.charAt(0))) {
              total += Long.parseLong(part.substring(0, part.indexOf(',')));
            }
          }
          if (total >= products
              && get(base + "/products/" + ids.get(ids.size() - 1)).statusCode() == 200) {
            return;
          }
        }
      } catch (IOException notUpYet) {
        // the server is starting
      }
      Thread.sleep(250);
    }
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Lookups at a fixed rate: each of the workers owns every {@code workers}-th slot of the
   * schedule; latency runs from the slot's time, not from when the worker got to it.
   */
  private void fixedRate(String base, int perSecond, int durationSeconds, boolean report)
      throws Exception {
    int total = perSecond * durationSeconds;
    int workers = Math.max(4, Math.min(64, perSecond / 100));
    long[] latencies = new long[total];
    AtomicLong errors = new AtomicLong();
    long intervalNanos = 1_000_000_000L / perSecond;
    long start = System.nanoTime() + 100_000_000L;
    var done = new CountDownLatch(workers);
    for (int w = 0; w < workers; w++) {
      int worker = w;
      Thread t =
          new Thread(
              () -> {
                try {
                  for (int i = worker; i < total; i += workers) {
                    long due = start + i * intervalNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                      java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                    try {
                      if (get(base + "/products/" + id).statusCode() != 200) {
                        errors.incrementAndGet();
                      }
                    } catch (IOException | InterruptedException e) {
                      errors.incrementAndGet();
                    }
                    latencies[i] = System.nanoTime() - due;
                  }
                } finally {
                  done.countDown();
                }
              },
              "lookup-" + w);
      t.setDaemon(true);
      t.start();
    }
    done.await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (report) {
      Arrays.sort(latencies);
      System.out.printf(
          "fixed rate %d/s for %d s (%d workers): achieved %.0f/s, errors %d, latency ms p50 %.2f"
              + " p90 %.2f p99 %.2f p99.9 %.2f max %.2f%n",
          perSecond,
          durationSeconds,
          workers,
          total / elapsed,
          errors.get(),
          ms(latencies, 0.50),
          ms(latencies, 0.90),
          ms(latencies, 0.99),
          ms(latencies, 0.999),
          latencies[latencies.length - 1] / 1e6);
    }
  }

  /** As many lookups as {@code callers} concurrent callers get, each waiting for its answer. */
  private void closedLoop(String base, int callers, int durationSeconds) throws Exception {
    long end = System.nanoTime() + durationSeconds * 1_000_000_000L;
    List<long[]> perCaller = new ArrayList<>();
    AtomicLong count = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    var done = new CountDownLatch(callers);
    long start = System.nanoTime();
    for (int c = 0; c < callers; c++) {
      long[] latencies = new long[2_000_000];
      perCaller.add(latencies);
      Thread t =
          new Thread(
              () -> {
                int n = 0;
                try {
                  while (System.nanoTime() < end && n < latencies.length) {
                    String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                    long t0 = System.nanoTime();
                    try {
                      if (get(base + "/products/" + id).statusCode() != 200) {
                        errors.incrementAndGet();
                      }
                    } catch (IOException | InterruptedException e) {
                      errors.incrementAndGet();
                    }
                    latencies[n++] = System.nanoTime() - t0;
                  }
                } finally {
                  latencies[latencies.length - 1] = n;
                  count.addAndGet(n);
                  done.countDown();
                }
              });
      t.setDaemon(true);
      t.start();
    }
    done.await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] all =
        perCaller.stream()
            .flatMapToLong(l -> Arrays.stream(l, 0, (int) l[l.length - 1]))
            .sorted()
            .toArray();
    System.out.printf(
        "closed loop, %d callers for %d s: %.0f lookups/s, errors %d, latency ms p50 %.2f p99 %.2f%n",
        callers,
        durationSeconds,
        count.get() / elapsed,
        errors.get(),
        ms(all, 0.50),
        ms(all, 0.99));
  }

  private static double ms(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) (quantile * sorted.length))] / 1e6;
  }

  private static double secondsSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }

  private static void wipe(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir)) {
          Files.delete(p);
        }
      }
    }
  }
}
