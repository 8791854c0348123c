package dev.meshbone.faults;

import dev.meshbone.registry.RegistryApp;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * mesh-registry in a child JVM on the test's classpath, on a fixed HTTP port and state folder, so a
 * test can SIGKILL it and start it again where its clients expect it.
 */
final class ChildRegistry {
  private ChildRegistry() {}

  /**
   * Starts the registry with {@code appId}, {@code stateDir} and HTTP {@code port}, a static member
   * ({@code meshbone.instance-id}) as the local mesh and the Kubernetes manifests run it.
   */
  static Process start(
      Map<String, Object> client, String appId, Path stateDir, int port, String name)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    client.forEach((k, v) -> command.add("-Dkafka." + k + "=" + v));
    command.add("-Dmicronaut.server.port=" + port);
    command.add("-Dmeshbone.security.enabled=false");
    command.add("-Dkafka.streams.application.id=" + appId);
    command.add("-Dmeshbone.state-dir=" + stateDir);
    command.add("-Dmeshbone.instance-id=" + name);
    command.add(
        "-Dkafka.streams.main.consumer." + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG + "=6000");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(RegistryApp.class.getName());
    File log = Path.of("target", "faults-" + name + ".log").toFile();
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        .start();
  }
}
