package dev.meshbone.validator.records;

/**
 * Why a record went to its product's dead-letter topic instead of the product topic: the value of
 * the {@link dev.meshbone.topics.DlqHeaders#REASON} header, and the {@code reason} tag of the
 * validator's metrics. Checks run in this order and the first failure decides the reason.
 */
public enum RejectReason {
  /** The product was retired on {@code mesh.products}: it takes no more records. */
  PRODUCT_RETIRED,
  /** The record has no value (a null, or tombstone). */
  NULL_VALUE,
  /** Key and value together exceed {@code meshbone.validator.max-record-bytes}. */
  TOO_LARGE,
  /** The value (or key) does not start with magic byte 0 and a 4-byte schema id. */
  NOT_CONFLUENT_FORMAT,
  /** No subject in {@code mesh.contracts} has the schema id. */
  UNKNOWN_SCHEMA_ID,
  /** The schema id is registered, but not under the product's subject. */
  SCHEMA_NOT_IN_SUBJECT,
  /** Every version of the product's subject with this schema id was (soft-)deleted. */
  SCHEMA_DELETED,
  /** The contract version cannot be used to check records (its schema or rules do not compile). */
  CONTRACT_UNUSABLE,
  /** The bytes after the header are not a complete Avro encoding of the writer schema. */
  DECODE_FAILED,
  /** Bytes are left over after the record the writer schema describes. */
  TRAILING_BYTES,
  /** The record decodes but breaks one of the contract's data rules. */
  RULE_VIOLATION,
  /** The product's contract declares a key schema, and the record has no key. */
  NULL_KEY
}
