package dev.meshbone.runtime.security;

import io.micronaut.context.annotation.Factory;
import io.micronaut.core.type.Argument;
import io.micronaut.core.value.PropertyResolver;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;

/**
 * The services' HTTP security settings, under {@code meshbone.security.} (environment variables
 * {@code MESHBONE_SECURITY_*}); docs/security.md explains them with examples.
 *
 * @param enabled {@code enabled} (true): whether callers must authenticate. {@code false} is the
 *     open mode of the local mesh: a caller names its domain in {@code X-Mesh-Domain} (or as the
 *     basic-auth user) and is believed.
 * @param usersFiles {@code users-file}: users files ({@link UsersFile}), comma-separated; the first
 *     file naming a user counts. HTTP Basic is checked against them.
 * @param jwt {@code jwt.enabled} (false): whether Bearer JWTs are accepted; they are validated
 *     against micronaut-security-jwt's signature sources (a JWKS URL: {@code
 *     micronaut.security.token.jwt.signatures.jwks.<name>.url}; a JWKS file: {@code
 *     micronaut.security.token.jwt.signatures.jwks-static.<name>.path})
 * @param domainClaim {@code jwt.domain-claim} ({@code sub}): the JWT claim naming the caller's
 *     domain (or the platform role)
 * @param platformRole {@code platform-role} ({@code admin}): the user name, domain claim value or
 *     role (in the JWT's {@code roles} claim) of the platform team
 * @param anonymousCatalogueReads {@code anonymous-catalogue-reads} (false): whether callers without
 *     credentials may read the catalogue, contracts, lineage, stats and product health (for a
 *     trusted network)
 * @param prometheus {@code prometheus} ({@code platform}): who may scrape {@code /prometheus}: the
 *     platform role, or anyone who reaches the port ({@code open})
 */
public record SecuritySettings(
    boolean enabled,
    List<String> usersFiles,
    boolean jwt,
    String domainClaim,
    String platformRole,
    boolean anonymousCatalogueReads,
    PrometheusAccess prometheus) {
  public static final String PREFIX = "meshbone.security.";
  public static final String ENABLED = PREFIX + "enabled";
  public static final String USERS_FILE = PREFIX + "users-file";
  public static final String JWT_ENABLED = PREFIX + "jwt.enabled";
  public static final String JWT_DOMAIN_CLAIM = PREFIX + "jwt.domain-claim";
  public static final String PLATFORM_ROLE = PREFIX + "platform-role";
  public static final String ANONYMOUS_CATALOGUE_READS = PREFIX + "anonymous-catalogue-reads";
  public static final String PROMETHEUS = PREFIX + "prometheus";

  /** Who may scrape {@code /prometheus}. */
  public enum PrometheusAccess {
    PLATFORM,
    OPEN
  }

  public SecuritySettings {
    usersFiles = List.copyOf(usersFiles);
  }

  /**
   * Reads the settings.
   *
   * @throws IllegalArgumentException naming a setting with a value it does not take
   */
  public static SecuritySettings from(PropertyResolver properties) {
    List<String> files =
        properties.getProperty(USERS_FILE, Argument.listOf(String.class)).orElse(List.of()).stream()
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList();
    String prometheus = properties.getProperty(PROMETHEUS, String.class).orElse("platform");
    PrometheusAccess access;
    try {
      access = PrometheusAccess.valueOf(prometheus.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          PROMETHEUS + " is '" + prometheus + "'; use platform or open");
    }
    String role = properties.getProperty(PLATFORM_ROLE, String.class).orElse("admin").strip();
    if (role.isEmpty()) {
      throw new IllegalArgumentException(PLATFORM_ROLE + " is empty; the default is admin");
    }
    return new SecuritySettings(
        properties.getProperty(ENABLED, Boolean.class).orElse(true),
        files,
        properties.getProperty(JWT_ENABLED, Boolean.class).orElse(false),
        properties.getProperty(JWT_DOMAIN_CLAIM, String.class).orElse("sub").strip(),
        role,
        properties.getProperty(ANONYMOUS_CATALOGUE_READS, Boolean.class).orElse(false),
        access);
  }

  /** Whether some source of credentials is configured: a users file, or JWT. */
  public boolean hasCredentialSource() {
    return !usersFiles.isEmpty() || jwt;
  }

  /** Makes the settings a bean, so a bad value stops the service at start. */
  @Factory
  static class SettingsFactory {
    @Singleton
    SecuritySettings securitySettings(PropertyResolver properties) {
      return SecuritySettings.from(properties);
    }
  }
}
