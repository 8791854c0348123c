package dev.meshbone.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeshClientSettingsTest {

  @Test
  void shouldReadPrefixedSettingsWithPassThroughAndDurations() {
    MeshClientSettings settings =
        MeshClientSettings.fromMap(
            Map.of(
                "meshbone.client.domain", "clinical-trials",
                "meshbone.client.bootstrap-servers", "broker1:9092,broker2:9092",
                "meshbone.client.registry-url", "https://registry.example.com:8081/",
                "meshbone.client.kafka.security.protocol", "SASL_SSL",
                "meshbone.client.registry.basic.auth.user.info", "clinical-trials:secret",
                "meshbone.client.verdict-timeout", "45s",
                "meshbone.client.request-timeout", "PT3S",
                "meshbone.client.broker-timeout", "1500ms",
                "meshbone.client.delivery-timeout", "2m",
                "meshbone.client.topic-ready-timeout", 20000));

    assertThat(settings.domain()).isEqualTo("clinical-trials");
    assertThat(settings.bootstrapServers()).isEqualTo("broker1:9092,broker2:9092");
    assertThat(settings.registryUrl()).hasToString("https://registry.example.com:8081");
    assertThat(settings.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL");
    assertThat(settings.registryProperties())
        .containsEntry("basic.auth.user.info", "clinical-trials:secret");
    assertThat(settings.verdictTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(settings.brokerTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(settings.deliveryTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.topicReadyTimeout()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void shouldNameEveryMissingSettingAtOnce() {
    assertThatThrownBy(() -> MeshClientSettings.fromMap(Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("meshbone.client.domain is required")
        .hasMessageContaining("meshbone.client.bootstrap-servers is required")
        .hasMessageContaining("meshbone.client.registry-url is required");
  }

  @Test
  void shouldRefuseADomainThatBreaksTheNamingRules() {
    assertThatThrownBy(
            () ->
                MeshClientSettings.builder()
                    .domain("Clinical Trials")
                    .bootstrapServers("localhost:9092")
                    .registryUrl("http://localhost:8081")
                    .build())
        .hasMessageContaining("meshbone.client.domain");
  }

  @Test
  void shouldRefuseAnUnknownSettingSoATypoIsNoticed() {
    assertThatThrownBy(
            () ->
                MeshClientSettings.fromMap(
                    Map.of(
                        "domain", "sales",
                        "bootstrap-servers", "localhost:9092",
                        "registry-url", "http://localhost:8081",
                        "verdict-timout", "5s")))
        .hasMessageContaining("unknown mesh client settings [verdict-timout]");
  }

  @Test
  void shouldRefuseAMalformedDurationOrUrl() {
    assertThatThrownBy(
            () ->
                MeshClientSettings.fromMap(
                    Map.of(
                        "domain", "sales",
                        "bootstrap-servers", "localhost:9092",
                        "registry-url", "http://localhost:8081",
                        "verdict-timeout", "soon")))
        .hasMessageContaining("meshbone.client.verdict-timeout 'soon' is not a duration");
    assertThatThrownBy(
            () ->
                MeshClientSettings.fromMap(
                    Map.of(
                        "domain", "sales",
                        "bootstrap-servers", "localhost:9092",
                        "registry-url", "localhost:8081")))
        .hasMessageContaining("is not an http(s) URL");
  }

  @Test
  void shouldKeepSecretsOutOfItsText() {
    MeshClientSettings settings =
        MeshClientSettings.builder()
            .domain("sales")
            .bootstrapServers("localhost:9092")
            .registryUrl("http://localhost:8081")
            .kafka("sasl.jaas.config", "org.apache.kafka... password=\"hunter2\";")
            .build();

    assertThat(settings.toString()).contains("sasl.jaas.config").doesNotContain("hunter2");
  }
}
