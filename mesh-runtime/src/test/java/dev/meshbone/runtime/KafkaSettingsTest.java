package dev.meshbone.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

  /** The surefire configuration of this module sets these variables for the unit tests. */
  @Test
  void shouldTakeKafkaSettingsFromRealEnvironmentVariablesOverConfigurationFiles() {
    assertThat(System.getenv("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("env-broker:9092");
    try (var context = ApplicationContext.builder().deduceEnvironment(false).build().start()) {
      var settings = new KafkaSettings(context.getEnvironment());

      // application.yml says localhost:9092; the variable wins, as Micronaut's precedence says.
      assertThat(settings.bootstrapServers()).isEqualTo("env-broker:9092");
      assertThat(settings.streams()).containsEntry("num.stream.threads", "3");
    }
  }

  @Test
  void shouldTakeKafkaSettingsFromEnvironmentVariablesByKafkaNames() {
    try (var context = ApplicationContext.builder().deduceEnvironment(false).build().start()) {
      var resolved =
          KafkaSettings.resolve(
              context.getEnvironment(),
              Map.of(
                  "KAFKA_STREAMS_REPLICATION_FACTOR", "2",
                  "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                  "HOME", "/root"));
      var settings = new KafkaSettings(resolved);

      assertThat(settings.streams())
          .containsEntry("replication.factor", "2")
          .containsEntry("security.protocol", "SASL_SSL");
      assertThat(settings.producer()).doesNotContainKey("replication.factor");
    }
  }

  @Test
  void shouldLetPropertiesGivenInCodeWinOverEnvironmentVariables() {
    try (var context =
        ApplicationContext.builder()
            .deduceEnvironment(false)
            .properties(
                Map.of(
                    "kafka.bootstrap.servers",
                    "localhost:19092",
                    "kafka.streams.commit.interval.ms",
                    "50"))
            .build()
            .start()) {
      var settings =
          new KafkaSettings(
              KafkaSettings.resolve(
                  context.getEnvironment(), Map.of("KAFKA_BOOTSTRAP_SERVERS", "elsewhere:9092")));

      assertThat(settings.bootstrapServers()).isEqualTo("localhost:19092");
      assertThat(settings.streams()).containsEntry("commit.interval.ms", "50");
      assertThat(settings.common()).doesNotContainKey("commit.interval.ms");
    }
  }
}
