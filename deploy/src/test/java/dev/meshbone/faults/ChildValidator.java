package dev.meshbone.faults;

import dev.meshbone.testkit.ChildJvm;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.validator.ValidatorApp;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** contract-validator in a child JVM on the test's classpath, so a test can SIGKILL it. */
final class ChildValidator {
  private ChildValidator() {}

  /**
   * Starts the validator with {@code appId} and {@code stateDir}, long transactions (commit every 2
   * s) so a kill finds one open, a short session so a restart need not wait out the dead member.
   */
  static Process start(KafkaBroker broker, String appId, Path stateDir, String name)
      throws Exception {
    return start(broker.clientConfig(), appId, stateDir, name);
  }

  /** As {@link #start(KafkaBroker, String, Path, String)}, with these Kafka client settings. */
  static Process start(Map<String, Object> client, String appId, Path stateDir, String name)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.addAll(ChildJvm.options());
    client.forEach((k, v) -> command.add("-Dkafka." + k + "=" + v));
    command.add("-Dmicronaut.server.port=-1");
    // Started as from its jar: without a credential source it would refuse to start.
    command.add("-Dmeshbone.security.enabled=false");
    command.add("-Dkafka.streams.application.id=" + appId);
    command.add("-Dmeshbone.state-dir=" + stateDir);
    command.add("-Dmeshbone.validator.max-record-bytes=" + FaultRecords.MAX_RECORD_BYTES);
    command.add("-Dkafka.streams.commit.interval.ms=2000");
    command.add(
        "-Dkafka.streams.main.consumer." + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG + "=6000");
    command.add("-Dkafka.streams.consumer.metadata.max.age.ms=2000");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ValidatorApp.class.getName());
    File log = Path.of("target", "faults-" + name + ".log").toFile();
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        .start();
  }

  /** SIGKILL, and wait until the process is gone. */
  static void kill(Process process) throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM (a clean close), then SIGKILL if it takes more than a minute. */
  static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      kill(process);
    }
  }
}
