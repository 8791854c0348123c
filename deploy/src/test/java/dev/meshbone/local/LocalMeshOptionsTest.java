package dev.meshbone.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalMeshOptionsTest {

  @Test
  void shouldBeOpenByDefault() {
    var options = LocalMeshOptions.parse();

    assertThat(options.secure()).isFalse();
    assertThat(options.usersFile()).isNull();
    assertThat(options.registryPort()).isEqualTo(8081);
  }

  @Test
  void shouldTurnSecurityOnWithSecure() {
    var options = LocalMeshOptions.parse("--secure", "--demo");

    assertThat(options.secure()).isTrue();
    assertThat(options.usersFile()).isNull();
    assertThat(options.demo()).isTrue();
  }

  @Test
  void shouldTakeAUsersFileAndImplySecure() {
    var options = LocalMeshOptions.parse("--users", "/etc/meshbone/users");

    assertThat(options.secure()).isTrue();
    assertThat(options.usersFile()).isEqualTo(Path.of("/etc/meshbone/users"));
    assertThat(LocalMeshOptions.parse("--secure", "--users", "u").usersFile())
        .isEqualTo(Path.of("u"));
  }

  @Test
  void shouldRefuseUsersWithoutAFile() {
    assertThatThrownBy(() -> LocalMeshOptions.parse("--users"))
        .hasMessageContaining("--users needs a value");
    assertThatThrownBy(() -> LocalMeshOptions.parse("--users", "--secure"))
        .hasMessageContaining("--users needs a value");
  }

  @Test
  void shouldSayInTheUsageThatUsersImpliesSecureAndWhatOpenMeans() {
    assertThat(LocalMeshOptions.USAGE)
        .contains("--secure")
        .contains("--users FILE")
        .contains("(implies --secure)")
        .contains("credentials.properties (mode 600)")
        .contains("X-Mesh-Domain");
  }
}
