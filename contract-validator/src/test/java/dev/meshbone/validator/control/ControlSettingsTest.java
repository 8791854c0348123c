package dev.meshbone.validator.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ControlSettingsTest {
  @Test
  void shouldDefaultToFiveMinutesOfSkewAndAHundredIds() {
    var settings = new ControlConfig().toSettings();

    assertThat(settings).isEqualTo(ControlSettings.defaults());
    assertThat(settings.maxClockSkew()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.rememberedEventIds()).isEqualTo(100);
  }

  @Test
  void shouldTakeTheSettingsUnderTheValidatorPrefix() {
    var config = new ControlConfig();
    config.setMaxClockSkew(Duration.ofSeconds(30));
    config.setRememberedEventIds(5);

    assertThat(config.toSettings()).isEqualTo(new ControlSettings(Duration.ofSeconds(30), 5));
  }

  @Test
  void shouldRefuseANegativeSkew() {
    assertThatThrownBy(() -> new ControlSettings(Duration.ofMillis(-1), 100))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(ControlSettings.MAX_CLOCK_SKEW_CONFIG);
  }

  @Test
  void shouldRefuseRememberingNoIds() {
    var config = new ControlConfig();
    config.setRememberedEventIds(0);

    assertThatThrownBy(config::toSettings)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(ControlSettings.REMEMBERED_EVENT_IDS_CONFIG);
  }

  @Test
  void shouldRefuseRememberingTooManyIds() {
    assertThatThrownBy(() -> new ControlSettings(Duration.ofMinutes(5), 100_001))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(ControlSettings.REMEMBERED_EVENT_IDS_CONFIG);
  }
}
