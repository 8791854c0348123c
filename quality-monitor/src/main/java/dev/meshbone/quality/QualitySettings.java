package dev.meshbone.quality;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How quality-monitor evaluates products, under {@code meshbone.quality.} (environment variables
 * {@code MESHBONE_QUALITY_WINDOW}, ...). Built from a plain map so tests pass {@code Map.of(...)};
 * durations are given as {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, ISO-8601 ({@code
 * PT5M}) or plain milliseconds.
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
    Duration metricsRefresh) {

  /** The property prefix of these settings. */
  public static final String PREFIX = "meshbone.quality";

  private static final Set<String> KEYS =
      Set.of(
          "window",
          "advance",
          "grace",
          "punctuation-interval",
          "future-tolerance",
          "raise-after",
          "clear-after",
          "pass-rate-margin",
          "rejection-rate-margin",
          "volume-margin",
          "freshness-margin",
          "history-size",
          "metrics-refresh",
          "advertised-host");

  public QualitySettings {
    positive("window", window);
    positive("advance", advance);
    notNegative("grace", grace);
    positive("punctuation-interval", punctuationInterval);
    notNegative("future-tolerance", futureTolerance);
    notNegative("raise-after", raiseAfter);
    notNegative("clear-after", clearAfter);
    positive("metrics-refresh", metricsRefresh);
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

  /** The names of the settings, without the prefix. */
  public static Set<String> keys() {
    return KEYS;
  }

  /** The defaults: 5-minute windows hopping by a minute, a minute of grace, 10 s punctuation. */
  public static QualitySettings defaults() {
    return fromMap(Map.of());
  }

  /**
   * Settings from a map of the keys without the {@code meshbone.quality.} prefix (kebab-case or
   * camelCase); missing keys take their defaults.
   *
   * @throws IllegalArgumentException naming the setting that is wrong and why
   */
  public static QualitySettings fromMap(Map<String, ?> raw) {
    Map<String, Object> values = new HashMap<>();
    raw.forEach((k, v) -> values.put(kebab(k), v));
    var unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(KEYS);
    // Nested maps (Micronaut hands sub-keys too) and unknown keys are ignored, but a typo should
    // not pass silently: name it.
    unknown.removeIf(k -> k.contains("."));
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown setting(s) "
              + unknown
              + " under meshbone.quality; known: "
              + new TreeSet<>(KEYS));
    }
    return new QualitySettings(
        duration(values, "window", Duration.ofMinutes(5)),
        duration(values, "advance", Duration.ofMinutes(1)),
        duration(values, "grace", Duration.ofMinutes(1)),
        duration(values, "punctuation-interval", Duration.ofSeconds(10)),
        duration(values, "future-tolerance", Duration.ofMinutes(5)),
        duration(values, "raise-after", Duration.ZERO),
        duration(values, "clear-after", Duration.ofSeconds(30)),
        number(values, "pass-rate-margin", 0.02),
        number(values, "rejection-rate-margin", 0.02),
        number(values, "volume-margin", 0.1),
        number(values, "freshness-margin", 0.1),
        (int) number(values, "history-size", 50),
        duration(values, "metrics-refresh", Duration.ofSeconds(5)));
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
        metricsRefresh);
  }

  /** Parses a duration as the settings accept it. */
  public static Duration parseDuration(String name, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
      }
      char unit = t.charAt(t.length() - 1);
      if (Character.isDigit(unit)) {
        return Duration.ofMillis(Long.parseLong(t));
      }
      long n = Long.parseLong(t.substring(0, t.length() - 1).trim());
      return switch (unit) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new NumberFormatException("unknown unit " + unit);
      };
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException(
          PREFIX
              + "."
              + name
              + " is not a duration: '"
              + text
              + "' (use e.g. 500ms, 10s, 5m, 1h, PT5M or milliseconds)");
    }
  }

  private static Duration duration(Map<String, Object> values, String name, Duration fallback) {
    Object v = values.get(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Duration d) {
      return d;
    }
    if (v instanceof Number n) {
      return Duration.ofMillis(n.longValue());
    }
    return parseDuration(name, v.toString());
  }

  private static double number(Map<String, Object> values, String name, double fallback) {
    Object v = values.get(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PREFIX + "." + name + " is not a number: '" + v + "'", e);
    }
  }

  private static String kebab(String key) {
    var out = new StringBuilder();
    for (char c : key.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('-').append(Character.toLowerCase(c));
      } else {
        out.append(c == '_' ? '-' : c);
      }
    }
    return out.toString();
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(PREFIX + "." + name + " must be positive, not " + d);
    }
  }

  private static void notNegative(String name, Duration d) {
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
