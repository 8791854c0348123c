package dev.meshbone.validator;

import dev.meshbone.runtime.KafkaSettings;
import dev.meshbone.runtime.MeshSettings;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.testkit.TestDirs;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** The Streams config the validator runs with, for its TopologyTestDriver tests. */
public final class ValidatorTestConfig {
  private ValidatorTestConfig() {}

  /** The service's config with its own state folder: /tmp/kafka-streams is shared by test JVMs. */
  public static Properties streams(String test) {
    return streams(test, Path.of(TestDirs.newStateDir()));
  }

  /** The service's config with state under {@code stateDir}. */
  public static Properties streams(String test, Path stateDir) {
    return MeshStreams.streamsConfig(
        test,
        test + "-test",
        ValidatorStreamsApp.STREAMS_DEFAULTS,
        new KafkaSettings(Map.of("bootstrap.servers", "unused:9092")),
        MeshSettings.DEFAULTS.withStateDir(stateDir));
  }
}
