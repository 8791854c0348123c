package dev.meshbone.registry.schema;

import dev.meshbone.registry.schema.SchemaApiSettings.AnonymousWrites;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Locale;

/**
 * Binds the schema API's {@code meshbone.registry.*} properties and maps them once to {@link
 * SchemaApiSettings}; unset properties keep {@link SchemaApiSettings#DEFAULTS}.
 */
@ConfigurationProperties("meshbone.registry")
public class SchemaApiConfig {
  private static final SchemaApiSettings D = SchemaApiSettings.DEFAULTS;
  private String anonymousWrites = D.anonymousWrites().name();
  private Duration schemaWriteTimeout = D.schemaWriteTimeout();
  private Duration schemaWriteResend = D.schemaWriteResend();
  private Duration schemaReadYourWritesTimeout = D.schemaReadYourWritesTimeout();

  public void setAnonymousWrites(String anonymousWrites) {
    this.anonymousWrites = anonymousWrites;
  }

  public void setSchemaWriteTimeout(Duration schemaWriteTimeout) {
    this.schemaWriteTimeout = schemaWriteTimeout;
  }

  public void setSchemaWriteResend(Duration schemaWriteResend) {
    this.schemaWriteResend = schemaWriteResend;
  }

  public void setSchemaReadYourWritesTimeout(Duration schemaReadYourWritesTimeout) {
    this.schemaReadYourWritesTimeout = schemaReadYourWritesTimeout;
  }

  /**
   * The settings, checked.
   *
   * @throws IllegalArgumentException naming a setting with a value it does not take
   */
  public SchemaApiSettings toSettings() {
    return new SchemaApiSettings(
        policy(anonymousWrites),
        schemaWriteTimeout,
        schemaWriteResend,
        schemaReadYourWritesTimeout);
  }

  private static AnonymousWrites policy(String text) {
    String value = text == null ? "" : text.trim();
    try {
      return AnonymousWrites.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "meshbone.registry.anonymous-writes is '" + text + "'; use subject-owner or deny");
    }
  }

  @Factory
  static class SettingsFactory {
    @Singleton
    SchemaApiSettings schemaApiSettings(SchemaApiConfig config) {
      return config.toSettings();
    }
  }
}
