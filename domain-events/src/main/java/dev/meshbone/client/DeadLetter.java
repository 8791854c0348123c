package dev.meshbone.client;

import java.time.Instant;

/**
 * A record contract-validator refused, as the owning domain reads it from its product's dead-letter
 * topic ({@code <domain>.<product>.dlq}): the bytes as they were published, and why.
 *
 * @param productId the product
 * @param key the producer's key, or null
 * @param value the refused bytes, unchanged (possibly cut when the record was too large)
 * @param reason the reason code, e.g. {@code RULE_VIOLATION}, {@code UNKNOWN_SCHEMA_ID}, {@code
 *     DECODE_FAILED}
 * @param message what was wrong, in one sentence
 * @param rule the contract rule the record broke, or null
 * @param field the field that rule checks, or null
 * @param sourceTopic the ingest topic the record came from
 * @param sourcePartition its partition there
 * @param sourceOffset its offset there
 * @param timestamp the record's timestamp
 */
public record DeadLetter(
    String productId,
    String key,
    byte[] value,
    String reason,
    String message,
    String rule,
    String field,
    String sourceTopic,
    int sourcePartition,
    long sourceOffset,
    Instant timestamp) {

  @Override
  public String toString() {
    return reason
        + (rule == null ? "" : " " + rule)
        + (field == null ? "" : " (" + field + ")")
        + ": "
        + message;
  }
}
