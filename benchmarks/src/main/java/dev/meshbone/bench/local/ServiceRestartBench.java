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
 * How long each service takes to be healthy again after a restart: contract-validator,
 * mesh-registry and quality-monitor, each on its own in a child JVM ({@code java -cp <this class
 * path> <its main class>}) against a broker of the caller's, as the local mesh runs it: a static
 * member ({@code meshbone.instance-id}), a state folder kept across restarts, security off. Each
 * round restarts it after a clean stop (SIGTERM) and after a SIGKILL, each time until its {@code
 * /health} answers 200 UP (polled every 20 ms; UP means its Kafka Streams application reached
 * RUNNING).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.meshbone.bench.local.ServiceRestartBench \
 *     --bootstrap localhost:9092 [--rounds 2]
 * </pre>
 */
public final class ServiceRestartBench {
  /** The services, by name, with their main classes. */
  public static final Map<String, String> SERVICES = services();

  /** One round of one service, in seconds: restart after SIGTERM and after SIGKILL to healthy. */
  public record Round(double clean, double killed) {}

  /** A service's first start to healthy and its rounds. */
  public record Result(String service, double first, List<Round> rounds) {}

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
    try {
      long launched = System.nanoTime();
      Process process = launch(bootstrap, name, main, state, port);
      try {
        double first = awaitHealthy(process, name, port, launched);
        for (int round = 0; round < rounds; round++) {
          ColdStartBench.stop(process);
          launched = System.nanoTime();
          process = launch(bootstrap, name, main, state, port);
          double clean = awaitHealthy(process, name, port, launched);
          process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          launched = System.nanoTime();
          process = launch(bootstrap, name, main, state, port);
          double killed = awaitHealthy(process, name, port, launched);
          log.accept(
              String.format(
                  "%s round %d: restart after SIGTERM %.1f s, after SIGKILL %.1f s",
                  name, round, clean, killed));
          result.add(new Round(clean, killed));
        }
        return new Result(name, first, result);
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
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("-Xmx512m");
    command.add("-Dkafka.bootstrap.servers=" + bootstrap);
    command.add("-Dmicronaut.server.port=" + port);
    command.add("-Dmeshbone.state-dir=" + state.resolve("streams"));
    command.add("-Dmeshbone.replication-factor=1");
    command.add("-Dmeshbone.instance-id=bench");
    command.add("-Dmeshbone.security.enabled=false");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main);
    return new ProcessBuilder(command)
        .redirectOutput(state.resolve(name + ".out").toFile())
        .redirectErrorStream(true)
        .start();
  }

  private static double awaitHealthy(Process process, String name, int port, long launched)
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
