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
 * @param statsFlushInterval used only where no {@link StatsCommits} hooks the stream thread's
 *     producer (TopologyTestDriver, or a {@code KafkaStreams} built without its client supplier):
 *     how often each stream task then sends its per-product counts to the aggregation of {@code
 *     mesh.products.stats}, and counts not yet sent when the instance crashes are lost. With the
 *     hook, the counts go with every commit, in its transaction
 * @param statsEmitInterval how often {@code mesh.products.stats} gets the totals of the products
 *     that changed
 * @param outputTopics makes product and dead-letter topics exist before records go there
 * @param listener told of every flush of counts, for metrics
 * @param statsCommits the hook that commits the counts with their records, or {@link
 *     StatsCommits#NONE}
 */
public record RecordValidationSettings(
    int maxRecordBytes,
    Duration statsFlushInterval,
    Duration statsEmitInterval,
    OutputTopics outputTopics,
    ValidationListener listener,
    StatsCommits statsCommits) {

  public static final int DEFAULT_MAX_RECORD_BYTES = 1_000_000;

  /** The defaults, the one place they are written: 1,000,000 bytes, counts every second. */
  public static final RecordValidationSettings DEFAULTS =
      new RecordValidationSettings(
          DEFAULT_MAX_RECORD_BYTES,
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          OutputTopics.ASSUME_PRESENT,
          ValidationListener.NONE,
          StatsCommits.NONE);

  public RecordValidationSettings {
    if (maxRecordBytes < 5) {
      throw new IllegalArgumentException(
          "maxRecordBytes must be at least 5, not " + maxRecordBytes);
    }
    requirePositive(statsFlushInterval, "statsFlushInterval");
    requirePositive(statsEmitInterval, "statsEmitInterval");
    Objects.requireNonNull(outputTopics, "outputTopics");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(statsCommits, "statsCommits");
  }

  /** 1,000,000 bytes, counts flushed and emitted every second, topics assumed. */
  public static RecordValidationSettings defaults() {
    return DEFAULTS;
  }

  public RecordValidationSettings withMaxRecordBytes(int bytes) {
    return new RecordValidationSettings(
        bytes, statsFlushInterval, statsEmitInterval, outputTopics, listener, statsCommits);
  }

  public RecordValidationSettings withStatsIntervals(Duration flush, Duration emit) {
    return new RecordValidationSettings(
        maxRecordBytes, flush, emit, outputTopics, listener, statsCommits);
  }

  public RecordValidationSettings withOutputTopics(OutputTopics topics) {
    return new RecordValidationSettings(
        maxRecordBytes, statsFlushInterval, statsEmitInterval, topics, listener, statsCommits);
  }

  public RecordValidationSettings withListener(ValidationListener l) {
    return new RecordValidationSettings(
        maxRecordBytes, statsFlushInterval, statsEmitInterval, outputTopics, l, statsCommits);
  }

  /** Counts committed with their records by the stream threads' producers (see the class). */
  public RecordValidationSettings withStatsCommits(StatsCommits commits) {
    return new RecordValidationSettings(
        maxRecordBytes, statsFlushInterval, statsEmitInterval, outputTopics, listener, commits);
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, not " + d);
    }
  }
}
