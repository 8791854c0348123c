package dev.meshbone.bench.suite;

import java.util.List;

/**
 * One figure of the benchmark report: the value (a median of {@code runs} where it is end to end),
 * its unit, the baseline measured in the same run and the ratio, and the target of docs/design.md
 * if any.
 *
 * @param name what is measured
 * @param value the figure
 * @param unit its unit
 * @param runs the per-run values the median was taken of (empty for a single measurement)
 * @param baselineName what it is compared with, or null
 * @param baseline the baseline's figure in the same unit, or NaN
 * @param ratio value / baseline, or NaN
 * @param target the goal as docs/design.md words it, or null
 * @param met whether the target is met, or null without a target
 */
public record Figure(
    String name,
    double value,
    String unit,
    List<Double> runs,
    String baselineName,
    double baseline,
    double ratio,
    String target,
    Boolean met) {
  public Figure {
    runs = List.copyOf(runs);
  }

  /** A figure with a baseline; the ratio is value / baseline. */
  public static Figure of(
      String name, double value, String unit, List<Double> runs, String baselineName, double base) {
    return new Figure(name, value, unit, runs, baselineName, base, value / base, null, null);
  }

  /** A figure without a baseline of its own (its section says what it is compared with). */
  public static Figure alone(String name, double value, String unit, List<Double> runs) {
    return new Figure(name, value, unit, runs, null, Double.NaN, Double.NaN, null, null);
  }

  /** This figure against a target of docs/design.md. */
  public Figure target(String target, boolean met) {
    return new Figure(name, value, unit, runs, baselineName, baseline, ratio, target, met);
  }
}
