package dev.meshbone.quality.internal;

import dev.meshbone.events.ProductStats;
import dev.meshbone.quality.Refusal;
import dev.meshbone.quality.state.MonitorState;
import dev.meshbone.quality.state.Slice;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mesh.products.stats}: contract-validator's cumulative counts per product. Their deltas go
 * into the slice of {@code updatedAt} (volume and rejection rate); {@code lastValidAt} is a
 * successful update. Late counts still move the baseline and the last success, not the windows.
 */
final class StatsInput implements MonitorIntake.Input<ProductStats> {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorProcessor.class);

  private final MonitorTask task;
  private final Deserializer<ProductStats> decoder;

  StatsInput(MonitorTask task, Deserializer<ProductStats> decoder) {
    this.task = task;
    this.decoder = decoder;
  }

  @Override
  public String what() {
    return "stats";
  }

  @Override
  public Deserializer<ProductStats> decoder() {
    return decoder;
  }

  @Override
  public String productId(ProductStats stats) {
    return stats.getProductId();
  }

  @Override
  public void onEvent(String key, ProductStats stats, long now) {
    if (stats.getValid() < 0 || stats.getInvalid() < 0) {
      task.refuse(
          Refusal.INVALID_VALUE,
          key,
          "negative counts valid=" + stats.getValid() + " invalid=" + stats.getInvalid());
      return;
    }
    long t = stats.getUpdatedAt().toEpochMilli();
    Long lastValid = stats.getLastValidAt() == null ? null : stats.getLastValidAt().toEpochMilli();
    if (task.isFuture(t, now) || (lastValid != null && task.isFuture(lastValid, now))) {
      task.refuse(Refusal.FUTURE_TIMESTAMP, key, "updatedAt " + stats.getUpdatedAt() + " is ahead");
      return;
    }
    MonitorState state = task.state(key);
    if (state == null) {
      task.refuse(Refusal.UNKNOWN_PRODUCT, key, "no live product " + key + " on mesh.products");
      return;
    }
    long streamTime = task.streamTime();
    boolean late = task.windows().isLate(t, streamTime);
    long[] delta = delta(key, state, stats);
    if (!late) {
      streamTime = task.advanceStreamTime(t, streamTime);
      if (delta[0] > 0 || delta[1] > 0) {
        Slice slice = task.slice(state, t, streamTime);
        slice.setValid(slice.getValid() + delta[0]);
        slice.setInvalid(slice.getInvalid() + delta[1]);
      }
      MonitorTask.noteData(state, t);
    }
    if (lastValid != null
        && (state.getLastSuccessAt() == null || state.getLastSuccessAt() < lastValid)) {
      state.setLastSuccessAt(lastValid);
    }
    task.accepted();
    task.evaluateAndWrite(state, streamTime, now, true);
  }

  /**
   * The new valid and invalid records since the counts seen last, which become the new baseline.
   * The first counts the monitor sees count whole: on a new product they are its first records;
   * after a compaction they are all it can know. Counts that went down are a new baseline.
   */
  private static long[] delta(String key, MonitorState state, ProductStats stats) {
    long[] delta;
    if (!state.getStatsSeen()) {
      delta = new long[] {stats.getValid(), stats.getInvalid()};
    } else if (stats.getValid() < state.getStatsValid()
        || stats.getInvalid() < state.getStatsInvalid()) {
      LOG.warn(
          "{}: validator counts went down ({} -> {} valid); taking them as a new baseline",
          key,
          state.getStatsValid(),
          stats.getValid());
      delta = new long[] {0, 0};
    } else {
      delta =
          new long[] {
            stats.getValid() - state.getStatsValid(), stats.getInvalid() - state.getStatsInvalid()
          };
    }
    state.setStatsSeen(true);
    state.setStatsValid(stats.getValid());
    state.setStatsInvalid(stats.getInvalid());
    return delta;
  }
}
