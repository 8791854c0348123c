package dev.meshbone.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshbone.runtime.security.SecuritySettings;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service with security on and no credential source refuses to start, in one line. */
class SecureByDefaultTest {

  @Test
  void shouldRefuseToStartWithoutACredentialSource() {
    assertThatThrownBy(() -> ServiceLauncher.requireCredentialSource("test", Map.of()))
        .isInstanceOf(ServiceLauncher.MissingConfigurationException.class)
        .hasMessageContaining("refuses to start: security is on and no credential source")
        .hasMessageContaining("meshbone.security.users-file")
        .hasMessageContaining("meshbone.security.enabled=false")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void shouldStartOpenOnlyWhenToldExplicitly() {
    assertThatCode(
            () ->
                ServiceLauncher.requireCredentialSource(
                    "test", Map.of("meshbone.security.enabled", false)))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldRefuseJwtWithoutAKeyAndABadUsersFile(@TempDir Path dir) throws Exception {
    assertThatThrownBy(
            () ->
                ServiceLauncher.requireCredentialSource(
                    "test", Map.of("meshbone.security.jwt.enabled", true)))
        .hasMessageContaining("needs a key to check tokens with");
    Path users = dir.resolve("users");
    Files.writeString(users, "admin=ok\nadmin=twice\n");
    assertThatThrownBy(
            () ->
                ServiceLauncher.requireCredentialSource(
                    "test", Map.of("meshbone.security.users-file", users.toString())))
        .hasMessageContaining("line 2: user 'admin' is already defined on line 1")
        .hasMessageNotContaining("twice");
    Files.writeString(users, "admin=ok\n");
    assertThatCode(
            () ->
                ServiceLauncher.requireCredentialSource(
                    "test", Map.of("meshbone.security.users-file", users.toString())))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldReadTheSettingsWithTheirDefaults() {
    try (var context = ApplicationContext.builder().deduceEnvironment(false).build().start()) {
      var settings = SecuritySettings.from(context.getEnvironment());
      assertThat(settings.enabled()).isTrue();
      assertThat(settings.platformRole()).isEqualTo("admin");
      assertThat(settings.prometheus()).isEqualTo(SecuritySettings.PrometheusAccess.PLATFORM);
      assertThat(settings.anonymousCatalogueReads()).isFalse();
      assertThat(settings.domainClaim()).isEqualTo("sub");
    }
    assertThatThrownBy(
            () ->
                SecuritySettings.from(
                    ApplicationContext.builder()
                        .properties(Map.of("meshbone.security.prometheus", "sometimes"))
                        .build()
                        .getEnvironment()
                        .start()))
        .hasMessageContaining("use platform or open");
  }
}
