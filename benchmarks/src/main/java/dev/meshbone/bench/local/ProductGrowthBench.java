package dev.meshbone.bench.local;

import dev.meshbone.bench.BenchHttp;
import dev.meshbone.bench.Stats;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the packaged local mesh grows with its products: {@code dev.meshbone.local.LocalMesh} in a
 * child JVM as {@code bin/local-mesh} runs it (see {@link ColdStartBench}), with its default
 * settings and heap, on free ports and a fresh data folder kept for the whole run. For each product
 * count, in ascending order, products are added through the bulk path ({@code POST
 * /domains/{domain}/products}, declaration and contract in each item) until the registry's {@code
 * GET /domains} counts that many, and then:
 *
 * <ol>
 *   <li><b>memory</b>: the mesh JVM's resident set ({@code VmRSS}) and its peak so far ({@code
 *       VmHWM}, from {@code /proc}), its heap used ({@code jcmd GC.heap_info}) and the heap used
 *       after a full collection ({@code jcmd GC.run}): what the products hold;
 *   <li><b>registry reads</b>: {@code GET /products?limit=100} (a page of the catalogue) and {@code
 *       GET /products?q=<the last product's name>&limit=100} (a free-text search: a scan of every
 *       product, one match), interleaved, one at a time on a kept-alive connection, after a
 *       warm-up; p50 and p99;
 *   <li><b>restart</b>: SIGTERM, then launched again on the same data, until the health endpoints
 *       of the three services answer 200 UP;
 *   <li><b>restart after SIGKILL</b>: that mesh killed, launched again on the same data, until
 *       healthy; then until the registry counts the products again.
 * </ol>
 *
 * The mesh restarted after the SIGKILL takes the next count's products. A count that fails (not
 * healthy in time, the JVM exited, products not counted) ends the run; its step says why and the
 * mesh's output is kept.
 */
public final class ProductGrowthBench {
  static final String DOMAIN = "growth";
  private static final int CLIENTS = 4;
  private static final int BATCH = 25;
  private static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(600);
  private static final Duration COUNTED_TIMEOUT = Duration.ofSeconds(300);
  private static final String SCHEMA =
      "{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"growth\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"n\",\"type\":\"long\"}]}";
  private static final Pattern COUNT =
      Pattern.compile("\"domain\":\"" + DOMAIN + "\"[^}]*?\"products\":(\\d+)");
  private static final Pattern ACCEPTED = Pattern.compile("\"accepted\":(\\d+)");
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total (\\d+)K, used (\\d+)K");

  private ProductGrowthBench() {}

  /**
   * One product count.
   *
   * @param products the count
   * @param onboardSeconds adding the products since the previous count until the registry counted
   *     them all
   * @param notAccepted bulk items not answered ACCEPTED with their contract REGISTERED (PENDING
   *     ones are decided later and counted when the registry shows them)
   * @param memory the mesh JVM's memory after the onboarding
   * @param reads the registry's list and search latency then
   * @param restartSeconds launch to healthy after a clean stop (SIGTERM), same data
   * @param stopSeconds that clean stop
   * @param killedSeconds launch to healthy after a SIGKILL, same data
   * @param countedAfterKillSeconds launch after the SIGKILL until the registry counted every
   *     product
   * @param failure why this count ended the run, or null
   */
  public record Step(
      int products,
      double onboardSeconds,
      int notAccepted,
      Memory memory,
      Reads reads,
      double restartSeconds,
      double stopSeconds,
      double killedSeconds,
      double countedAfterKillSeconds,
      String failure) {}

