package dev.meshbone.runtime.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * A password as a users file holds it: plaintext, a PBKDF2 hash or a bcrypt hash. Parse errors
 * describe the form expected, never the text given.
 */
abstract sealed class Password {
  static final String PLAIN_PREFIX = "{plain}";
  private static final Pattern PBKDF2 =
      Pattern.compile(
          "\\{pbkdf2-(sha256|sha512)}([0-9]{1,9})\\$([A-Za-z0-9+/=]+)\\$([A-Za-z0-9+/=]+)");
  private static final Pattern BCRYPT =
      Pattern.compile("\\$2[aby]\\$([0-9]{2})\\$[./A-Za-z0-9]{53}");

  /** Reads a password as written in a users file (already stripped of surrounding blanks). */
  static Password parse(String text) {
    if (text.startsWith(PLAIN_PREFIX)) {
      String plain = text.substring(PLAIN_PREFIX.length());
      if (plain.isEmpty()) {
        throw new IllegalArgumentException("is empty after " + PLAIN_PREFIX);
      }
      return new Plain(plain);
    }
    if (text.startsWith("{")) {
      Matcher m = PBKDF2.matcher(text);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "starts with '{' but is no hash this file knows: expected"
                + " {pbkdf2-sha256}ITERATIONS$SALT$HASH or {pbkdf2-sha512}ITERATIONS$SALT$HASH"
                + " (salt and hash in Base64), or {plain} before a plaintext password starting"
                + " with '{'");
      }
      int iterations = Integer.parseInt(m.group(2));
      if (iterations < PasswordHashes.MIN_PBKDF2_ITERATIONS) {
        throw new IllegalArgumentException(
            "is a PBKDF2 hash of "
                + iterations
                + " iterations; at least "
                + PasswordHashes.MIN_PBKDF2_ITERATIONS
                + " are required");
      }
      byte[] salt;
      byte[] hash;
      try {
        salt = Base64.getDecoder().decode(m.group(3));
        hash = Base64.getDecoder().decode(m.group(4));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("is a PBKDF2 hash whose salt or hash is not Base64");
      }
      if (salt.length < 8 || hash.length < 16) {
        throw new IllegalArgumentException(
            "is a PBKDF2 hash with a salt under 8 bytes or a hash under 16 bytes");
      }
      return new Pbkdf2(m.group(1), iterations, salt, hash);
    }
    if (text.startsWith("$2")) {
      Matcher m = BCRYPT.matcher(text);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "starts with '$2' but is no bcrypt hash: expected $2a$, $2b$ or $2y$, a two-digit"
                + " cost, '$' and 53 characters of bcrypt's Base64 (or {plain} before a plaintext"
                + " password starting with '$2')");
      }
      int cost = Integer.parseInt(m.group(1));
      if (cost < 4 || cost > 31) {
        throw new IllegalArgumentException("is a bcrypt hash whose cost is not between 04 and 31");
      }
      return new Bcrypt(text);
    }
    return new Plain(text);
  }

  /** Whether {@code candidate} is this password; constant-time in the candidate. */
  abstract boolean matches(String candidate);

  abstract String kind();

  Optional<String> plaintext() {
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "Password[" + kind() + "]";
  }

  static final class Plain extends Password {
    private final String text;
    private final byte[] digest;

    Plain(String text) {
      this.text = text;
      this.digest = sha256(text);
    }

    @Override
    boolean matches(String candidate) {
      // Digests of equal length, so the comparison takes the same time whatever the candidate.
      return MessageDigest.isEqual(digest, sha256(candidate));
    }

    @Override
    String kind() {
      return "plaintext";
    }

    @Override
    Optional<String> plaintext() {
      return Optional.of(text);
    }

    private static byte[] sha256(String s) {
      try {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("SHA-256 is missing from this JVM", e);
      }
    }
  }

  static final class Pbkdf2 extends Password {
    private final String digest;
    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    Pbkdf2(String digest, int iterations, byte[] salt, byte[] hash) {
      this.digest = digest;
      this.iterations = iterations;
      this.salt = salt;
      this.hash = hash;
    }

    @Override
    boolean matches(String candidate) {
      return MessageDigest.isEqual(
          hash, PasswordHashes.pbkdf2(digest, candidate, salt, iterations, hash.length));
    }

    @Override
    String kind() {
      return "pbkdf2-" + digest;
    }
  }

  static final class Bcrypt extends Password {
    private final String hash;

    Bcrypt(String hash) {
      this.hash = hash;
    }

    @Override
    boolean matches(String candidate) {
      try {
        return OpenBSDBCrypt.checkPassword(hash, candidate.toCharArray());
      } catch (RuntimeException e) {
        // bcrypt refuses passwords it cannot hash (an empty one, over 72 bytes): not this one.
        return false;
      }
    }

    @Override
    String kind() {
      return "bcrypt";
    }
  }
}
