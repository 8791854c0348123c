package dev.meshbone.quality;

/**
 * Why quality-monitor refused an input record. Every refusal is counted (metric {@code
 * meshbone.quality.refused} with tags {@code topic} and {@code reason}) and logged; the record is
 * skipped and the stream goes on.
 */
public enum Refusal {
  /** The value is not the topic's contract in the mesh's encoding (garbage, truncated Avro). */
  UNDECODABLE,
  /** The record has no key; every input topic is keyed by product id. */
  NULL_KEY,
  /** A quality event or stats record without a value. */
  NULL_VALUE,
  /** The product id is not {@code <domain>.<product>}. */
  INVALID_PRODUCT_ID,
  /** The record's key is not the product id in its value. */
  KEY_MISMATCH,
  /** No live product of that id on {@code mesh.products} (never created, or retired). */
  UNKNOWN_PRODUCT,
  /** The event time is further ahead of the wall clock than {@code future-tolerance}. */
  FUTURE_TIMESTAMP,
  /** The event's windows all closed (window end plus grace is behind the stream time). */
  LATE,
  /**
   * A value that cannot be what it says: a NaN or infinite measurement or threshold, a negative
   * record count or validator count, a blank check name.
   */
  INVALID_VALUE,
  /**
   * A declared service level that cannot be evaluated (NaN, negative, a rate above 1); the product
   * is monitored without it.
   */
  INVALID_SLO,
  /** The monitor failed on the record (a bug): skipped and logged with its stack trace. */
  INTERNAL_ERROR
}
