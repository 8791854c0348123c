package dev.meshbone.quality.internal;

import java.util.function.Supplier;

/**
 * One declared SLO judged against its figure.
 *
 * @param slo the SLO's name ({@link SloVerdicts#PASS_RATE}, ...), which its alert carries
 * @param observed the figure; NaN when not evaluable
 * @param threshold the declared limit; NaN for an SLO no longer declared
 * @param breached whether the figure is on the wrong side of the limit
 * @param metWithMargin whether it is far enough on the right side for a raised alert to clear
 * @param breachReason why it is breached, for reasons and alert messages
 * @param marginReason why it is met but not with margin
 * @param evaluable whether there was data to judge; an SLO without data leaves its alert as it is
 */
record SloVerdict(
    String slo,
    double observed,
    double threshold,
    boolean breached,
    boolean metWithMargin,
    Supplier<String> breachReason,
    Supplier<String> marginReason,
    boolean evaluable) {

  static SloVerdict judged(
      String slo,
      double observed,
      double threshold,
      boolean breached,
      boolean metWithMargin,
      Supplier<String> breachReason,
      Supplier<String> marginReason) {
    return new SloVerdict(
        slo, observed, threshold, breached, metWithMargin, breachReason, marginReason, true);
  }

  /** An SLO that cannot be judged now (no data), or is no longer declared ({@code NaN}). */
  static SloVerdict unknown(String slo, double threshold) {
    return new SloVerdict(slo, Double.NaN, threshold, false, false, () -> "", () -> "", false);
  }
}
