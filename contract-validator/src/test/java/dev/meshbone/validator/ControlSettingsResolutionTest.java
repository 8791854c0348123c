package dev.meshbone.validator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.validator.control.ControlConfig;
import dev.meshbone.validator.control.ControlSettings;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySourcePropertyResolver;
import io.micronaut.core.value.PropertyResolver;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the service turns its properties into the control settings it builds the topology with. */
class ControlSettingsResolutionTest {
  private static PropertyResolver properties(Map<String, Object> values) {
    return new PropertySourcePropertyResolver(PropertySource.of("test", values));
  }

  @Test
  void shouldUseTheSettingsUnderTheValidatorPrefix() {
    var config = new ControlConfig();
    config.setMaxClockSkew(Duration.ofSeconds(30));
    config.setRememberedEventIds(5);

    var settings = ValidatorStreamsApp.controlSettings(config, properties(Map.of()));

    assertThat(settings).isEqualTo(new ControlSettings(Duration.ofSeconds(30), 5));
  }

  @Test
  void shouldStillReadTheDeprecatedKafkaStreamsNames() {
    var settings =
        ValidatorStreamsApp.controlSettings(
            new ControlConfig(),
            properties(
                Map.of(
                    "kafka.streams.meshbone.control.max-clock-skew-ms",
                    2000,
                    "kafka.streams.meshbone.control.remembered-event-ids",
                    "3")));

    assertThat(settings).isEqualTo(new ControlSettings(Duration.ofSeconds(2), 3));
  }

  @Test
  void shouldDefaultWhenNothingIsSet() {
    var settings = ValidatorStreamsApp.controlSettings(new ControlConfig(), properties(Map.of()));

    assertThat(settings).isEqualTo(ControlSettings.defaults());
  }
}
