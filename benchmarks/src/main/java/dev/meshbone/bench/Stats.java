package dev.meshbone.bench;

import java.util.Collection;

/** Medians and percentiles of the figures the harnesses collect. */
public final class Stats {
  private Stats() {}

  /** The median (the mean of the two middle values of an even count); NaN when empty. */
  public static double median(Collection<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /**
   * The nearest-rank percentile {@code p} (0-100) of sorted values: the smallest value at or below
   * which {@code p}% of them lie. NaN when empty.
   */
  public static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
