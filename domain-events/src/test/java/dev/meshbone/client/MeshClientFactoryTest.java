package dev.meshbone.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK in a Micronaut application: injectable when configured, absent otherwise. */
class MeshClientFactoryTest {

  @Test
  void shouldMakeAClientFromTheSettingsUnderTheMeshClientPrefix() {
    try (ApplicationContext context =
        ApplicationContext.run(
            Map.of(
                "meshbone.client.domain", "pharmacovigilance",
                "meshbone.client.bootstrap-servers", "localhost:9092",
                "meshbone.client.registry-url", "http://localhost:8081",
                "meshbone.client.verdict-timeout", "12s",
                "meshbone.client.kafka.security.protocol", "SASL_SSL"))) {
      MeshClient client = context.getBean(MeshClient.class);

      assertThat(client.domain()).isEqualTo("pharmacovigilance");
      assertThat(client.settings().verdictTimeout()).isEqualTo(Duration.ofSeconds(12));
      assertThat(client.settings().kafkaProperties())
          .containsEntry("security.protocol", "SASL_SSL");
      assertThat(context.getBean(MeshClient.class)).isSameAs(client);
    }
  }

  @Test
  void shouldMakeNoClientWithoutADomain() {
    try (ApplicationContext context =
        ApplicationContext.run(Map.of("kafka.bootstrap.servers", "localhost:9092"))) {
      assertThat(context.findBean(MeshClient.class)).isEmpty();
      assertThat(context.findBean(MeshClientSettings.class)).isEmpty();
    }
  }
}
