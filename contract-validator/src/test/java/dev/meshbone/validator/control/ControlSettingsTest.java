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
    var settings = ControlSettings.from(Map.of("unrelated", "x"));

    assertThat(settings.maxClockSkew()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.rememberedEventIds()).isEqualTo(100);
  }

  @Test
  void shouldReadNumbersAndNumericStrings() {
    var settings =
        ControlSettings.from(
            Map.of(
                ControlSettings.MAX_CLOCK_SKEW_MS_CONFIG,
                "60000",
                ControlSettings.REMEMBERED_EVENT_IDS_CONFIG,
                7));

    assertThat(settings).isEqualTo(new ControlSettings(Duration.ofMinutes(1), 7));
  }

  @Test
  void shouldRefuseANonNumberNamingTheSetting() {
    assertThatThrownBy(
            () -> ControlSettings.from(Map.of(ControlSettings.MAX_CLOCK_SKEW_MS_CONFIG, "5m")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(ControlSettings.MAX_CLOCK_SKEW_MS_CONFIG);
  }

  @Test
  void shouldRefuseANegativeSkew() {
    assertThatThrownBy(
            () -> ControlSettings.from(Map.of(ControlSettings.MAX_CLOCK_SKEW_MS_CONFIG, -1)))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void shouldRefuseRememberingNoIds() {
    assertThatThrownBy(
            () -> ControlSettings.from(Map.of(ControlSettings.REMEMBERED_EVENT_IDS_CONFIG, 0)))
        .isInstanceOf(ConfigException.class);
  }
}
