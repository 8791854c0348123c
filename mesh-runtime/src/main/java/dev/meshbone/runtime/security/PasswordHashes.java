package dev.meshbone.runtime.security;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Makes the PBKDF2 password hashes a {@link UsersFile} accepts, so a users file need not hold
 * plaintext passwords:
 *
 * <pre>
 * java -cp deploy/target/meshbone-local.jar dev.meshbone.runtime.security.PasswordHashes
 * </pre>
 *
 * reads a password (from the console without echo, or one line of standard input) and prints {@code
 * {pbkdf2-sha256}310000$SALT$HASH} to put after {@code name=}.
 */
public final class PasswordHashes {
  /** What a PBKDF2 hash starts with, followed by the digest: {@code sha256} or {@code sha512}. */
  public static final String PBKDF2_PREFIX = "{pbkdf2-";

  /** The iterations of a hash made here: OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
  public static final int PBKDF2_ITERATIONS = 310_000;

  /** Fewer iterations than this make a users file invalid. */
  public static final int MIN_PBKDF2_ITERATIONS = 1_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHashes() {}

  /** A PBKDF2-HMAC-SHA256 hash of the password with a random 16-byte salt, in the file's form. */
  public static String pbkdf2(String password) {
    return pbkdf2(password, PBKDF2_ITERATIONS);
  }

  /** As {@link #pbkdf2(String)} with the given iterations (tests use few, to be fast). */
  public static String pbkdf2(String password, int iterations) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    byte[] hash = pbkdf2("sha256", password, salt, iterations, 32);
    return "{pbkdf2-sha256}"
        + iterations
        + "$"
        + Base64.getEncoder().encodeToString(salt)
        + "$"
        + Base64.getEncoder().encodeToString(hash);
  }

  static byte[] pbkdf2(String digest, String password, byte[] salt, int iterations, int length) {
    String algorithm = digest.equals("sha512") ? "PBKDF2WithHmacSHA512" : "PBKDF2WithHmacSHA256";
    var spec = new PBEKeySpec(password.toCharArray(), salt, iterations, length * 8);
    try {
      return SecretKeyFactory.getInstance(algorithm).generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is missing from this JVM", e);
    } finally {
      spec.clearPassword();
    }
  }

  /** Prints the PBKDF2 hash of a password read from the console or standard input. */
  public static void main(String[] args) throws IOException {
    String password;
    Console console = System.console();
    if (console != null) {
      char[] typed = console.readPassword("password: ");
      password = typed == null ? null : new String(typed);
    } else {
      password =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
    if (password == null || password.isEmpty()) {
      System.err.println("no password given");
      System.exit(2);
      return;
    }
    System.out.println(pbkdf2(password));
  }
}
