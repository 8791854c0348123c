package dev.meshbone.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the service's {@code meshbone.*} properties become the {@link MeshSettings} it injects. */
class MeshConfigTest {

  @Test
  void shouldInjectTheDefaultsWhenNothingIsSet() {
    try (var context = ApplicationContext.builder().deduceEnvironment(false).start()) {
      assertThat(context.getBean(MeshSettings.class)).isEqualTo(MeshSettings.DEFAULTS);
    }
  }

  @Test
  void shouldBindEverySettingByItsName() {
    try (var context =
        ApplicationContext.builder()
            .deduceEnvironment(false)
            .properties(
                Map.of(
                    "meshbone.replication-factor", "3",
                    "meshbone.partitions", "12",
                    "meshbone.state-dir", "/var/lib/meshbone",
                    "meshbone.startup-timeout", "90s",
                    "meshbone.create-topics", "false"))
            .start()) {
      assertThat(context.getBean(MeshSettings.class))
          .isEqualTo(
              new MeshSettings(
                  (short) 3,
                  12,
                  Path.of("/var/lib/meshbone"),
                  Duration.ofSeconds(90),
                  false,
                  null));
    }
  }

  @Test
  void shouldRefuseAValueItDoesNotTakeNamingTheSetting() {
    try (var context =
        ApplicationContext.builder()
            .deduceEnvironment(false)
            .properties(Map.of("meshbone.partitions", "0"))
            .start()) {
      assertThatThrownBy(() -> context.getBean(MeshSettings.class))
          .hasStackTraceContaining("meshbone.partitions must be at least 1");
    }
  }
}
