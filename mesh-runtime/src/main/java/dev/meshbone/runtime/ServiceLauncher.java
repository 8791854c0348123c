package dev.meshbone.runtime;

import dev.meshbone.runtime.security.SecuritySettings;
import dev.meshbone.runtime.security.UsersFile;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.runtime.EmbeddedApplication;
import io.micronaut.runtime.Micronaut;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Starts a meshbone service: on its own ({@link #run}, from a service's {@code main}), or inside an
 * existing JVM as the local launcher and the tests do ({@link #start}). Either way the service
 * first proves that its configuration files were loaded: a service running on the code's defaults
 * alone has no dashboard, no OpenAPI document and no metrics, and nothing else would say so.
 */
public final class ServiceLauncher {
  private ServiceLauncher() {}

  /**
   * Runs a service as its own process, as {@code java -jar <service>.jar} does; exits with status 1
   * and one line on standard error when its configuration files were not loaded.
   */
  public static ApplicationContext run(Class<?> mainClass, String environment, String[] args) {
    try {
      requireConfigurationFiles(environment);
      requireCredentialSource(environment, Map.of());
    } catch (MissingConfigurationException e) {
      System.err.println(e.getMessage());
      System.exit(1);
    }
    return Micronaut.build(args).mainClass(mainClass).environments(environment).start();
  }

  /**
   * @param environment the service's environment, which switches its beans and settings on
   * @param properties settings that win over the service's configuration files
   * @return the running context; closing it stops the HTTP server and Kafka Streams
   * @throws MissingConfigurationException when the service's configuration files were not loaded
   */
  public static ApplicationContext start(String environment, Map<String, Object> properties) {
    requireConfigurationFiles(environment);
    requireCredentialSource(environment, properties);
    ApplicationContext context =
        ApplicationContext.builder()
            .environments(environment)
            .deduceEnvironment(false)
            .banner(false)
            .properties(properties)
            .start();
    try {
      context.findBean(EmbeddedApplication.class).ifPresent(EmbeddedApplication::start);
      return context;
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
  }

  /**
   * Loads the service's environment as Micronaut will, without starting any bean, and checks that
   * both {@code application.yml} and {@code application-<environment>.yml} became property sources.
   * They do not when the files are missing from the class path, or when no YAML parser (snakeyaml)
   * is on it: Micronaut then skips them without a word.
   *
   * @throws MissingConfigurationException naming the files that were not loaded and the likely
   *     cause
   */
  public static void requireConfigurationFiles(String environment) {
    Environment env =
        ApplicationContext.builder()
            .environments(environment)
            .deduceEnvironment(false)
            .build()
            .getEnvironment();
    Set<String> loaded;
    try {
      env.start();
      loaded =
          env.getPropertySources().stream()
              .map(PropertySource::getName)
              .collect(Collectors.toSet());
    } finally {
      env.stop();
    }
    List<String> missing =
        List.of("application", "application-" + environment).stream()
            .filter(name -> !loaded.contains(name))
            .map(name -> name + ".yml")
            .toList();
    if (!missing.isEmpty()) {
      throw new MissingConfigurationException(
          "meshbone service '"
              + environment
              + "' refuses to start: its configuration files "
              + String.join(" and ", missing)
              + " were not loaded (missing from the class path, or no YAML parser:"
              + " org.yaml:snakeyaml must be on it)");
    }
  }

  /**
   * Secure by default: with {@code meshbone.security.enabled} not set to false, a service needs a
   * source of credentials to check callers against (a users file, or JWT with a signature source).
   *
   * @throws MissingConfigurationException naming the settings that would do
   */
  public static void requireCredentialSource(String environment, Map<String, Object> properties) {
    Environment env =
        ApplicationContext.builder()
            .environments(environment)
            .deduceEnvironment(false)
            .properties(properties)
            .build()
            .getEnvironment();
    try {
      env.start();
      SecuritySettings settings;
      try {
        settings = SecuritySettings.from(env);
      } catch (IllegalArgumentException e) {
        throw new MissingConfigurationException(
            "meshbone service '" + environment + "' refuses to start: " + e.getMessage());
      }
      if (!settings.enabled()) {
        return;
      }
      if (!settings.hasCredentialSource()) {
        throw new MissingConfigurationException(
            "meshbone service '"
                + environment
                + "' refuses to start: security is on and no credential source is configured;"
                + " set meshbone.security.users-file (MESHBONE_SECURITY_USERS_FILE), or"
                + " meshbone.security.jwt.enabled=true with a JWKS URL or file, or"
                + " meshbone.security.enabled=false to run it open (docs/security.md)");
      }
      for (String file : settings.usersFiles()) {
        try {
          UsersFile.read(java.nio.file.Path.of(file));
        } catch (UsersFile.InvalidUsersFileException e) {
          throw new MissingConfigurationException(
              "meshbone service '" + environment + "' refuses to start: " + e.getMessage());
        }
      }
      if (settings.jwt() && !env.containsProperties(JWT_SIGNATURES)) {
        throw new MissingConfigurationException(
            "meshbone service '"
                + environment
                + "' refuses to start: meshbone.security.jwt.enabled=true needs a key to check"
                + " tokens with: "
                + JWT_SIGNATURES
                + ".jwks.<name>.url (a JWKS URL) or "
                + JWT_SIGNATURES
                + ".jwks-static.<name>.path (a JWKS file)");
      }
    } finally {
      env.stop();
    }
  }

  /** Where micronaut-security-jwt reads the keys that sign accepted tokens. */
  public static final String JWT_SIGNATURES = "micronaut.security.token.jwt.signatures";

  /** A service's configuration files were not loaded; the message says which and why. */
  public static final class MissingConfigurationException extends IllegalStateException {
    MissingConfigurationException(String message) {
      super(message);
    }
  }
}
