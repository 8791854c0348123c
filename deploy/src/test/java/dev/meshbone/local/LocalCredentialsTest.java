package dev.meshbone.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshbone.runtime.security.PasswordHashes;
import dev.meshbone.runtime.security.UsersFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCredentialsTest {

  @Test
  void shouldWriteRandomPasswordsForAdminAndTheNeededNamesWithMode600(@TempDir Path dataDir)
      throws Exception {
    var credentials =
        LocalCredentials.prepare(dataDir, null, List.of("clinical-trials", "supply-chain"));

    Path file = dataDir.resolve("credentials.properties");
    assertThat(credentials.generatedFile()).contains(file);
    assertThat(credentials.usersFiles()).containsExactly(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    var users = UsersFile.read(file);
    assertThat(users.names()).containsExactly("admin", "clinical-trials", "supply-chain");
    String admin = credentials.password("admin").orElseThrow();
    assertThat(admin).hasSize(32).matches("[A-Za-z0-9_-]+");
    assertThat(credentials.password("clinical-trials")).isPresent().isNotEqualTo(admin);
    assertThat(users.verify("admin", admin)).isTrue();
    assertThat(credentials.verify("admin", admin)).isTrue();
    assertThat(credentials.verify("admin", admin + "x")).isFalse();
    assertThat(credentials.toString()).doesNotContain(admin);
  }

  @Test
  void shouldKeepPasswordsAcrossRestartsAndAddNewlyNeededNames(@TempDir Path dataDir) {
    var first = LocalCredentials.prepare(dataDir, null, List.of());
    String admin = first.password("admin").orElseThrow();

    var second = LocalCredentials.prepare(dataDir, null, List.of("pharmacovigilance"));

    assertThat(second.password("admin")).contains(admin);
    assertThat(second.names()).containsExactly("admin", "pharmacovigilance");
  }

  @Test
  void shouldUseTheUsersFileAndGenerateOnlyWhatItLacks(@TempDir Path dataDir) throws Exception {
    Path users = dataDir.resolve("users");
    Files.writeString(users, "admin=" + PasswordHashes.pbkdf2("root-pw", 1000) + "\nsales=s1\n");

    var credentials = LocalCredentials.prepare(dataDir, users, List.of("sales", "supply-chain"));

    assertThat(credentials.usersFiles())
        .containsExactly(users, dataDir.resolve("credentials.properties"));
    assertThat(UsersFile.read(dataDir.resolve("credentials.properties")).names())
        .containsExactly("supply-chain");
    assertThat(credentials.verify("admin", "root-pw")).isTrue();
    assertThat(credentials.password("sales")).contains("s1");
    assertThat(credentials.password("admin")).isEmpty();
  }

  @Test
  void shouldWriteNothingWhenTheUsersFileNamesEveryone(@TempDir Path dataDir) throws Exception {
    Path users = dataDir.resolve("users");
    Files.writeString(users, "admin=a1\nsales=s1\n");

    var credentials = LocalCredentials.prepare(dataDir, users, List.of("sales"));

    assertThat(credentials.generatedFile()).isEmpty();
    assertThat(credentials.usersFiles()).containsExactly(users);
    assertThat(dataDir.resolve("credentials.properties")).doesNotExist();
  }

  @Test
  void shouldRefuseAHashForANameTheMeshLogsInAs(@TempDir Path dataDir) throws Exception {
    Path users = dataDir.resolve("users");
    Files.writeString(users, "sales=" + PasswordHashes.pbkdf2("s1", 1000) + "\n");

    assertThatThrownBy(() -> LocalCredentials.prepare(dataDir, users, List.of("sales")))
        .isInstanceOf(UsersFile.InvalidUsersFileException.class)
        .hasMessageContaining("only a hash of the password of 'sales'");
  }

  @Test
  void shouldLetTheUsersFileWinOverAnEarlierGeneratedPassword(@TempDir Path dataDir)
      throws Exception {
    LocalCredentials.prepare(dataDir, null, List.of("sales"));
    Path users = dataDir.resolve("users");
    Files.writeString(users, "sales=mine\n");

    var credentials = LocalCredentials.prepare(dataDir, users, List.of("sales"));

    assertThat(credentials.password("sales")).contains("mine");
    assertThat(credentials.verify("sales", "mine")).isTrue();
  }
}
