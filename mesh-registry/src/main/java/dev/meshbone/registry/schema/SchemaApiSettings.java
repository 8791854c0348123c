package dev.meshbone.registry.schema;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the schema registry API, under {@code meshbone.registry.} ({@link SchemaApiConfig}
 * binds them; defaults in {@link #DEFAULTS}).
 *
 * @param anonymousWrites {@code anonymous-writes}: what a write without an identity (no {@code
 *     X-Mesh-Domain} header, no basic-auth user, as stock Confluent clients send) acts as. {@code
 *     subject-owner} (the default) acts as the domain that owns the subject, and as the platform
 *     for the global compatibility level, so existing clients work unchanged on a local mesh;
 *     {@code deny} refuses such writes with 401. A write with an identity is always checked against
 *     the subject's owner.
 * @param schemaWriteTimeout {@code schema-write-timeout} (10 s): how long a write waits for
 *     contract-validator's decision before answering 50002. The proposal stays queued: the
 *     validator decides it when it runs, and a retry of the same schema gets the id it allocated.
 * @param schemaWriteResend {@code schema-write-resend} (3 s): within that time, how often the same
 *     proposal (same request id) is sent again; the validator answers a repeat with its first
 *     decision.
 * @param schemaReadYourWritesTimeout {@code schema-read-your-writes-timeout} (5 s): how long an
 *     accepted write waits for this instance's copy of the contract log to show it, so what a
 *     client just wrote reads back at once from the same instance.
 */
public record SchemaApiSettings(
    AnonymousWrites anonymousWrites,
    Duration schemaWriteTimeout,
    Duration schemaWriteResend,
    Duration schemaReadYourWritesTimeout) {
  /** What an anonymous write acts as. */
  public enum AnonymousWrites {
    SUBJECT_OWNER,
    DENY
  }

  /** The defaults, the one place they are written. */
  public static final SchemaApiSettings DEFAULTS =
      new SchemaApiSettings(
          AnonymousWrites.SUBJECT_OWNER,
          Duration.ofSeconds(10),
          Duration.ofSeconds(3),
          Duration.ofSeconds(5));

  public SchemaApiSettings {
    Objects.requireNonNull(anonymousWrites, "meshbone.registry.anonymous-writes");
    positive("schema-write-timeout", schemaWriteTimeout);
    positive("schema-write-resend", schemaWriteResend);
    positive("schema-read-your-writes-timeout", schemaReadYourWritesTimeout);
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(
          "meshbone.registry." + name + " must be positive, not " + d);
    }
  }
}
