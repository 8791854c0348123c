package dev.meshbone.bench.local;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * How long each service takes to be healthy again, and to do its work again, after a restart:
 * contract-validator, mesh-registry and quality-monitor, each on its own in a child JVM ({@code
 * java -cp <this class path> <its main class>}) against a broker of the caller's, as the local mesh
 * runs it: a static member ({@code meshbone.instance-id}), a state folder kept across restarts,
 * security off. Each round restarts it after a clean stop (SIGTERM) and after a SIGKILL, each time
 * until its {@code /health} answers 200 UP (polled every 20 ms; UP means its Kafka Streams
 * application reached RUNNING) and until its output moved ({@link OutputProbe}: for the validator a
 * record validated under a steady load, for the registry a contract read answered, for
 * quality-monitor a health update written), both timed from the launch of the new process.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.meshbone.bench.local.ServiceRestartBench \
 *     --bootstrap localhost:9092 [--rounds 2]
 * </pre>
 */
public final class ServiceRestartBench {
  /** The services, by name, with their main classes. */
  public static final Map<String, String> SERVICES = services();

  /**
   * One round of one service, in seconds from the launch: restart after SIGTERM and after SIGKILL
   * to healthy, and to resumed output ({@link OutputProbe}).
   */
  public record Round(double clean, double killed, double cleanOutput, double killedOutput) {}

  /**
   * A service's first start to healthy, its rounds, what its output probe waits for, and records
   * lost / duplicated over the run ("n/a" where not counted).
   */
  public record Result(
      String service, double first, List<Round> rounds, String output, String account) {}

  private ServiceRestartBench() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = null;
    int rounds = 2;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--bootstrap" -> bootstrap = args[i + 1];
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (bootstrap == null) {
      throw new IllegalArgumentException("--bootstrap host:port is required");
    }
    measure(bootstrap, rounds, System.out::println);
  }

  /** Measures every service, {@code rounds} rounds each, one service at a time. */
  public static List<Result> measure(String bootstrap, int rounds, Consumer<String> log)
      throws Exception {
    // The validator validates the bench product; the registry's probe reads its contract.
    SteadyLoad.declare(bootstrap, (short) 1, 2);
    List<Result> results = new ArrayList<>();
    for (var service : SERVICES.entrySet()) {
      results.add(measure(bootstrap, service.getKey(), service.getValue(), rounds, log));
    }
    return results;
  }

  private static Result measure(
      String bootstrap, String name, String main, int rounds, Consumer<String> log)
      throws Exception {
    Path state = Files.createTempDirectory("bench-restart-" + name);
    int port = freePort();
    List<Round> result = new ArrayList<>();
    try (var probe = OutputProbe.of(name, bootstrap, port)) {
      long launched = System.nanoTime();
      Process process = launch(bootstrap, name, main, state, port);
      try {
        double first = awaitHealthy(process, name, port, launched);
        probe.start();
        probe.mark();
        if (Double.isNaN(probe.awaitResumed(Duration.ofSeconds(120)))) {
          throw new IllegalStateException(name + ": no output within 120 s of its first start");
        }
        for (int round = 0; round < rounds; round++) {
          ColdStartBench.stop(process);
          // Both restarts are timed from the launch, once the old process is gone: records the
          // stopping process still handled do not count.
          probe.mark();
          launched = System.nanoTime();
          process = launch(bootstrap, name, main, state, port);
          double clean = awaitHealthy(process, name, port, launched);
          double cleanOutput = probe.awaitResumed(Duration.ofMinutes(3));
          process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          probe.mark();
          launched = System.nanoTime();
          process = launch(bootstrap, name, main, state, port);
          double killed = awaitHealthy(process, name, port, launched);
          double killedOutput = probe.awaitResumed(Duration.ofMinutes(3));
          log.accept(
              String.format(
                  "%s round %d: restart after SIGTERM %.1f s to healthy, %.1f s to output; after"
                      + " SIGKILL %.1f s, %.1f s",
                  name, round, clean, cleanOutput, killed, killedOutput));
          result.add(new Round(clean, killed, cleanOutput, killedOutput));
        }
        return new Result(name, first, result, probe.what(), probe.account());
      } finally {
        // Its state is wiped next: no need to wait for a clean stop.
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } finally {
      ColdStartBench.wipe(state);
    }
  }

  private static Process launch(String bootstrap, String name, String main, Path state, int port)
      throws IOException {
    return launch(
        bootstrap,
        name,
        Map.of(
            "micronaut.server.port", Integer.toString(port),
            "meshbone.state-dir", state.resolve("streams").toString()),
        state.resolve(name + ".out"));
  }

  /**
   * Launches service {@code name} in a child JVM against {@code bootstrap} as the local mesh runs
   * it (a static member, security off, replication factor 1), with {@code settings} on top; its
   * output goes to {@code log}.
   */
  static Process launch(String bootstrap, String name, Map<String, String> settings, Path log)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var properties = new LinkedHashMap<String, String>();
    properties.put("kafka.bootstrap.servers", bootstrap);
    properties.put("meshbone.replication-factor", "1");
    properties.put("meshbone.instance-id", "bench");
    properties.put("meshbone.security.enabled", "false");
    properties.putAll(settings);
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx512m");
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SERVICES.get(name));
    return new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectErrorStream(true)
        .start();
  }

  static double awaitHealthy(Process process, String name, int port, long launched)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!ColdStartBench.healthy(port)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " was not healthy after 120 s");
      }
      Thread.sleep(20);
    }
    return ColdStartBench.seconds(launched);
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Map<String, String> services() {
    var services = new LinkedHashMap<String, String>();
    services.put("contract-validator", "dev.meshbone.validator.ValidatorApp");
    services.put("mesh-registry", "dev.meshbone.registry.RegistryApp");
    services.put("quality-monitor", "dev.meshbone.quality.QualityApp");
    return services;
  }
}
