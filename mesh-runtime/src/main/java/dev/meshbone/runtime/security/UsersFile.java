package dev.meshbone.runtime.security;

import dev.meshbone.topics.Names;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The mesh's users file: who may call the services' HTTP APIs (and, on a secured local mesh, the
 * Kafka broker), one {@code name=password} a line.
 *
 * <pre>
 * # comments and blank lines are allowed
 * admin=change-me
 * clinical-trials={pbkdf2-sha256}310000$2lWq1Yg0bF4i6mE9Jd8x9w==$V0mr6C...
 * supply-chain=$2b$12$C6UzMDM.H6dfI/f/IKcEeO...
 * </pre>
 *
 * <ul>
 *   <li>A name is a domain name or the platform role's user: {@value Names#NAME_REGEX} (lowercase
 *       letters, digits, hyphens). A name appears once.
 *   <li>A password is everything after the first {@code =}, kept as written (spaces included); it
 *       is either the plaintext, or a hash: {@link PasswordHashes#PBKDF2_PREFIX PBKDF2} in the form
 *       {@code {pbkdf2-sha256}ITERATIONS$SALT$HASH} (or {@code {pbkdf2-sha512}}; salt and hash in
 *       standard Base64), or bcrypt in the OpenBSD form {@code $2a$}, {@code $2b$} or {@code $2y$}.
 *       {@code java -cp <a service's jar> dev.meshbone.runtime.security.PasswordHashes} prints a
 *       PBKDF2 hash of a password read from standard input.
 *   <li>A password starting with <code>{</code> or {@code $2} is read as a hash; one that merely
 *       looks like a hash and does not parse is an error, never taken as plaintext.
 * </ul>
 *
 * <p>Errors name the file and the line, never a password. {@link #verify} is constant-time in the
 * password; a hashed password is checked with its full cost only until it has been verified once
 * (the verified password is then remembered as an HMAC under a random key of this process), so a
 * client sending the same credentials on every request pays for the hash once, and later wrong
 * passwords for that user are refused as cheaply.
 */
public final class UsersFile {
  private static final Pattern NAME = Pattern.compile(Names.NAME_REGEX);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One user of the file. {@link #toString} never shows the password. */
  public static final class User {
    private final String name;
    private final Password password;

    private User(String name, Password password) {
      this.name = name;
      this.password = password;
    }

    public String name() {
      return name;
    }

    /**
     * Whether the file holds this user's plaintext password (not a hash): Kafka SCRAM credentials
     * can only be created from the plaintext.
     */
    public boolean plaintextKnown() {
      return password.plaintext().isPresent();
    }

    /** The plaintext password, when the file holds it rather than a hash. */
    public Optional<String> plaintext() {
      return password.plaintext();
    }

    /** How the password is stored: {@code plaintext}, {@code pbkdf2-sha256}, {@code bcrypt}... */
    public String storage() {
      return password.kind();
    }

    @Override
    public String toString() {
      return "User[" + name + ", password " + password.kind() + "]";
    }
  }

  private final String source;
  private final Map<String, User> users;
  private final byte[] cacheKey = new byte[32];
  private final Map<String, byte[]> verified = new ConcurrentHashMap<>();

  private UsersFile(String source, Map<String, User> users) {
    this.source = source;
    this.users = Collections.unmodifiableMap(users);
    RANDOM.nextBytes(cacheKey);
  }

  /**
   * Reads a users file.
   *
   * @throws InvalidUsersFileException naming the file and line of the first bad line, or saying
   *     that the file cannot be read
   */
  public static UsersFile read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InvalidUsersFileException(
          "users file " + file + " cannot be read: " + e.getClass().getSimpleName(), e);
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidUsersFileException("users file " + file + " is not UTF-8 text", e);
    }
    return parse(file.toString(), text.lines().toList());
  }

  /**
   * Parses the lines of a users file.
   *
   * @param source what to call the file in errors (its path)
   * @throws InvalidUsersFileException naming the source and line of the first bad line
   */
  public static UsersFile parse(String source, List<String> lines) {
    var users = new LinkedHashMap<String, User>();
    var firstLine = new LinkedHashMap<String, Integer>();
    for (int i = 0; i < lines.size(); i++) {
      int lineNumber = i + 1;
      String line = lines.get(i);
      if (lineNumber == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String where = source + " line " + lineNumber;
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new InvalidUsersFileException(
            where
                + ": expected name=password, found no '=' (the line is not shown: it may hold a"
                + " password)");
      }
      String name = line.substring(0, eq).strip();
      if (name.isEmpty()) {
        throw new InvalidUsersFileException(where + ": the name before '=' is missing");
      }
      if (!NAME.matcher(name).matches()) {
        throw new InvalidUsersFileException(
            where
                + ": user name '"
                + printable(name)
                + "' is invalid: a user name is "
                + Names.RULE);
      }
      String password = line.substring(eq + 1);
      if (password.strip().isEmpty()) {
        throw new InvalidUsersFileException(where + ": the password of '" + name + "' is empty");
      }
      Password parsed;
      try {
        parsed = Password.parse(password.strip());
      } catch (IllegalArgumentException e) {
        throw new InvalidUsersFileException(
            where + ": the password of '" + name + "' " + e.getMessage());
      }
      Integer earlier = firstLine.putIfAbsent(name, lineNumber);
      if (earlier != null) {
        throw new InvalidUsersFileException(
            where + ": user '" + name + "' is already defined on line " + earlier);
      }
      users.put(name, new User(name, parsed));
    }
    return new UsersFile(source, users);
  }

  /** The path (or name) the file was read from. */
  public String source() {
    return source;
  }

  /** The user names, in file order. */
  public Set<String> names() {
    return users.keySet();
  }

  /** The users, in file order. */
  public List<User> users() {
    return List.copyOf(users.values());
  }

  public Optional<User> user(String name) {
    return Optional.ofNullable(users.get(name));
  }

  /**
   * Whether {@code password} is the password of user {@code name}. Constant-time in the password
   * (user names are not secret: they are the mesh's domain names, so an unknown name is refused at
   * once).
   */
  public boolean verify(String name, String password) {
    if (name == null || password == null) {
      return false;
    }
    User user = users.get(name);
    if (user == null) {
      return false;
    }
    byte[] mac = hmac(name, password);
    byte[] known = verified.get(name);
    if (known != null) {
      // Only one password is right for a user: once it is known, any other one is wrong.
      return MessageDigest.isEqual(known, mac);
    }
    boolean ok = user.password.matches(password);
    if (ok) {
      verified.put(name, mac);
    }
    return ok;
  }

  /**
   * Whether {@link #verify} for this user is cheap: a plaintext password, or a hash already
   * verified once (callers may then check on an event loop).
   */
  public boolean isCheap(String name) {
    User user = users.get(name);
    return user == null || user.plaintextKnown() || verified.containsKey(name);
  }

  private byte[] hmac(String name, String password) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
      mac.update(name.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  private static String printable(String name) {
    String cut = name.length() > 60 ? name.substring(0, 60) + "..." : name;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  @Override
  public String toString() {
    return "UsersFile[" + source + ", users " + users.keySet() + "]";
  }

  /** A users file that cannot be used; the message names the file and line, never a password. */
  public static final class InvalidUsersFileException extends IllegalArgumentException {
    public InvalidUsersFileException(String message) {
      super(message);
    }

    InvalidUsersFileException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
