package dev.meshbone.validator.records;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of record validation, as plain values so tests build them with {@link #defaults()}
 * and the {@code with} methods; in the service {@link RecordValidationConfig} binds them.
 *
 * @param maxRecordBytes the most bytes key and value together may take; a bigger record goes to the
 *     dead-letter topic as {@link RejectReason#TOO_LARGE}, its value cut to fit (the whole record
 *     stays in the ingest topic). Must stay below the topics' {@code max.message.bytes} and the
 *     producer's {@code max.request.size} (both about 1 MiB by default)
 * @param statsFlushInterval how often each stream task sends its per-product counts to the
 *     aggregation of {@code mesh.products.stats}; counts not yet sent when a task moves or the
 *     instance stops are not in the statistics (they are monitoring figures, not a ledger)
 * @param statsEmitInterval how often {@code mesh.products.stats} gets the totals of the products
 *     that changed
 * @param outputTopics makes product and dead-letter topics exist before records go there
 * @param listener told of every flush of counts, for metrics
 */
public record RecordValidationSettings(
    int maxRecordBytes,
    Duration statsFlushInterval,
    Duration statsEmitInterval,
    OutputTopics outputTopics,
    ValidationListener listener) {

  public static final int DEFAULT_MAX_RECORD_BYTES = 1_000_000;

  /** The defaults, the one place they are written: 1,000,000 bytes, counts every second. */
  public static final RecordValidationSettings DEFAULTS =
      new RecordValidationSettings(
          DEFAULT_MAX_RECORD_BYTES,
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          OutputTopics.ASSUME_PRESENT,
          ValidationListener.NONE);

  public RecordValidationSettings {
    if (maxRecordBytes < 5) {
      throw new IllegalArgumentException(
          "maxRecordBytes must be at least 5, not " + maxRecordBytes);
    }
    requirePositive(statsFlushInterval, "statsFlushInterval");
    requirePositive(statsEmitInterval, "statsEmitInterval");
    Objects.requireNonNull(outputTopics, "outputTopics");
    Objects.requireNonNull(listener, "listener");
  }

  /** 1,000,000 bytes, counts flushed and emitted every second, topics assumed. */
  public static RecordValidationSettings defaults() {
    return DEFAULTS;
  }

  public RecordValidationSettings withMaxRecordBytes(int bytes) {
    return new RecordValidationSettings(
        bytes, statsFlushInterval, statsEmitInterval, outputTopics, listener);
  }

  public RecordValidationSettings withStatsIntervals(Duration flush, Duration emit) {
    return new RecordValidationSettings(maxRecordBytes, flush, emit, outputTopics, listener);
  }

  public RecordValidationSettings withOutputTopics(OutputTopics topics) {
    return new RecordValidationSettings(
        maxRecordBytes, statsFlushInterval, statsEmitInterval, topics, listener);
  }

  public RecordValidationSettings withListener(ValidationListener l) {
    return new RecordValidationSettings(
        maxRecordBytes, statsFlushInterval, statsEmitInterval, outputTopics, l);
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, not " + d);
    }
  }
}
