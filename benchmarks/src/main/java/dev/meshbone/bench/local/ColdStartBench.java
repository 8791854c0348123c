package dev.meshbone.bench.local;

import dev.meshbone.bench.BenchHttp;
import dev.meshbone.bench.validator.ChildBroker;
import dev.meshbone.testkit.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How long the local mesh takes from launch to healthy: {@code dev.meshbone.local.LocalMesh} in a
 * child JVM, as {@code bin/local-mesh} runs it ({@code java -Xmx2g -jar
 * deploy/target/meshbone-local.jar}; with no built jar, the same class from this JVM's class path),
 * on free ports, until the health endpoints of contract-validator, mesh-registry and
 * quality-monitor all answer 200 UP (polled every 20 ms).
 *
 * <ul>
 *   <li><b>cold start</b>: a fresh, empty data folder (the broker formats its log, every topic is
 *       created, every store is empty);
 *   <li><b>restart</b>: the same folder after a clean stop (SIGTERM, as Ctrl-C), data kept;
 *   <li><b>restart after SIGKILL</b> (when asked for, as the {@code recovery} section does): the
 *       restarted mesh killed with SIGKILL (no shutdown hook runs: the broker recovers its log, the
 *       services' transactions and group members are left behind) and launched again on the same
 *       folder;
 *   <li><b>time to resume output</b> (when asked for, with a load rate): from after the cold start
 *       a steady load ({@link SteadyLoad}: valid orders into the product {@code bench.orders}, 2
 *       partitions, replication factor 1) runs through the mesh's contract-validator; after each
 *       restart, the seconds from the launch until every partition of the product's validated topic
 *       delivered (read_committed) a record sent after the launch. At the end of the round the load
 *       stops and its records are counted: lost, duplicated, read out of order;
 *   <li><b>baseline</b>: a child JVM that only starts the tests' embedded single-node KRaft broker
 *       (same JDK, same class path) until it prints its address: the part of a start-up that is
 *       Kafka's, not meshbone's.
 * </ul>
 *
 * Each round runs baseline, cold start, stop, restart, (SIGKILL, restart,) and a SIGKILL to end it,
 * its data wiped.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.meshbone.bench.local.ColdStartBench [--rounds 3]
 * </pre>
 */
public final class ColdStartBench {
  private static final HttpClient HTTP = BenchHttp.client(Duration.ofSeconds(2));

  /**
   * One round, in seconds: broker baseline, cold start to healthy, clean stop, restart to healthy,
   * restart to healthy after a SIGKILL, and each restart's time to resume output (NaN when not
   * measured); with a load, its records lost, duplicated and read out of order (-1 without).
   */
  public record Round(
      double broker,
      double cold,
      double stop,
      double restart,
      double killed,
      double restartOutput,
      double killedOutput,
      long lost,
      long dup,
      long outOfOrder) {
    Round(double broker, double cold, double stop, double restart, double killed) {
      this(broker, cold, stop, restart, killed, Double.NaN, Double.NaN, -1, -1, -1);
    }
  }

  /** What the rounds found and how the mesh was launched. */
  public record Result(List<Round> rounds, String launcher) {}

  /** The load's product partitions, as the services' validator probe ({@link OutputProbe}). */
  private static final int LOAD_PARTITIONS = 2;

  /** How long a restart's output may take before it counts as not resumed (NaN). */
  private static final Duration OUTPUT_WAIT = Duration.ofMinutes(3);

  private ColdStartBench() {}

  /**
   * {@code [--rounds N] [--kill] [--rate R]}: N rounds (3), each with a restart after SIGKILL with
   * {@code --kill}, under a steady load of R records a second with {@code --rate} (as the suite's
   * recovery section runs them: {@code --kill --rate 2000}).
   */
  public static void main(String[] args) throws Exception {
    int rounds = 3;
    boolean kill = false;
    int rate = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--kill" -> kill = true;
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Result result = measure(rounds, true, kill, rate, System.out::println);
    System.out.println("launcher: " + result.launcher());
  }

  /** Runs {@code rounds} rounds. */
  public static Result measure(int rounds, java.util.function.Consumer<String> log)
      throws Exception {
    return measure(rounds, false, log);
  }

  /** Runs {@code rounds} rounds, each with a restart after SIGKILL when {@code kill}. */
  public static Result measure(int rounds, boolean kill, java.util.function.Consumer<String> log)
      throws Exception {
    return measure(rounds, true, kill, log);
  }

  /**
   * As above; without {@code restart} (and {@code kill}) a round is the baseline and the cold start
   * only, ended with a SIGKILL (stop and restart NaN): {@code bin/bench --quick}'s smoke run.
   */
  public static Result measure(
      int rounds, boolean restart, boolean kill, java.util.function.Consumer<String> log)
      throws Exception {
    return measure(rounds, restart, kill, 0, log);
  }

  /**
   * As above; with {@code rate} above 0 (and {@code kill}), a steady load of {@code rate} records a
   * second runs from after the cold start, and each restart is also timed to resumed output.
   */
  public static Result measure(
      int rounds, boolean restart, boolean kill, int rate, java.util.function.Consumer<String> log)
      throws Exception {
    if (kill && !restart) {
      throw new IllegalArgumentException("a restart after SIGKILL needs the restart before it");
    }
    if (rate > 0 && !kill) {
      throw new IllegalArgumentException("output is timed across the restart after SIGKILL only");
    }
    List<String> launcher = launcher();
    List<Round> result = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      long t0 = System.nanoTime();
      double brokerSeconds;
      try (var broker = ChildBroker.start()) {
        brokerSeconds = seconds(t0);
      }
      Path data = Files.createTempDirectory("bench-local-mesh");
      boolean done = false;
      try {
        Map<String, Integer> ports = freePorts();
        double cold;
        long launched = System.nanoTime();
        Process mesh = launch(launcher, data, ports);
        try {
          cold = awaitHealthy(mesh, ports, launched);
        } catch (Exception | Error e) {
          mesh.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          throw e;
        }
        if (!restart) {
          mesh.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          result.add(new Round(brokerSeconds, cold, Double.NaN, Double.NaN, Double.NaN));
          log.accept(
              String.format(
                  "round %d: broker alone %.1f s, cold start %.1f s", round, brokerSeconds, cold));
          done = true;
          continue;
        }
        var r = restarts(launcher, data, ports, mesh, rate, brokerSeconds, cold, kill);
        log.accept(
            String.format(
                "round %d: broker alone %.1f s, cold start %.1f s, stop %.1f s, restart %.1f s%s%s%s",
                round,
                r.broker(),
                r.cold(),
                r.stop(),
                r.restart(),
                kill ? String.format(", restart after SIGKILL %.1f s", r.killed()) : "",
                rate > 0
                    ? String.format(
                        "; to output: restart %.1f s, after SIGKILL %.1f s; lost %d, duplicated"
                            + " %d, out of order %d",
                        r.restartOutput(), r.killedOutput(), r.lost(), r.dup(), r.outOfOrder())
                    : "",
                hangingTransactions(data)));
        result.add(r);
        done = r.lost() == 0;
      } finally {
        if (done) {
          wipe(data);
        } else {
          // A failed round, or one that lost records, keeps what it needs to be understood: the
          // mesh's log and its data.
          log.accept(
              "round "
                  + round
                  + " failed or lost records; kept "
                  + data
                  + " and its log "
                  + data
                  + ".out");
        }
      }
    }
    return new Result(result, display(launcher));
  }

  /**
   * The rest of a round from a mesh up after its cold start: (with a load: the load started and its
   * first record validated,) a clean stop and restart, (a SIGKILL and restart,) each restart timed
   * from its launch to healthy (and to resumed output), the load counted; the mesh killed at the
   * end.
   */
  private static Round restarts(
      List<String> launcher,
      Path data,
      Map<String, Integer> ports,
      Process mesh,
      int rate,
      double broker,
      double cold,
      boolean kill)
      throws Exception {
    SteadyLoad load = null;
    try {
      String bootstrap = "localhost:" + ports.get("kafka-port");
      if (rate > 0) {
        SteadyLoad.declare(bootstrap, (short) 1, LOAD_PARTITIONS);
        load = SteadyLoad.start(bootstrap, rate, LOAD_PARTITIONS);
        load.mark();
        if (Double.isNaN(load.awaitResumed(Duration.ofSeconds(120)))) {
          throw new IllegalStateException("the local mesh validated nothing within 120 s");
        }
      }
      double stop = stop(mesh);
      // Each restart is timed from its launch, the old process gone.
      if (load != null) {
        load.mark();
      }
      long launched = System.nanoTime();
      mesh = launch(launcher, data, ports);
      double restarted = awaitHealthy(mesh, ports, launched);
      double restartOutput = load == null ? Double.NaN : load.awaitResumed(OUTPUT_WAIT);
      double killed = Double.NaN;
      double killedOutput = Double.NaN;
      if (kill) {
        mesh.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        if (load != null) {
          load.mark();
        }
        launched = System.nanoTime();
        mesh = launch(launcher, data, ports);
        killed = awaitHealthy(mesh, ports, launched);
        killedOutput = load == null ? Double.NaN : load.awaitResumed(OUTPUT_WAIT);
      }
      if (load == null) {
        return new Round(broker, cold, stop, restarted, killed);
      }
      load.stopAndSettle(Duration.ofSeconds(60));
      long n = load.nextSeq();
      // A lost record is a bug to find: say where it went while the mesh still runs.
      load.whereLost(0, n).forEach(line -> System.out.println("lost: " + line));
      return new Round(
          broker,
          cold,
          stop,
          restarted,
          killed,
          restartOutput,
          killedOutput,
          load.lost(0, n),
          load.duplicated(0, n),
          load.outOfOrder());
    } finally {
      if (load != null) {
        load.close();
      }
      // Its data is wiped next: no need to wait for a clean stop.
      mesh.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * {@code java -Xmx2g -jar meshbone-local.jar}, or {@code java -cp <ours> LocalMesh} when there is
   * no built jar or {@code -Dbench.local-launcher=classpath}.
   */
  static List<String> launcher() {
    List<String> launcher = new ArrayList<>();
    launcher.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    launcher.add("-Xmx2g");
    launcher.addAll(ChildJvm.options());
    Path jar = "classpath".equals(System.getProperty("bench.local-launcher")) ? null : findJar();
    if (jar != null) {
      launcher.addAll(List.of("-jar", jar.toString()));
    } else {
      launcher.addAll(
          List.of("-cp", System.getProperty("java.class.path"), "dev.meshbone.local.LocalMesh"));
    }
    return List.copyOf(launcher);
  }

  /** The command as a reader would type it: no JDK path, no class path, a relative jar path. */
  static String display(List<String> launcher) {
    List<String> shown = new ArrayList<>();
    for (int i = 0; i < launcher.size(); i++) {
      String arg = launcher.get(i);
      if (i == 0) {
        shown.add("java");
      } else if (i > 0 && launcher.get(i - 1).equals("-cp")) {
        shown.add("<this class path>");
      } else if (arg.endsWith("meshbone-local.jar")) {
        shown.add("deploy/target/meshbone-local.jar");
      } else {
        shown.add(arg);
      }
    }
    return String.join(" ", shown);
  }

  /**
   * deploy/target/meshbone-local.jar in this folder or one above it ({@code -Dbench.local-jar}).
   */
  private static Path findJar() {
    String configured = System.getProperty("bench.local-jar");
    if (configured != null) {
      return Path.of(configured).toAbsolutePath();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path jar = dir.resolve("deploy/target/meshbone-local.jar");
      if (Files.isRegularFile(jar) && Files.isDirectory(dir.resolve("deploy/target/lib"))) {
        return jar;
      }
    }
    return null;
  }

  static Process launch(List<String> launcher, Path data, Map<String, Integer> ports)
      throws IOException {
    List<String> command = new ArrayList<>(launcher);
    command.addAll(List.of("--data-dir", data.toString()));
    ports.forEach((option, port) -> command.addAll(List.of("--" + option, port.toString())));
    return new ProcessBuilder(command)
        .redirectOutput(
            ProcessBuilder.Redirect.appendTo(
                data.resolveSibling(data.getFileName() + ".out").toFile()))
        .redirectErrorStream(true)
        .start();
  }

  /** Seconds from launching the process until every service's health answers 200 UP. */
  private static double awaitHealthy(Process mesh, Map<String, Integer> ports, long launched)
      throws Exception {
    return awaitHealthy(mesh, ports, launched, Duration.ofSeconds(120));
  }

  /** As above, failing after {@code timeout}. */
  static double awaitHealthy(
      Process mesh, Map<String, Integer> ports, long launched, Duration timeout) throws Exception {
    List<Integer> services =
        List.of(ports.get("registry-port"), ports.get("validator-port"), ports.get("quality-port"));
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Integer> waiting = new ArrayList<>(services);
    while (!waiting.isEmpty()) {
      if (!mesh.isAlive()) {
        throw new IllegalStateException("the local mesh exited with " + mesh.exitValue());
      }
      if (System.nanoTime() > deadline) {
        // Which services, so a failed round says where to look (their log goes with the run).
        List<String> names = new ArrayList<>();
        ports.forEach(
            (option, port) -> {
              if (waiting.contains(port)) {
                names.add(option);
              }
            });
        throw new IllegalStateException(
            "the local mesh was not healthy after " + timeout + "; still not UP: " + names);
      }
      waiting.removeIf(ColdStartBench::healthy);
      if (!waiting.isEmpty()) {
        Thread.sleep(20);
      }
    }
    return seconds(launched);
  }

  static boolean healthy(int port) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("UP");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGTERM (the launcher's shutdown hook stops everything) and the seconds until it exits. */
  static double stop(Process mesh) throws InterruptedException {
    long t0 = System.nanoTime();
    mesh.destroy();
    if (!mesh.waitFor(60, TimeUnit.SECONDS)) {
      mesh.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    return seconds(t0);
  }

  /**
   * "; hanging transactions on restart:" and the local mesh's lines about each (committed, aborted,
   * or left undecided) when its restarts found any a crash left, else nothing.
   */
  private static String hangingTransactions(Path data) throws IOException {
    Path out = data.resolveSibling(data.getFileName() + ".out");
    if (!Files.exists(out)) {
      return "";
    }
    try (Stream<String> lines = Files.lines(out, java.nio.charset.StandardCharsets.ISO_8859_1)) {
      List<String> found =
          lines.filter(l -> l.startsWith("  ") && l.contains(": producer ")).toList();
      return found.isEmpty()
          ? ""
          : "; hanging transactions on restart:\n" + String.join("\n", found);
    }
  }

  static Map<String, Integer> freePorts() throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      Map<String, Integer> ports = new HashMap<>();
      for (String option :
          List.of(
              "kafka-port", "controller-port", "registry-port", "validator-port", "quality-port")) {
        var socket = new ServerSocket(0);
        sockets.add(socket);
        ports.put(option, socket.getLocalPort());
      }
      return ports;
    } finally {
      for (var s : sockets) {
        s.close();
      }
    }
  }

  static double seconds(long fromNanos) {
    return (System.nanoTime() - fromNanos) / 1e9;
  }

  static void wipe(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir.resolveSibling(dir.getFileName() + ".out"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
