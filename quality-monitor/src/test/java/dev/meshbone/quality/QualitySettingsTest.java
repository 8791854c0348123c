package dev.meshbone.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualitySettingsTest {

  @Test
  void shouldDefaultToFiveMinuteWindowsHoppingByAMinute() {
    QualitySettings settings = QualitySettings.defaults();

    assertThat(settings.window()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.advance()).isEqualTo(Duration.ofMinutes(1));
    assertThat(settings.grace()).isEqualTo(Duration.ofMinutes(1));
    assertThat(settings.punctuationInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.clearAfter()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void shouldParseDurationsInEveryAcceptedForm() {
    QualitySettings settings =
        QualitySettings.fromMap(
            Map.of(
                "window", "PT10M",
                "advance", "2m",
                "grace", "30s",
                "punctuation-interval", "500ms",
                "clearAfter", 90_000));

    assertThat(settings.window()).isEqualTo(Duration.ofMinutes(10));
    assertThat(settings.advance()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.grace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.punctuationInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.clearAfter()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void shouldRefuseAWindowThatIsNotAWholeNumberOfAdvances() {
    assertThatThrownBy(() -> QualitySettings.fromMap(Map.of("window", "5m", "advance", "2m")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("meshbone.quality.window")
        .hasMessageContaining("whole number of meshbone.quality.advance");
  }

  @Test
  void shouldNameAMalformedSetting() {
    assertThatThrownBy(() -> QualitySettings.fromMap(Map.of("grace", "soon")))
        .hasMessageContaining("meshbone.quality.grace is not a duration: 'soon'");
    assertThatThrownBy(() -> QualitySettings.fromMap(Map.of("pass-rate-margin", "2")))
        .hasMessageContaining("meshbone.quality.pass-rate-margin must be between 0 and 1");
    assertThatThrownBy(() -> QualitySettings.fromMap(Map.of("windw", "5m")))
        .hasMessageContaining("unknown setting(s) [windw]");
  }
}
