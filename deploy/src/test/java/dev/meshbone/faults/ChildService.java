package dev.meshbone.faults;

import dev.meshbone.registry.RegistryApp;
import dev.meshbone.testkit.ChildJvm;
import dev.meshbone.testkit.KafkaBroker;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A meshbone service (its {@code main} class) in a child JVM on the test's classpath, on a fixed
 * HTTP port and state folder, so a test can SIGKILL it and start it again where its clients expect
 * it; and a {@code read_committed} read of a whole topic, to count what the services wrote.
 */
final class ChildService {
  private ChildService() {}

  /** mesh-registry as a static member named {@code name}, as {@link #start} does. */
  static Process registry(
      Map<String, Object> client, String appId, Path stateDir, int port, String name)
      throws Exception {
    return start(RegistryApp.class, client, appId, stateDir, port, name, name, Map.of());
  }

  /**
   * Starts {@code main} with {@code appId}, {@code stateDir}, HTTP {@code port} and the extra
   * system {@code properties}, as the static member {@code instanceId} ({@code
   * meshbone.instance-id}) as the local mesh and the Kubernetes manifests run it; its output goes
   * to {@code target/faults-<name>.log}.
   */
  static Process start(
      Class<?> main,
      Map<String, Object> client,
      String appId,
      Path stateDir,
      int port,
      String name,
      String instanceId,
      Map<String, String> properties)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.addAll(ChildJvm.options());
    client.forEach((k, v) -> command.add("-Dkafka." + k + "=" + v));
    command.add("-Dmicronaut.server.port=" + port);
    command.add("-Dmeshbone.security.enabled=false");
    command.add("-Dkafka.streams.application.id=" + appId);
    command.add("-Dmeshbone.state-dir=" + stateDir);
    command.add("-Dmeshbone.instance-id=" + instanceId);
    command.add(
        "-Dkafka.streams.main.consumer." + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG + "=6000");
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    File log = Path.of("target", "faults-" + name + ".log").toFile();
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        .start();
  }

  /** Every record of {@code topic} as a {@code read_committed} reader sees it: key, value. */
  static void readAll(KafkaBroker broker, String topic, BiConsumer<String, byte[]> each) {
    try (var consumer =
        new KafkaConsumer<byte[], byte[]>(broker.consumerConfig(KafkaBroker.unique("crash")))) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(r -> each.accept(r.key() == null ? null : new String(r.key()), r.value()));
      }
    }
  }
}
