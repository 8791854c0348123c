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
 *   <li>the same two loads against a baseline in the same JVM and minutes: a trivial HTTP server
 *       that answers every GET with a product-sized body. On a shared two-core machine the tail
 *       latency is mostly the machine's; the baseline says how much;
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
  private final int rounds;
  private final int historyChanges;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<String> ids = new ArrayList<>();

  private RegistryLookupHarness(Map<String, String> args) {
    products = Integer.parseInt(args.getOrDefault("products", "100000"));
    rate = Integer.parseInt(args.getOrDefault("rate", "2000"));
    seconds = Integer.parseInt(args.getOrDefault("seconds", "30"));
    clients = Integer.parseInt(args.getOrDefault("clients", "8"));
    rounds = Integer.parseInt(args.getOrDefault("rounds", "2"));
    historyChanges = Integer.parseInt(args.getOrDefault("history-changes", "10000"));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    try (var broker = EmbeddedKafkaBroker.start()) {
      measure(broker.bootstrapServers(), options);
    }
    System.exit(0);
  }

  /**
   * A fixed-rate run: what was asked and achieved, errors, latency quantiles in ms (from when each
   * request was due).
   */
  public record FixedRate(
      String target,
      int rate,
      int seconds,
      double achieved,
      long errors,
      double p50,
      double p90,
      double p99,
      double p999,
      double max) {}

  /** A closed-loop run: requests/s {@code callers} concurrent callers got, and their latency. */
  public record ClosedLoop(
      String target,
      int callers,
      int seconds,
      double perSecond,
      long errors,
      double p50,
      double p99) {}

  /**
   * What {@link #measure} found: the time a fresh registry took to take in every product, the
   * fixed-rate and closed-loop runs of the registry and of the baseline server (in the order run),
   * the rebuild after losing local state (until RUNNING, until every product answers) and a
   * fixed-rate run after it.
   */
  public record Result(
      int products,
      double takeInSeconds,
      int answerBytes,
      List<FixedRate> registryRuns,
      List<FixedRate> baselineRuns,
      ClosedLoop registryClosedLoop,
      ClosedLoop baselineClosedLoop,
      double restoreRunningSeconds,
      double restoreAllSeconds,
      FixedRate afterRestore,
      History history) {}

  /**
   * One product with {@code changes} changes in its history: the median and worst of {@code
   * samples} reads each of the product now ({@code GET /products/{id}}, the baseline), the product
   * as of the instant of its middle change, and a history page of 100 from its middle, in ms.
   */
  public record History(
      int changes,
      int samples,
      double currentMedian,
      double currentMax,
      double asOfMedian,
      double asOfMax,
      double pageMedian,
      double pageMax) {}

  /**
   * Runs the whole harness against the broker at {@code bootstrap} (which must not hold the
   * harness's products yet). Options without dashes: products, rate, seconds, clients, rounds.
   */
  public static Result measure(String bootstrap, Map<String, String> options) throws Exception {
    return new RegistryLookupHarness(options).run(bootstrap);
  }

  private Result run(String bootstrap) throws Exception {
    System.out.printf(
        "registry lookup harness: %d products, %d lookups/s for %d s, %d closed-loop clients, %d cores%n",
        products, rate, seconds, clients, Runtime.getRuntime().availableProcessors());
    Path stateDir = Files.createTempDirectory("registry-bench");
    try {
      MeshTopics topics = MeshTopics.defaults();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
        new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(30)).ensure(topics.all());
      }
      long produceStart = System.nanoTime();
      produce(bootstrap, topics);
      System.out.printf(
          "produced %d products to mesh.products in %.1f s%n",
          products, secondsSince(produceStart));

      String applicationId = "registry-bench-" + System.currentTimeMillis();
      long loadStart = System.nanoTime();
      ApplicationContext registry = start(bootstrap, applicationId, stateDir);
      String base = baseUrl(registry);
      awaitAll(base);
      double takeIn = secondsSince(loadStart);
      System.out.printf(
          "fresh registry took in %d products in %.1f s (from start to every product answering)%n",
          products, takeIn);

      byte[] sample = get(base + "/products/" + ids.get(ids.size() / 2)).body().getBytes();
      System.out.printf("one product answer is %d bytes of JSON%n", sample.length);
      var floor = baseline(sample);
      var baseline = new Target("baseline", floor.getAddress().getPort(), false);
      var lookups = registry(registry);
      fixedRate(lookups, Math.min(rate, 1000), Math.min(5, seconds), false);
      fixedRate(baseline, Math.min(rate, 1000), Math.min(3, seconds), false);
      List<FixedRate> registryRuns = new ArrayList<>();
      List<FixedRate> baselineRuns = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        baselineRuns.add(fixedRate(baseline, rate, Math.max(1, seconds / 2), true));
        registryRuns.add(fixedRate(lookups, rate, seconds, true));
      }
      int closedSeconds = Math.max(Math.min(10, seconds), seconds / 3);
      ClosedLoop baselineClosed = closedLoop(baseline, clients, closedSeconds);
      ClosedLoop registryClosed = closedLoop(lookups, clients, closedSeconds);
      floor.stop(0);
      History history = history(base, bootstrap, topics);
      for (String search :
          List.of(
              "/products?limit=50",
              "/products?domain=domain-7&limit=50",
              "/products?tag=tier-1&limit=50",
              "/products?q=no-such-text",
              "/domains")) {
        time(base, search);
      }

      registry.close();
      wipe(stateDir);
      long restoreStart = System.nanoTime();
      registry = start(bootstrap, applicationId, stateDir);
      double running = secondsSince(restoreStart);
      awaitAll(baseUrl(registry));
      System.out.printf(
          "restore after losing local state: RUNNING after %.1f s, every one of %d products"
              + " answering after %.1f s%n",
          running, products, secondsSince(restoreStart));
      double restoreAll = secondsSince(restoreStart);
      FixedRate after = fixedRate(registry(registry), rate, closedSeconds, true);
      registry.close();
      return new Result(
          products,
          takeIn,
          sample.length,
          registryRuns,
          baselineRuns,
          registryClosed,
          baselineClosed,
          running,
          restoreAll,
          after,
          history);
    } finally {
      wipe(stateDir);
    }
  }

  private void produce(String bootstrap, MeshTopics topics) throws Exception {
    var config = new HashMap<String, Object>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // A bulk load: a resent product is the same record under the same key of a compacted topic,
    // so idempotence buys nothing here, and on an overloaded machine its sequence checks can
    // wedge a partition after a timed-out request (OutOfOrderSequenceException).
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    config.put(ProducerConfig.ACKS_CONFIG, "1");
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
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

  /**
   * Writes {@code historyChanges} updates of one product (its description changes each time) to
   * {@code mesh.products}, waits until the registry's history of it has them all, then times reads
   * of it now, as of its middle change, and a history page from its middle, interleaved.
   */
  private History history(String base, String bootstrap, MeshTopics topics) throws Exception {
    String id = "domain-0.history-product";
    long t0 = System.nanoTime();
    var config = new HashMap<String, Object>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    Instant start = Instant.now();
    try (var producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      var serde = topics.products.valueSerde();
      for (int i = 1; i <= historyChanges; i++) {
        var descriptor =
            ProductDescriptor.newBuilder()
                .setName("History product")
                .setDescription("Revision " + i)
                .setOwner(Owner.newBuilder().setTeam("team-0").setContact("#team").build())
                .setTags(List.of("bench"))
                .setGlossaryTerms(List.of())
                .setClassification(Classification.INTERNAL)
                .setInputs(List.of())
                .setSubscriptionPolicy(SubscriptionPolicy.AUTO_APPROVE)
                .setProperties(Map.of())
                .build();
        var event =
            DataProductEvent.newBuilder()
                .setEventId("history-" + i)
                .setProductId(id)
                .setDomain("domain-0")
                .setType(i == 1 ? ChangeType.CREATED : ChangeType.UPDATED)
                .setOccurredAt(Instant.now())
                .setDescriptor(descriptor)
                .setStatus(LifecycleStatus.ACTIVE)
                .setVersion(i)
                .build();
        // Record times one apart, so "as of the middle" is one instant in the middle.
        producer.send(
            new ProducerRecord<>(
                topics.products.name(),
                null,
                start.toEpochMilli() + i,
                id.getBytes(),
                serde.serializer().serialize(topics.products.name(), event)));
      }
      producer.flush();
    }
    int middle = historyChanges / 2;
    String last = "/products/" + id + "/history?limit=1&after=" + (historyChanges - 1);
    while (!get(base + last).body().contains("\"seq\":" + historyChanges)) {
      Thread.sleep(200);
    }
    System.out.printf(
        "history: %d changes of %s written and taken in in %.1f s%n",
        historyChanges, id, secondsSince(t0));
    String asOf =
        "/products/" + id + "?asOf=" + Instant.ofEpochMilli(start.toEpochMilli() + middle);
    String page = "/products/" + id + "/history?limit=100&after=" + middle;
    if (!get(base + asOf).body().contains("Revision " + middle)) {
      throw new IllegalStateException("as of the middle change is not revision " + middle);
    }
    int samples = 30;
    long[] current = new long[samples];
    long[] asOfs = new long[samples];
    long[] pages = new long[samples];
    for (int i = -3; i < samples; i++) { // three rounds of warm-up
      long a = System.nanoTime();
      get(base + "/products/" + id);
      long b = System.nanoTime();
      get(base + asOf);
      long c = System.nanoTime();
      get(base + page);
      long d = System.nanoTime();
      if (i >= 0) {
        current[i] = b - a;
        asOfs[i] = c - b;
        pages[i] = d - c;
      }
    }
    Arrays.sort(current);
    Arrays.sort(asOfs);
    Arrays.sort(pages);
    var h =
        new History(
            historyChanges,
            samples,
            ms(current, 0.5),
            current[samples - 1] / 1e6,
            ms(asOfs, 0.5),
            asOfs[samples - 1] / 1e6,
            ms(pages, 0.5),
            pages[samples - 1] / 1e6);
    System.out.printf(
        "history of %d changes: now %.2f ms, as of the middle %.2f ms, a page of 100 %.2f ms"
            + " (medians of %d)%n",
        historyChanges, h.currentMedian(), h.asOfMedian(), h.pageMedian(), samples);
    return h;
  }

  private static ApplicationContext start(String bootstrap, String applicationId, Path stateDir) {
    Map<String, Object> props = new HashMap<>();
    props.put("kafka.bootstrap.servers", bootstrap);
    props.put("micronaut.server.port", -1);
    // The services refuse to start without a credential source unless told to run open.
    props.put("meshbone.security.enabled", false);
    props.put("kafka.streams.application.id", applicationId);
    props.put("meshbone.state-dir", stateDir.toString());
    return RegistryApp.start(props);
  }

  private static String baseUrl(ApplicationContext registry) {
    return "http://localhost:" + registry.getBean(EmbeddedServer.class).getPort();
  }

  /** Times a list or search: the best and the median of five. */
  private void time(String base, String path) throws Exception {
    long[] nanos = new long[5];
    int status = 0;
    for (int i = 0; i < nanos.length; i++) {
      long t0 = System.nanoTime();
      status = get(base + path).statusCode();
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    System.out.printf(
        "GET %s: %d, best %.1f ms, median %.1f ms%n", path, status, nanos[0] / 1e6, nanos[2] / 1e6);
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

  /** What the load goes to: the registry's product lookups, or the baseline server. */
  record Target(String name, int port, boolean products) {
    String path(List<String> ids) {
      return products
          ? "/products/" + ids.get(ThreadLocalRandom.current().nextInt(ids.size()))
          : "/";
    }
  }

  private static Target registry(ApplicationContext registry) {
    return new Target("registry", registry.getBean(EmbeddedServer.class).getPort(), true);
  }

  /**
   * Requests at a fixed rate: each of the workers owns every {@code workers}-th slot of the
   * schedule; latency runs from the slot's time, not from when the worker got to it.
   */
  private FixedRate fixedRate(Target target, int perSecond, int durationSeconds, boolean report)
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
                try (var client = new KeepAliveClient("localhost", target.port())) {
                  for (int i = worker; i < total; i += workers) {
                    long due = start + i * intervalNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                      java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                    try {
                      if (client.get(target.path(ids)) != 200) {
                        errors.incrementAndGet();
                      }
                    } catch (IOException | RuntimeException e) {
                      errors.incrementAndGet();
                      client.close();
                    }
                    latencies[i] = System.nanoTime() - due;
                  }
                } finally {
                  done.countDown();
                }
              },
              "load-" + w);
      t.setDaemon(true);
      t.start();
    }
    done.await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    Arrays.sort(latencies);
    var result =
        new FixedRate(
            target.name(),
            perSecond,
            durationSeconds,
            total / elapsed,
            errors.get(),
            ms(latencies, 0.50),
            ms(latencies, 0.90),
            ms(latencies, 0.99),
            ms(latencies, 0.999),
            latencies[latencies.length - 1] / 1e6);
    if (report) {
      System.out.printf(
          "%s at a fixed %d/s for %d s (%d workers): achieved %.0f/s, errors %d, latency ms p50"
              + " %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f%n",
          target.name(),
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
    return result;
  }

  /** As many requests as {@code callers} concurrent callers get, each waiting for its answer. */
  private ClosedLoop closedLoop(Target target, int callers, int durationSeconds) throws Exception {
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
                try (var client = new KeepAliveClient("localhost", target.port())) {
                  while (System.nanoTime() < end && n < latencies.length - 1) {
                    long t0 = System.nanoTime();
                    try {
                      if (client.get(target.path(ids)) != 200) {
                        errors.incrementAndGet();
                      }
                    } catch (IOException | RuntimeException e) {
                      errors.incrementAndGet();
                      client.close();
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
        "%s closed loop, %d callers for %d s: %.0f requests/s, errors %d, latency ms p50 %.2f p99"
            + " %.2f%n",
        target.name(),
        callers,
        durationSeconds,
        count.get() / elapsed,
        errors.get(),
        ms(all, 0.50),
        ms(all, 0.99));
    return new ClosedLoop(
        target.name(),
        callers,
        durationSeconds,
        count.get() / elapsed,
        errors.get(),
        ms(all, 0.50),
        ms(all, 0.99));
  }

  /**
   * The noise floor of this machine at this moment: a trivial HTTP server in the same JVM that
   * answers every GET with a fixed body the size of a product, under the same load.
   */
  private static com.sun.net.httpserver.HttpServer baseline(byte[] body) throws IOException {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs and
    // every kept-alive request waits 40 ms.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    var server =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress("localhost", 0), 128);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
    server.createContext(
        "/",
        exchange -> {
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (var out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return server;
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
