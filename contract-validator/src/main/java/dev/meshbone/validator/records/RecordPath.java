package dev.meshbone.validator.records;

import java.util.Locale;

/**
 * Which code checks the ingest records ({@code meshbone.validator.record-path}); both keep every
 * guarantee (exactly once, order per partition, new products picked up, counts committed with their
 * records).
 */
public enum RecordPath {
  /** A plain transactional consume-check-produce loop beside the topology ({@link RecordLoop}). */
  LOOP,
  /** The topology's own record-validation section ({@link RecordValidation#addTo}). */
  STREAMS;

  /** The path the validator takes unless told otherwise. */
  public static final RecordPath DEFAULT = LOOP;

  /** {@code loop} or {@code streams}, in any case. */
  public static RecordPath parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "meshbone.validator.record-path must be loop or streams, not " + value);
    }
  }
}
