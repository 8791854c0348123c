package dev.meshbone.bench.contracts;

import dev.meshbone.contracts.Subjects;
import dev.meshbone.registry.RegistryApp;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.testkit.EmbeddedKafkaBroker;
import dev.meshbone.validator.ValidatorApp;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.KafkaStreams;

/**
 * End-to-end harness of the contract registry: an embedded broker, contract-validator and
 * mesh-registry in this JVM, driven over HTTP as a Confluent client would.
 *
 * <ol>
 *   <li>register latency: new schemas registered one after the other ({@code POST
 *       /subjects/{s}/versions}), each a request/reply through Kafka (proposal, exactly-once
 *       decision, read-your-writes wait); p50/p99/max
 *   <li>{@code GET /schemas/ids/{id}} throughput: client threads reading random registered ids for
 *       a fixed time; requests/s and p50/p99
 * </ol>
 *
 * <p>Run: {@code mvn -B -q -pl benchmarks -am package -DskipTests && java -cp
 * benchmarks/target/benchmarks.jar dev.meshbone.bench.contracts.ContractRegistryBench
 * [registrations] [read-seconds] [read-threads]} (defaults 500, 20, 4). Everything shares this
 * machine's cores, broker included: compare runs made on the same machine.
 */
public final class ContractRegistryBench {
  private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
  private static final String TYPE = "application/vnd.schemaregistry.v1+json";

  private ContractRegistryBench() {}

  public static void main(String[] args) throws Exception {
    int registrations = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    int readSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int readThreads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int warmup = Math.max(50, registrations / 5);

    Path state = Files.createTempDirectory("contract-bench");
    try (var broker = EmbeddedKafkaBroker.start()) {
      ApplicationContext validator = ValidatorApp.start(settings(broker, state, "validator"));
      ApplicationContext registry = RegistryApp.start(settings(broker, state, "registry"));
      try {
        awaitRunning(validator);
        awaitRunning(registry);
        String url = "http://localhost:" + registry.getBean(EmbeddedServer.class).getPort();
        var result = measure(url, "bench", warmup, registrations, 1, readSeconds, readThreads);
        long[] latencies = result.registrations().get(0);
        System.out.printf(
            "register (new schema, new subject), %d sequential after %d warm-up:"
                + " p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
            registrations,
            warmup,
            millis(latencies, 0.50),
            millis(latencies, 0.90),
            millis(latencies, 0.99),
            latencies[latencies.length - 1] / 1e6);
        System.out.printf(
            "GET /schemas/ids/{id}, %d client threads, %d s over %d ids: %.0f requests/s,"
                + " p50 %.2f ms, p99 %.2f ms%n",
            readThreads,
            readSeconds,
            result.ids(),
            result.readsPerSecond(),
            result.readP50Millis(),
            result.readP99Millis());
      } finally {
        registry.close();
        validator.close();
      }
    }
  }

  /**
   * What {@link #measure} found.
   *
   * @param registrations per round, the sorted latencies (ns) of its sequential registrations
   * @param ids how many ids the reads chose from
   * @param readsPerSecond {@code GET /schemas/ids/{id}} requests/s over all read threads
   * @param readP50Millis their median latency
   * @param readP99Millis their 99th percentile
   */
  public record Result(
      List<long[]> registrations,
      int ids,
      double readsPerSecond,
      double readP50Millis,
      double readP99Millis) {}

