package dev.meshbone.registry.products.catalog;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * How the registry drives a DEPRECATED product to retirement at its {@code sunsetAt}.
 *
 * @param leadTimes when before the sunset APPROVED subscribers are reminded (30 d, 7 d, 1 d)
 * @param quietPeriod how long a consumer's groups must have committed nothing, with no lag, to
 *     count as drained (1 h)
 * @param checkInterval how often the wall-clock punctuation looks at the deprecated products (1
 *     min): reminders and the retirement come at most this late
 */
public record SunsetPolicy(List<Duration> leadTimes, Duration quietPeriod, Duration checkInterval) {
  /** The defaults, the one place they are written. */
  public static final SunsetPolicy DEFAULTS =
      new SunsetPolicy(
          List.of(Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(1)),
          Duration.ofHours(1),
          Duration.ofMinutes(1));

  public SunsetPolicy {
    if (leadTimes == null || leadTimes.stream().anyMatch(d -> d == null || d.isNegative())) {
      throw new IllegalArgumentException(
          "meshbone.registry.sunset-lead-times must be durations of at least 0, not " + leadTimes);
    }
    leadTimes = leadTimes.stream().distinct().sorted(Comparator.reverseOrder()).toList();
    if (quietPeriod == null || quietPeriod.isNegative()) {
      throw new IllegalArgumentException(
          "meshbone.registry.sunset-quiet-period must be at least 0, not " + quietPeriod);
    }
    if (checkInterval == null || checkInterval.isZero() || checkInterval.isNegative()) {
      throw new IllegalArgumentException(
          "meshbone.registry.sunset-check-interval must be positive, not " + checkInterval);
    }
  }
}
