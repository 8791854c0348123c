package dev.meshbone.runtime;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServiceLauncherTest {

  @Test
  void shouldAcceptAServiceWhoseConfigurationFilesAreLoaded() {
    // src/test/resources/application-launcher-test.yml, beside mesh-runtime's application.yml
    assertThatCode(() -> ServiceLauncher.requireConfigurationFiles("launcher-test"))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldRefuseAServiceWhoseOwnConfigurationFileWasNotLoadedNamingIt() {
    assertThatThrownBy(() -> ServiceLauncher.requireConfigurationFiles("no-such-service"))
        .isInstanceOf(ServiceLauncher.MissingConfigurationException.class)
        .hasMessageContaining("'no-such-service' refuses to start")
        .hasMessageContaining("application-no-such-service.yml")
        .hasMessageNotContaining("application.yml and")
        .hasMessageContaining("snakeyaml");
  }
}