  /**
   * Against a running registry (and validator) at {@code url}: {@code warmup} registrations, then
   * {@code rounds} rounds of {@code registrations} sequential registrations of new schemas under
   * new subjects of domain {@code bench} (names start with {@code prefix}, so runs on one broker do
   * not meet), then {@code readSeconds} of {@code GET /schemas/ids/{id}} by {@code readThreads}
   * (after 1 s of warm-up when it is more than 1; none when {@code readSeconds} is 0).
   */
  public static Result measure(
      String url,
      String prefix,
      int warmup,
      int registrations,
      int rounds,
      int readSeconds,
      int readThreads)
      throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < warmup; i++) {
      ids.add(register(http, url, prefix + "warm", i));
    }
    List<long[]> perRound = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      long[] latencies = new long[registrations];
      for (int i = 0; i < registrations; i++) {
        long start = System.nanoTime();
        ids.add(register(http, url, prefix + "r" + round + "n", i));
        latencies[i] = System.nanoTime() - start;
      }
      Arrays.sort(latencies);
      perRound.add(latencies);
    }
    double[] reads = {Double.NaN, Double.NaN, Double.NaN};
    if (readSeconds > 0) {
      if (readSeconds > 1) {
        readById(http, url, ids, 1, readThreads); // warm-up (none in a 1-second smoke run)
      }
      reads = readById(http, url, ids, readSeconds, readThreads);
    }
    return new Result(perRound, ids.size(), reads[0], reads[1], reads[2]);
  }

  /** Requests/s, p50 ms and p99 ms of {@code threads} callers reading random ids. */
  private static double[] readById(
      HttpClient http, String url, List<Integer> ids, int seconds, int threads) throws Exception {
    var stop = new AtomicBoolean();
    List<long[]> perThread = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    long[] counts = new long[threads];
    for (int t = 0; t < threads; t++) {
      long[] samples = new long[1_000_000];
      perThread.add(samples);
      int index = t;
      Thread worker =
          new Thread(
              () -> {
                int n = 0;
                while (!stop.get()) {
                  int id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                  long start = System.nanoTime();
                  var response =
                      send(
                          http,
                          HttpRequest.newBuilder(URI.create(url + "/schemas/ids/" + id)).GET());
                  if (response.statusCode() != 200) {
                    throw new IllegalStateException("GET id " + id + ": " + response.body());
                  }
                  if (n < samples.length) {
                    samples[n] = System.nanoTime() - start;
                  }
                  n++;
                }
                counts[index] = n;
              });
      workers.add(worker);
    }
    long start = System.nanoTime();
    workers.forEach(Thread::start);
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    for (Thread worker : workers) {
      worker.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long total = Arrays.stream(counts).sum();
    long[] all =
        java.util.stream.IntStream.range(0, threads)
            .mapToObj(
                t ->
                    Arrays.copyOf(
                        perThread.get(t), (int) Math.min(counts[t], perThread.get(t).length)))
            .flatMapToLong(Arrays::stream)
            .sorted()
            .toArray();
    return new double[] {total / elapsed, millis(all, 0.50), millis(all, 0.99)};
  }

  private static int register(HttpClient http, String url, String prefix, int i) {
    String domain = "bench";
    // The value subject a Confluent serializer would use for the topic <domain>.<prefix><i>.
    String subject = Subjects.ofTopic(domain + "." + prefix + i, false);
    String schema =
        "{\"type\":\"record\",\"name\":\"R"
            + prefix
            + i
            + "\",\"namespace\":\"bench\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
            + "{\"name\":\"n\",\"type\":\"long\",\"default\":0}]}";
    String body = "{\"schema\":" + quote(schema) + "}";
    var response =
        send(
            http,
            HttpRequest.newBuilder(URI.create(url + "/subjects/" + subject + "/versions"))
                .header("Content-Type", TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    Matcher id = ID.matcher(response.body());
    if (response.statusCode() != 200 || !id.find()) {
      throw new IllegalStateException("register " + subject + ": " + response.body());
    }
    return Integer.parseInt(id.group(1));
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(30)).header("Accept", TYPE).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static double millis(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
    return sorted[Math.max(index, 0)] / 1e6;
  }

  private static Map<String, Object> settings(
      EmbeddedKafkaBroker broker, Path state, String service) {
    var settings = new HashMap<String, Object>();
    settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
    settings.put("meshbone.state-dir", state.resolve(service).toString());
    settings.put("micronaut.server.port", -1);
    // The services refuse to start without a credential source unless told to run open.
    settings.put("meshbone.security.enabled", false);
    // -Dvalidator.<setting>=<value> / -Dregistry.<setting>=<value> try other settings.
    String prefix = service + ".";
    System.getProperties()
        .forEach(
            (k, v) -> {
              if (k.toString().startsWith(prefix)) {
                settings.put(k.toString().substring(prefix.length()), v);
              }
            });
    return settings;
  }

  private static void awaitRunning(ApplicationContext context) throws InterruptedException {
    var streams = context.getBean(MeshStreams.class).streams();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not running: " + streams.state());
      }
      Thread.sleep(50);
    }
  }
}
