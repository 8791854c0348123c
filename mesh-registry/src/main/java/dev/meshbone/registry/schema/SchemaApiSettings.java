package dev.meshbone.registry.schema;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import java.util.Locale;

/**
 * Settings of the schema registry API, under {@code meshbone.registry.}.
 *
 * <ul>
 *   <li>{@code anonymous-writes}: what a write without an identity (no {@code X-Mesh-Domain}
 *       header, no basic-auth user, as stock Confluent clients send) acts as. {@code subject-owner}
 *       (the default) acts as the domain that owns the subject, and as the platform for the global
 *       compatibility level, so existing clients work unchanged on a local mesh; {@code deny}
 *       refuses such writes with 401. A write with an identity is always checked against the
 *       subject's owner.
 *   <li>{@code schema-write-timeout} (10 s): how long a write waits for contract-validator's
 *       decision before answering 50002. The proposal stays queued: the validator decides it when
 *       it runs, and a retry of the same schema gets the id it allocated.
 *   <li>{@code schema-write-resend} (3 s): within that time, how often the same proposal (same
 *       request id) is sent again; the validator answers a repeat with its first decision.
 *   <li>{@code schema-read-your-writes-timeout} (5 s): how long an accepted write waits for this
 *       instance's copy of the contract log to show it, so what a client just wrote reads back at
 *       once from the same instance.
 * </ul>
 */
@ConfigurationProperties("meshbone.registry")
public class SchemaApiSettings {
  /** What an anonymous write acts as. */
  public enum AnonymousWrites {
    SUBJECT_OWNER,
    DENY
  }

  private String anonymousWrites = "subject-owner";
  private Duration schemaWriteTimeout = Duration.ofSeconds(10);
  private Duration schemaWriteResend = Duration.ofSeconds(3);
  private Duration schemaReadYourWritesTimeout = Duration.ofSeconds(5);

  public String getAnonymousWrites() {
    return anonymousWrites;
  }

  public void setAnonymousWrites(String anonymousWrites) {
    this.anonymousWrites = anonymousWrites;
  }

  /**
   * The policy, parsed.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public AnonymousWrites anonymousWritesPolicy() {
    String value = anonymousWrites == null ? "" : anonymousWrites.trim();
    try {
      return AnonymousWrites.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "meshbone.registry.anonymous-writes is '"
              + anonymousWrites
              + "'; use subject-owner or deny");
    }
  }

  public Duration getSchemaWriteTimeout() {
    return schemaWriteTimeout;
  }

  public void setSchemaWriteTimeout(Duration schemaWriteTimeout) {
    this.schemaWriteTimeout = schemaWriteTimeout;
  }

  public Duration getSchemaWriteResend() {
    return schemaWriteResend;
  }

  public void setSchemaWriteResend(Duration schemaWriteResend) {
    this.schemaWriteResend = schemaWriteResend;
  }

  public Duration getSchemaReadYourWritesTimeout() {
    return schemaReadYourWritesTimeout;
  }

  public void setSchemaReadYourWritesTimeout(Duration schemaReadYourWritesTimeout) {
    this.schemaReadYourWritesTimeout = schemaReadYourWritesTimeout;
  }
}
