package dev.meshbone.quality.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** How the monitor rounds and writes its figures. */
final class Numbers {
  private Numbers() {}

  /** Figures are kept with 4 decimals: finer changes are noise, not news. */
  static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }

  /** A figure as text: whole numbers without decimals, others with at most 4. */
  static String fmt(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    // BigDecimal rather than String.format: no locale lookups on the hot path.
    return BigDecimal.valueOf(v)
        .setScale(4, RoundingMode.HALF_UP)
        .stripTrailingZeros()
        .toPlainString();
  }
}
