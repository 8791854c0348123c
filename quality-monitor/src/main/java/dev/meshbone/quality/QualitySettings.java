package dev.meshbone.quality;

import java.time.Duration;

/**
 * How quality-monitor evaluates products, under {@code meshbone.quality.} (environment variables
 * {@code MESHBONE_QUALITY_WINDOW}, ...), bound by {@link QualityConfig}; the defaults are {@link
 * #DEFAULTS}. Durations are given as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h} or ISO-8601
 * ({@code PT5M}).
 *
 * @param window size of the hopping windows of pass rate and rejection rate ({@code window})
 * @param advance how far the windows hop; the window must be a whole number of advances ({@code
 *     advance})
 * @param grace how long after a window ends a late event is still counted in it ({@code grace})
 * @param punctuationInterval how often, in wall-clock time, every product is evaluated again, which
 *     is what turns a silent product STALE ({@code punctuation-interval})
 * @param futureTolerance how far ahead of the wall clock an event time may be before the event is
 *     refused ({@code future-tolerance})
 * @param raiseAfter how long an SLO must stay breached before its alert is raised; zero raises on
 *     the first breached evaluation ({@code raise-after})
 * @param clearAfter how long an SLO must be met with margin before its raised alert clears ({@code
 *     clear-after})
 * @param passRateMargin a raised pass-rate alert clears only at {@code minPassRate + margin}
 *     ({@code pass-rate-margin}, absolute)
 * @param rejectionRateMargin a raised rejection-rate alert clears only at {@code maxRejectionRate -
 *     margin} ({@code rejection-rate-margin}, absolute)
 * @param volumeMargin a raised volume alert clears only at {@code minVolume * (1 + margin)} ({@code
 *     volume-margin}, relative)
 * @param freshnessMargin a raised freshness alert clears only at {@code maxStalenessMs * (1 -
 *     margin)} ({@code freshness-margin}, relative)
 * @param historySize how many health changes are kept per product ({@code history-size})
 * @param metricsRefresh how often the per-product gauges are refreshed from the local state ({@code
 *     metrics-refresh})
 * @param responseSlos how soon a product's owner must acknowledge an issue of each severity ({@code
 *     response-slo-critical}, {@code -high}, {@code -medium}, {@code -low}; zero for none)
 */
public record QualitySettings(
    Duration window,
    Duration advance,
    Duration grace,
    Duration punctuationInterval,
    Duration futureTolerance,
    Duration raiseAfter,
    Duration clearAfter,
    double passRateMargin,
    double rejectionRateMargin,
    double volumeMargin,
    double freshnessMargin,
    int historySize,
    Duration metricsRefresh,
    ResponseSlos responseSlos) {

  /** The property prefix of these settings. */
  public static final String PREFIX = "meshbone.quality";

  /** The defaults, the one place they are written. */
  public static final QualitySettings DEFAULTS =
      new QualitySettings(
          Duration.ofMinutes(5),
          Duration.ofMinutes(1),
          Duration.ofMinutes(1),
          Duration.ofSeconds(10),
          Duration.ofMinutes(5),
          Duration.ZERO,
          Duration.ofSeconds(30),
          0.02,
          0.02,
          0.1,
          0.1,
          50,
          Duration.ofSeconds(5),
          ResponseSlos.DEFAULTS);

  public QualitySettings {
    positive("window", window);
    positive("advance", advance);
    notNegative("grace", grace);
    positive("punctuation-interval", punctuationInterval);
    notNegative("future-tolerance", futureTolerance);
    notNegative("raise-after", raiseAfter);
    notNegative("clear-after", clearAfter);
    positive("metrics-refresh", metricsRefresh);
    if (responseSlos == null) {
      throw new IllegalArgumentException(PREFIX + ".response-slo-* must be set");
    }
    if (advance.compareTo(window) > 0 || window.toMillis() % advance.toMillis() != 0) {
      throw new IllegalArgumentException(
          "meshbone.quality.window ("
              + window.toMillis()
              + " ms) must be a whole number of meshbone.quality.advance ("
              + advance.toMillis()
              + " ms)");
    }
    if (window.toMillis() / advance.toMillis() > 1000) {
      throw new IllegalArgumentException(
          "meshbone.quality.window is more than 1000 advances; choose a larger advance");
    }
    share("pass-rate-margin", passRateMargin);
    share("rejection-rate-margin", rejectionRateMargin);
    share("volume-margin", volumeMargin);
    share("freshness-margin", freshnessMargin);
    if (historySize < 1 || historySize > 10_000) {
      throw new IllegalArgumentException(
          "meshbone.quality.history-size must be between 1 and 10000, not " + historySize);
    }
  }

  /** The defaults: 5-minute windows hopping by a minute, a minute of grace, 10 s punctuation. */
  public static QualitySettings defaults() {
    return DEFAULTS;
  }

  /** The same settings with other windows; for tests and benchmarks. */
  public QualitySettings withWindows(Duration window, Duration advance, Duration grace) {
    return new QualitySettings(
        window,
        advance,
        grace,
        punctuationInterval,
        futureTolerance,
        raiseAfter,
        clearAfter,
        passRateMargin,
        rejectionRateMargin,
        volumeMargin,
        freshnessMargin,
        historySize,
        metricsRefresh,
        responseSlos);
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(PREFIX + "." + name + " must be positive, not " + d);
    }
  }

  static void notNegative(String name, Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(PREFIX + "." + name + " must not be negative, not " + d);
    }
  }

  private static void share(String name, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(
          PREFIX + "." + name + " must be between 0 and 1, not " + v);
    }
  }
}
