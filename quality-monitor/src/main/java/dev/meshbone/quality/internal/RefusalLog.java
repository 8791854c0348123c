package dev.meshbone.quality.internal;

import dev.meshbone.quality.Refusal;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Logs refusals without flooding the log: the first of each reason at once, then at most one line
 * per reason every {@value #INTERVAL_MS} ms, saying how many were left out. (The metric counts
 * every one.) Used by one stream thread; not thread-safe.
 */
final class RefusalLog {
  static final long INTERVAL_MS = 10_000;

  private final Logger log;
  private final Map<Refusal, long[]> state = new EnumMap<>(Refusal.class); // {lastLogNanos, held}

  RefusalLog(Logger log) {
    this.log = log;
  }

  void log(String topic, Refusal reason, String productId, String detail) {
    long now = System.nanoTime();
    long[] s = state.get(reason);
    if (s != null && now - s[0] < INTERVAL_MS * 1_000_000) {
      s[1]++;
      return;
    }
    long held = s == null ? 0 : s[1];
    state.put(reason, new long[] {now, 0});
    log.warn(
        "refused a record of {} for product {}: {} ({}){}",
        topic,
        productId,
        reason,
        detail,
        held > 0 ? "; " + held + " more " + reason + " refusal(s) not logged" : "");
  }
}
