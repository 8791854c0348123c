package dev.meshbone.quality.internal;

import dev.meshbone.events.QualityEvent;
import dev.meshbone.quality.Refusal;
import dev.meshbone.quality.state.CheckCount;
import dev.meshbone.quality.state.MonitorState;
import dev.meshbone.quality.state.Slice;
import java.time.Instant;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * {@code mesh.quality}: each domain's validated quality events. A check run counts in the slice of
 * its {@code occurredAt}, overall and per check name; a passing run is a successful update; its
 * {@code recordCount} adds to the check's records (volume before the validator's counts arrive).
 */
final class QualityEventsInput implements MonitorIntake.Input<QualityEvent> {
  private final MonitorTask task;
  private final Deserializer<QualityEvent> decoder;

  QualityEventsInput(MonitorTask task, Deserializer<QualityEvent> decoder) {
    this.task = task;
    this.decoder = decoder;
  }

  @Override
  public String what() {
    return "quality event";
  }

  @Override
  public Deserializer<QualityEvent> decoder() {
    return decoder;
  }

  @Override
  public String productId(QualityEvent event) {
    return event.getProductId();
  }

  @Override
  public void onEvent(String key, QualityEvent event, long now) {
    String invalid = invalidValue(event);
    if (invalid != null) {
      task.refuse(Refusal.INVALID_VALUE, key, invalid);
      return;
    }
    long t = event.getOccurredAt().toEpochMilli();
    if (task.isFuture(t, now)) {
      task.refuse(
          Refusal.FUTURE_TIMESTAMP, key, "occurredAt " + event.getOccurredAt() + " is ahead");
      return;
    }
    MonitorState state = task.state(key);
    if (state == null) {
      task.refuse(Refusal.UNKNOWN_PRODUCT, key, "no live product " + key + " on mesh.products");
      return;
    }
    long streamTime = task.streamTime();
    if (task.windows().isLate(t, streamTime)) {
      task.refuse(
          Refusal.LATE,
          key,
          "occurredAt "
              + event.getOccurredAt()
              + " is beyond the grace period (stream time "
              + Instant.ofEpochMilli(streamTime)
              + ")");
      return;
    }
    streamTime = task.advanceStreamTime(t, streamTime);
    count(state, event, task.slice(state, t, streamTime), t);
    MonitorTask.noteData(state, t);
    task.accepted();
    task.evaluateAndWrite(state, streamTime, now, true);
  }

  private static void count(MonitorState state, QualityEvent event, Slice slice, long t) {
    slice.setTotal(slice.getTotal() + 1);
    CheckCount check = slice.getChecks().get(event.getCheckName());
    if (check == null) {
      check = CheckCount.newBuilder().build();
      slice.getChecks().put(event.getCheckName(), check);
    }
    check.setTotal(check.getTotal() + 1);
    if (event.getPassed()) {
      slice.setPassed(slice.getPassed() + 1);
      check.setPassed(check.getPassed() + 1);
      if (state.getLastSuccessAt() == null || state.getLastSuccessAt() < t) {
        state.setLastSuccessAt(t);
      }
    }
    if (event.getRecordCount() != null) {
      check.setRecords(check.getRecords() + event.getRecordCount());
      state.setRecordCountsSeen(true);
    }
  }

  /** Why the event's own fields cannot be counted, or null if they can. */
  static String invalidValue(QualityEvent e) {
    if (e.getCheckName() == null || e.getCheckName().isBlank()) {
      return "blank checkName";
    }
    if (e.getCheckName().length() > 200) {
      return "checkName longer than 200 characters";
    }
    // A measurement may be negative (a drift, a temperature), as the validator also allows; it
    // must be a number.
    if (notFinite(e.getMeasuredValue())) {
      return "measuredValue " + e.getMeasuredValue() + " is not a finite number";
    }
    if (notFinite(e.getThreshold())) {
      return "threshold " + e.getThreshold() + " is not a finite number";
    }
    if (e.getRecordCount() != null && e.getRecordCount() < 0) {
      return "recordCount " + e.getRecordCount() + " is negative";
    }
    return null;
  }

  private static boolean notFinite(Double v) {
    return v != null && (v.isNaN() || v.isInfinite());
  }
}
