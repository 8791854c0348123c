package dev.meshbone.validator.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ControlSettingsTest {
  @Test
  void shouldDefaultToFiveMinutesOfSkewAndAHundredIds() {
    var settings = ControlSettings.resolve(null, null, Map.of("unrelated", "x"));

    assertThat(settings).isEqualTo(ControlSettings.defaults());
    assertThat(settings.maxClockSkew()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.rememberedEventIds()).isEqualTo(100);
  }

  @Test
  void shouldTakeTheNewSettingsOverTheDeprecatedNames() {
    var settings =
        ControlSettings.resolve(
            Duration.ofMinutes(1),
            7,
            Map.of(
                ControlSettings.LEGACY_MAX_CLOCK_SKEW_MS_CONFIG,
                "5",
                ControlSettings.LEGACY_REMEMBERED_EVENT_IDS_CONFIG,
                "9"));

    assertThat(settings).isEqualTo(new ControlSettings(Duration.ofMinutes(1), 7));
  }

  @Test
  void shouldFallBackToTheDeprecatedNames() {
    var settings =
        ControlSettings.resolve(
            null,
            null,
            Map.of(
                ControlSettings.LEGACY_MAX_CLOCK_SKEW_MS_CONFIG,
                "60000",
                ControlSettings.LEGACY_REMEMBERED_EVENT_IDS_CONFIG,
                7));

    assertThat(settings).isEqualTo(new ControlSettings(Duration.ofMinutes(1), 7));
  }

  @Test
  void shouldRefuseADeprecatedNonNumberNamingTheSetting() {
    assertThatThrownBy(
            () ->
                ControlSettings.resolve(
                    null, null, Map.of(ControlSettings.LEGACY_MAX_CLOCK_SKEW_MS_CONFIG, "5m")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(ControlSettings.LEGACY_MAX_CLOCK_SKEW_MS_CONFIG);
  }

  @Test
  void shouldRefuseANegativeSkew() {
    assertThatThrownBy(() -> new ControlSettings(Duration.ofMillis(-1), 100))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(ControlSettings.MAX_CLOCK_SKEW_CONFIG);
  }

  @Test
  void shouldRefuseRememberingNoIds() {
    assertThatThrownBy(() -> ControlSettings.resolve(null, 0, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(ControlSettings.REMEMBERED_EVENT_IDS_CONFIG);
  }

  @Test
  void shouldRefuseRememberingTooManyIds() {
    assertThatThrownBy(
            () ->
                ControlSettings.resolve(
                    null,
                    null,
                    Map.of(ControlSettings.LEGACY_REMEMBERED_EVENT_IDS_CONFIG, 100_001)))
        .isInstanceOf(ConfigException.class);
  }
}
