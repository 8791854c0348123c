package dev.meshbone.bench.local;

import dev.meshbone.bench.validator.ChildBroker;
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
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  /**
   * One round, in seconds: broker baseline, cold start to healthy, clean stop, restart to healthy,
   * and restart to healthy after a SIGKILL (NaN when not measured).
   */
  public record Round(double broker, double cold, double stop, double restart, double killed) {}

  /** What the rounds found and how the mesh was launched. */
  public record Result(List<Round> rounds, String launcher) {}

  private ColdStartBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 1 && args[0].equals("--rounds") ? Integer.parseInt(args[1]) : 3;
    Result result = measure(rounds, System.out::println);
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
    if (kill && !restart) {
      throw new IllegalArgumentException("a restart after SIGKILL needs the restart before it");
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
      try {
        Map<String, Integer> ports = freePorts();
        double cold;
        double stop;
        double restarted;
        long launched = System.nanoTime();
        Process mesh = launch(launcher, data, ports);
        try {
          cold = awaitHealthy(mesh, ports, launched);
        } finally {
          stop = restart ? stop(mesh) : Double.NaN;
          if (!restart) {
            mesh.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          }
        }
        double killed = Double.NaN;
        if (!restart) {
          result.add(new Round(brokerSeconds, cold, stop, Double.NaN, killed));
          log.accept(
              String.format(
                  "round %d: broker alone %.1f s, cold start %.1f s", round, brokerSeconds, cold));
          continue;
        }
        launched = System.nanoTime();
        mesh = launch(launcher, data, ports);
        try {
          restarted = awaitHealthy(mesh, ports, launched);
          if (kill) {
            mesh.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            launched = System.nanoTime();
            mesh = launch(launcher, data, ports);
            killed = awaitHealthy(mesh, ports, launched);
          }
        } finally {
          // Its data is wiped next: no need to wait for a clean stop.
          mesh.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        var r = new Round(brokerSeconds, cold, stop, restarted, killed);
        log.accept(
            String.format(
                "round %d: broker alone %.1f s, cold start %.1f s, stop %.1f s, restart %.1f s%s",
                round,
                r.broker(),
                r.cold(),
                r.stop(),
                r.restart(),
                kill ? String.format(", restart after SIGKILL %.1f s", r.killed()) : ""));
        result.add(r);
      } finally {
        wipe(data);
      }
    }
    return new Result(result, display(launcher));
  }

  /**
   * {@code java -Xmx2g -jar meshbone-local.jar}, or {@code java -cp <ours> LocalMesh} when there is
   * no built jar or {@code -Dbench.local-launcher=classpath}.
   */
  static List<String> launcher() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path jar = "classpath".equals(System.getProperty("bench.local-launcher")) ? null : findJar();
    if (jar != null) {
      return List.of(java, "-Xmx2g", "-jar", jar.toString());
    }
    return List.of(
        java,
        "-Xmx2g",
        "-cp",
        System.getProperty("java.class.path"),
        "dev.meshbone.local.LocalMesh");
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
        throw new IllegalStateException("the local mesh was not healthy after " + timeout);
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
