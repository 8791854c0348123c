package dev.meshbone.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QualitySettingsTest {

  @Test
  void shouldDefaultToFiveMinuteWindowsHoppingByAMinute() {
    QualitySettings settings = new QualityConfig().toSettings();

    assertThat(settings).isEqualTo(QualitySettings.defaults());
    assertThat(settings.window()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.advance()).isEqualTo(Duration.ofMinutes(1));
    assertThat(settings.grace()).isEqualTo(Duration.ofMinutes(1));
    assertThat(settings.punctuationInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.clearAfter()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void shouldTakeWhatIsSet() {
    var config = new QualityConfig();
    config.setWindow(Duration.ofMinutes(10));
    config.setAdvance(Duration.ofMinutes(2));
    config.setPunctuationInterval(Duration.ofMillis(500));

    QualitySettings settings = config.toSettings();

    assertThat(settings.window()).isEqualTo(Duration.ofMinutes(10));
    assertThat(settings.advance()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.punctuationInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.grace()).isEqualTo(QualitySettings.DEFAULTS.grace());
  }

  @Test
  void shouldRefuseAWindowThatIsNotAWholeNumberOfAdvances() {
    var config = new QualityConfig();
    config.setAdvance(Duration.ofMinutes(2));

    assertThatThrownBy(config::toSettings)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("meshbone.quality.window")
        .hasMessageContaining("whole number of meshbone.quality.advance");
  }

  @Test
  void shouldNameAWrongSetting() {
    var config = new QualityConfig();
    config.setPassRateMargin(2);
    assertThatThrownBy(config::toSettings)
        .hasMessageContaining("meshbone.quality.pass-rate-margin must be between 0 and 1");
    assertThatThrownBy(() -> QualityConfig.refuseUnknown(Set.of("window", "windw")))
        .hasMessageContaining("unknown setting(s) [windw]");
  }
}
