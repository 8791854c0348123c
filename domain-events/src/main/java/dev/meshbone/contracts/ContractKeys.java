package dev.meshbone.contracts;

import java.util.Optional;

/**
 * The keys of the compacted contract log {@code mesh.contracts}: {@code version:<subject>:<n>} for
 * one version of a subject, {@code config:<subject>} for a subject's compatibility level and {@code
 * config:} for the global one. Subjects are always canonical ({@link Subjects#canonical}).
 */
public final class ContractKeys {
  public static final String VERSION_PREFIX = "version:";
  public static final String CONFIG_PREFIX = "config:";

  /** The key of the global compatibility level. */
  public static final String GLOBAL_CONFIG = CONFIG_PREFIX;

  private ContractKeys() {}

  /** A subject and version named by a {@code version:} key. */
  public record VersionKey(String subject, int version) {}

  public static String version(String subject, int version) {
    return VERSION_PREFIX + subject + ":" + version;
  }

  /** The prefix of every version key of {@code subject}. */
  public static String versionPrefix(String subject) {
    return VERSION_PREFIX + subject + ":";
  }

  /** The key of the subject's compatibility level, or of the global one when subject is null. */
  public static String config(String subject) {
    return CONFIG_PREFIX + (subject == null ? "" : subject);
  }

  /** The subject and version of a {@code version:<subject>:<n>} key, if it is one. */
  public static Optional<VersionKey> parseVersion(String key) {
    if (key == null || !key.startsWith(VERSION_PREFIX)) {
      return Optional.empty();
    }
    int colon = key.lastIndexOf(':');
    if (colon <= VERSION_PREFIX.length()) {
      return Optional.empty();
    }
    String number = key.substring(colon + 1);
    if (number.isEmpty() || number.length() > 10 || !number.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    long version = Long.parseLong(number);
    if (version < 1 || version > Integer.MAX_VALUE) {
      return Optional.empty();
    }
    return Optional.of(
        new VersionKey(key.substring(VERSION_PREFIX.length(), colon), (int) version));
  }

  /**
   * The subject of a {@code config:} key: empty for the global level's key, empty Optional for a
   * key that is not a config key.
   */
  public static Optional<String> parseConfig(String key) {
    if (key == null || !key.startsWith(CONFIG_PREFIX)) {
      return Optional.empty();
    }
    return Optional.of(key.substring(CONFIG_PREFIX.length()));
  }
}