  /**
   * A JVM's memory, MiB; NaN for what could not be read.
   *
   * @param rssMb its resident set ({@code VmRSS})
   * @param peakRssMb its peak resident set since it started ({@code VmHWM})
   * @param heapUsedMb heap used
   * @param heapLiveMb heap used after a full collection
   * @param heapMaxMb its maximum heap
   */
  public record Memory(
      double rssMb, double peakRssMb, double heapUsedMb, double heapLiveMb, double heapMaxMb) {
    static final Memory UNKNOWN =
        new Memory(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    @Override
    public String toString() {
      return String.format(
          "RSS %.0f MiB (peak %.0f), heap used %.0f MiB, live %.0f MiB",
          rssMb, peakRssMb, heapUsedMb, heapLiveMb);
    }
  }

  /**
   * The registry's reads, ms.
   *
   * @param listP50Ms {@code GET /products?limit=100}, p50
   * @param listP99Ms the same, p99
   * @param searchP50Ms {@code GET /products?q=...&limit=100}, p50
   * @param searchP99Ms the same, p99
   * @param errors reads that did not answer 200
   */
  public record Reads(
      double listP50Ms, double listP99Ms, double searchP50Ms, double searchP99Ms, int errors) {
    static final Reads UNKNOWN = new Reads(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);

    @Override
    public String toString() {
      return String.format(
          "list p50/p99 %.1f/%.1f ms, search %.1f/%.1f ms, %d errors",
          listP50Ms, listP99Ms, searchP50Ms, searchP99Ms, errors);
    }
  }

  /**
   * What the run found.
   *
   * @param steps one per count reached
   * @param coldSeconds the first start, empty data folder, to healthy
   * @param launcher the command, as a reader would type it
   * @param heapMaxMb the mesh JVM's maximum heap, MiB (from {@code jcmd}; NaN if unknown)
   */
  public record Result(List<Step> steps, double coldSeconds, String launcher, double heapMaxMb) {}

  public static void main(String[] args) throws Exception {
    List<Integer> counts = List.of(100, 1000);
    int calls = 300;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--products" ->
            counts = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
        case "--calls" -> calls = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    var r = measure(counts, calls, System.out::println);
    r.steps().forEach(System.out::println);
  }

  /** Grows one local mesh through {@code counts} (ascending), {@code calls} reads of each kind. */
  public static Result measure(List<Integer> counts, int calls, Consumer<String> log)
      throws Exception {
    List<String> launcher = ColdStartBench.launcher();
    Path data = Files.createTempDirectory("bench-growth");
    Path out = data.resolveSibling(data.getFileName() + ".out");
    Map<String, Integer> ports = ColdStartBench.freePorts();
    var api = new Api("http://localhost:" + ports.get("registry-port"));
    List<Step> steps = new ArrayList<>();
    boolean failed = false;
    double heapMax = Double.NaN;
    long launched = System.nanoTime();
    Process mesh = ColdStartBench.launch(launcher, data, ports);
    try {
      double cold = ColdStartBench.awaitHealthy(mesh, ports, launched, HEALTHY_TIMEOUT);
      log.accept(String.format("growth: cold start %.1f s (%s)", cold, data));
      int held = 0;
      for (int n : counts.stream().sorted().distinct().toList()) {
        double onboard = Double.NaN;
        int notAccepted = 0;
        Memory memory = Memory.UNKNOWN;
        Reads reads = Reads.UNKNOWN;
        double restart = Double.NaN;
        double stop = Double.NaN;
        double killed = Double.NaN;
        double counted = Double.NaN;
        String failure = null;
        try {
          long t0 = System.nanoTime();
          notAccepted = onboard(api, held, n);
          awaitCount(api, mesh, n, COUNTED_TIMEOUT);
          onboard = ColdStartBench.seconds(t0);
          held = n;
          log.accept(
              String.format(
                  "growth: %d products in %.1f s (%d not accepted at once)",
                  n, onboard, notAccepted));
          memory = memory(mesh.pid());
          heapMax = memory.heapMaxMb();
          reads = reads(api, "g" + (n - 1), calls);
          log.accept(String.format("growth: %d products: %s; %s", n, memory, reads));
          stop = ColdStartBench.stop(mesh);
          launched = System.nanoTime();
          mesh = ColdStartBench.launch(launcher, data, ports);
          restart = ColdStartBench.awaitHealthy(mesh, ports, launched, HEALTHY_TIMEOUT);
          mesh.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          launched = System.nanoTime();
          mesh = ColdStartBench.launch(launcher, data, ports);
          killed = ColdStartBench.awaitHealthy(mesh, ports, launched, HEALTHY_TIMEOUT);
          awaitCount(api, mesh, n, COUNTED_TIMEOUT);
          counted = ColdStartBench.seconds(launched);
          log.accept(
              String.format(
                  "growth: %d products: stop %.1f s, restart %.1f s, after SIGKILL %.1f s"
                      + " (every product counted after %.1f s)",
                  n, stop, restart, killed, counted));
        } catch (Exception e) {
          failure = e.toString();
          failed = true;
          log.accept("growth: " + n + " products failed: " + failure + "; mesh output: " + out);
        }
        steps.add(
            new Step(
                n, onboard, notAccepted, memory, reads, restart, stop, killed, counted, failure));
        if (failure != null) {
          break;
        }
      }
      return new Result(steps, cold, ColdStartBench.display(launcher), heapMax);
    } finally {
      mesh.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      if (failed) {
        // Keep the mesh's output for the reader; the data goes.
        Path kept = Files.createTempFile("bench-growth-mesh", ".out");
        Files.copy(out, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        log.accept("growth: the mesh's output is kept in " + kept);
      }
      ColdStartBench.wipe(data);
    }
  }

  /**
   * Adds products {@code from} to {@code to - 1} with {@link #CLIENTS} threads in batches of {@link
   * #BATCH}; how many were not answered ACCEPTED with their contract REGISTERED.
   */
  private static int onboard(Api api, int from, int to) throws InterruptedException {
    var next = new AtomicInteger(from);
    var accepted = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      Thread t =
          new Thread(
              () -> {
                int first;
                while ((first = next.getAndAdd(BATCH)) < to) {
                  try {
                    accepted.addAndGet(api.onboardAll(first, Math.min(first + BATCH, to)));
                  } catch (RuntimeException e) {
                    // counted as not accepted; the count below decides
                  }
                }
              });
      workers.add(t);
      t.start();
    }
    for (Thread t : workers) {
      t.join();
    }
    return to - from - accepted.get();
  }

  /** Waits until the registry counts {@code n} products of the domain. */
  private static void awaitCount(Api api, Process mesh, int n, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = -1;
    while (System.nanoTime() < deadline) {
      if (!mesh.isAlive()) {
        throw new IllegalStateException("the local mesh exited with " + mesh.exitValue());
      }
      seen = api.count();
      if (seen >= n) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "the registry counted " + seen + " of " + n + " products after " + timeout);
  }

  /** The JVM {@code pid}'s memory (a full collection first for the live heap). */
  static Memory memory(long pid) {
    double rss = Double.NaN;
    double peak = Double.NaN;
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = kib(line) / 1024.0;
        } else if (line.startsWith("VmHWM:")) {
          peak = kib(line) / 1024.0;
        }
      }
    } catch (IOException e) {
      // not on Linux: NaN
    }
    double[] used = heap(pid);
    jcmd(pid, "GC.run");
    double[] live = heap(pid);
    return new Memory(rss, peak, used[0], live[0], used[1]);
  }

  private static long kib(String statusLine) {
    return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
  }

  /** Heap used and committed, MiB, from {@code jcmd GC.heap_info}. */
  private static double[] heap(long pid) {
    Matcher m = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
    return m.find()
        ? new double[] {Long.parseLong(m.group(2)) / 1024.0, maxHeapMb(pid)}
        : new double[] {Double.NaN, Double.NaN};
  }

  private static double maxHeapMb(long pid) {
    Matcher m =
        Pattern.compile("MaxHeapSize\\s*=\\s*(\\d+)")
            .matcher(jcmd(pid, "VM.flags", "-all").replaceAll("[ \\t]+", " "));
    return m.find() ? Long.parseLong(m.group(1)) / 1024.0 / 1024.0 : Double.NaN;
  }

  private static String jcmd(long pid, String... command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
    cmd.addAll(List.of(command));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes());
      p.waitFor(60, TimeUnit.SECONDS);
      return text;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** {@code calls} lists and searches, interleaved, after a tenth as many of each to warm up. */
  private static Reads reads(Api api, String term, int calls) {
    String list = "/products?limit=100";
    String search = "/products?q=" + term + "&limit=100";
    int errors = 0;
    for (int i = 0; i < Math.max(5, calls / 10); i++) {
      api.get(list);
      api.get(search);
    }
    long[] listNs = new long[calls];
    long[] searchNs = new long[calls];
    for (int i = 0; i < calls; i++) {
      long t0 = System.nanoTime();
      errors += api.get(list) == 200 ? 0 : 1;
      long t1 = System.nanoTime();
      errors += api.get(search) == 200 ? 0 : 1;
      listNs[i] = t1 - t0;
      searchNs[i] = System.nanoTime() - t1;
    }
    java.util.Arrays.sort(listNs);
    java.util.Arrays.sort(searchNs);
    return new Reads(
        Stats.percentile(listNs, 50) / 1e6,
        Stats.percentile(listNs, 99) / 1e6,
        Stats.percentile(searchNs, 50) / 1e6,
        Stats.percentile(searchNs, 99) / 1e6,
        errors);
  }

  /** The registry's HTTP API, as a domain team's client uses it. */
  private static final class Api {
    private final HttpClient http = BenchHttp.client(Duration.ofSeconds(5));
    private final String url;

    Api(String url) {
      this.url = url;
    }

    /** Products {@code from} to {@code to - 1} in one bulk request; how many were accepted. */
    int onboardAll(int from, int to) {
      String schema = "\"" + SCHEMA.replace("\"", "\\\"") + "\"";
      StringBuilder body = new StringBuilder("[");
      for (int i = from; i < to; i++) {
        body.append(i > from ? "," : "")
            .append("{\"id\":\"" + DOMAIN + ".g" + i + "\",\"descriptor\":{\"name\":\"Product ")
            .append(i)
            .append("\",\"description\":\"growth bench\",\"owner\":{\"team\":\"t\"}},\"schema\":")
            .append(schema)
            .append('}');
      }
      var answer = send(post("/domains/" + DOMAIN + "/products", body.append(']').toString()));
      if (answer.statusCode() != 200) {
        throw new IllegalStateException("bulk onboarding: " + answer.body());
      }
      Matcher m = ACCEPTED.matcher(answer.body());
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** The registry's count of the domain's products; -1 when it does not answer. */
    int count() {
      try {
        var r = send(HttpRequest.newBuilder(URI.create(url + "/domains")).GET().build());
        Matcher m = COUNT.matcher(r.body());
        return r.statusCode() == 200 && m.find() ? Integer.parseInt(m.group(1)) : 0;
      } catch (RuntimeException e) {
        return -1;
      }
    }

    int get(String path) {
      return send(HttpRequest.newBuilder(URI.create(url + path)).GET().build()).statusCode();
    }

    private HttpRequest post(String path, String body) {
      return HttpRequest.newBuilder(URI.create(url + path))
          .timeout(Duration.ofSeconds(60))
          .header("Content-Type", "application/json")
          .header("X-Mesh-Domain", DOMAIN)
          .POST(HttpRequest.BodyPublishers.ofString(body))
          .build();
    }

    private HttpResponse<String> send(HttpRequest request) {
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
