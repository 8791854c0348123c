package dev.meshbone.runtime.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileTest {
  /** Made by Python's hashlib.pbkdf2_hmac, an implementation other than the JDK's. */
  private static final String PBKDF2_OF_CORRECT_HORSE =
      "{pbkdf2-sha256}1000$bWVzaGJvbmUtc2FsdC0xNg==$AVjf44sxPXwfFRijpBNbZIIyQBWf9u+EHhoFuVI/ing=";

  /** A test vector of Openwall's crypt_blowfish: the bcrypt hash of "U*U". */
  private static final String BCRYPT_OF_U_STAR_U =
      "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";

  @Test
  void shouldReadNamesAndPasswordsSkippingCommentsAndBlankLines() {
    var users =
        UsersFile.parse(
            "users.properties",
            List.of(
                "# the platform team",
                "admin=s3cret",
                "",
                "   # indented comment",
                "clinical-trials = pass word with = and spaces ",
                "supply-chain=" + PBKDF2_OF_CORRECT_HORSE,
                "pharmacovigilance=" + BCRYPT_OF_U_STAR_U));

    assertThat(users.names())
        .containsExactly("admin", "clinical-trials", "supply-chain", "pharmacovigilance");
    assertThat(users.verify("admin", "s3cret")).isTrue();
    assertThat(users.verify("clinical-trials", "pass word with = and spaces")).isTrue();
    assertThat(users.verify("supply-chain", "correct horse")).isTrue();
    assertThat(users.verify("pharmacovigilance", "U*U")).isTrue();
  }

  @Test
  void shouldRefuseWrongPasswordsUnknownNamesAndNulls() {
    var users =
        UsersFile.parse(
            "f",
            List.of(
                "admin=s3cret",
                "supply-chain=" + PBKDF2_OF_CORRECT_HORSE,
                "pharmacovigilance=" + BCRYPT_OF_U_STAR_U));

    assertThat(users.verify("admin", "s3cret ")).isFalse();
    assertThat(users.verify("admin", "")).isFalse();
    assertThat(users.verify("admin", null)).isFalse();
    assertThat(users.verify(null, "s3cret")).isFalse();
    assertThat(users.verify("nobody", "s3cret")).isFalse();
    assertThat(users.verify("supply-chain", "correct horse!")).isFalse();
    assertThat(users.verify("pharmacovigilance", "U*V")).isFalse();
    assertThat(users.verify("pharmacovigilance", "x".repeat(200))).isFalse();
  }

  @Test
  void shouldStillRefuseAWrongPasswordAfterTheRightOneWasVerifiedOnce() {
    var users = UsersFile.parse("f", List.of("supply-chain=" + PBKDF2_OF_CORRECT_HORSE));

    assertThat(users.verify("supply-chain", "correct horse")).isTrue();
    assertThat(users.verify("supply-chain", "correct horse")).isTrue();
    assertThat(users.verify("supply-chain", "wrong")).isFalse();
    assertThat(users.verify("supply-chain", "correct horse")).isTrue();
  }

  @Test
  void shouldSayWhetherThePlaintextIsKnown() {
    var users =
        UsersFile.parse(
            "f",
            List.of(
                "admin=s3cret",
                "odd={plain}{not a hash}",
                "supply-chain=" + PBKDF2_OF_CORRECT_HORSE,
                "pharmacovigilance=" + BCRYPT_OF_U_STAR_U));

    assertThat(users.user("admin").orElseThrow().plaintext()).contains("s3cret");
    assertThat(users.user("odd").orElseThrow().plaintext()).contains("{not a hash}");
    assertThat(users.user("supply-chain").orElseThrow().plaintextKnown()).isFalse();
    assertThat(users.user("supply-chain").orElseThrow().storage()).isEqualTo("pbkdf2-sha256");
    assertThat(users.user("pharmacovigilance").orElseThrow().plaintextKnown()).isFalse();
    assertThat(users.user("pharmacovigilance").orElseThrow().storage()).isEqualTo("bcrypt");
    assertThat(users.verify("odd", "{not a hash}")).isTrue();
  }

  @Test
  void shouldNeverShowAPasswordInToString() {
    var users = UsersFile.parse("f", List.of("admin=s3cret"));

    assertThat(users.toString()).doesNotContain("s3cret").contains("admin");
    assertThat(users.user("admin").orElseThrow().toString()).doesNotContain("s3cret");
  }

  @Test
  void shouldVerifyHashesMadeByPasswordHashesAndByBouncyCastlesBcrypt() {
    String bcrypt = OpenBSDBCrypt.generate("2b", "tiger".toCharArray(), new byte[16], 4);
    var users =
        UsersFile.parse("f", List.of("a1=" + PasswordHashes.pbkdf2("lion", 1000), "b2=" + bcrypt));

    assertThat(users.verify("a1", "lion")).isTrue();
    assertThat(users.verify("a1", "lyon")).isFalse();
    assertThat(users.verify("b2", "tiger")).isTrue();
    assertThat(users.verify("b2", "tigre")).isFalse();
  }

  @Test
  void shouldNameTheLineOfALineWithoutEqualsWithoutShowingIt() {
    assertThatThrownBy(() -> UsersFile.parse("users.txt", List.of("# c", "admin:hunter2")))
        .isInstanceOf(UsersFile.InvalidUsersFileException.class)
        .hasMessageContaining("users.txt line 2")
        .hasMessageContaining("name=password")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void shouldNameTheEarlierLineOfADuplicateName() {
    assertThatThrownBy(
            () -> UsersFile.parse("u", List.of("admin=one", "sales=two", "", "admin=hunter2")))
        .hasMessageContaining("u line 4")
        .hasMessageContaining("'admin' is already defined on line 1")
        .hasMessageNotContaining("hunter2")
        .hasMessageNotContaining("one");
  }

  @Test
  void shouldRefuseInvalidNamesAndEmptyPasswords() {
    assertThatThrownBy(() -> UsersFile.parse("u", List.of("Sales Team=hunter2")))
        .hasMessageContaining("u line 1")
        .hasMessageContaining("user name 'Sales Team' is invalid")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> UsersFile.parse("u", List.of("=hunter2")))
        .hasMessageContaining("name before '=' is missing")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> UsersFile.parse("u", List.of("sales=", "x")))
        .hasMessageContaining("u line 1: the password of 'sales' is empty");
  }

  @Test
  void shouldRefuseWhatLooksLikeAHashButIsNotOneRatherThanTakeItAsPlaintext() {
    assertThatThrownBy(() -> UsersFile.parse("u", List.of("sales={sha1}hunter2")))
        .hasMessageContaining("u line 1: the password of 'sales' starts with '{'")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> UsersFile.parse("u", List.of("sales=$2a$10$hunter2")))
        .hasMessageContaining("starts with '$2' but is no bcrypt hash")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(
            () ->
                UsersFile.parse(
                    "u",
                    List.of(
                        "sales={pbkdf2-sha256}10$bWVzaGJvbmUtc2FsdC0xNg==$AAAAAAAAAAAAAAAAAAAAAA==")))
        .hasMessageContaining("of 10 iterations; at least 1000");
  }

  @Test
  void shouldReadAFileAndRefuseOneThatIsNotUtf8(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("users");
    Files.writeString(good, "\uFEFFadmin=s3cret\nsales=pässwörd\n", StandardCharsets.UTF_8);
    Path bad = dir.resolve("bad");
    Files.write(bad, new byte[] {'a', 'd', '=', (byte) 0xC3, (byte) 0x28});

    var users = UsersFile.read(good);

    assertThat(users.verify("admin", "s3cret")).isTrue();
    assertThat(users.verify("sales", "pässwörd")).isTrue();
    assertThat(users.source()).isEqualTo(good.toString());
    assertThatThrownBy(() -> UsersFile.read(bad)).hasMessageContaining("is not UTF-8 text");
    assertThatThrownBy(() -> UsersFile.read(dir.resolve("missing")))
        .hasMessageContaining("cannot be read");
  }
}
