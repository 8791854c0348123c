package dev.meshbone.quality;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * Binds the {@code meshbone.quality.*} properties (environment variables {@code
 * MESHBONE_QUALITY_*}) and maps them once to {@link QualitySettings}; unset properties keep {@link
 * QualitySettings#DEFAULTS}. Tests build settings through it too ({@code new QualityConfig()}, the
 * setters, {@link #toSettings()}).
 */
@ConfigurationProperties(QualitySettings.PREFIX)
public class QualityConfig {
  /** Every name under {@code meshbone.quality.}: a name not here is a typo, refused at start. */
  static final Set<String> NAMES =
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
          "response-slo-critical",
          "response-slo-high",
          "response-slo-medium",
          "response-slo-low",
          "advertised-host");

  private static final QualitySettings D = QualitySettings.DEFAULTS;
  private Duration window = D.window();
  private Duration advance = D.advance();
  private Duration grace = D.grace();
  private Duration punctuationInterval = D.punctuationInterval();
  private Duration futureTolerance = D.futureTolerance();
  private Duration raiseAfter = D.raiseAfter();
  private Duration clearAfter = D.clearAfter();
  private double passRateMargin = D.passRateMargin();
  private double rejectionRateMargin = D.rejectionRateMargin();
  private double volumeMargin = D.volumeMargin();
  private double freshnessMargin = D.freshnessMargin();
  private int historySize = D.historySize();
  private Duration metricsRefresh = D.metricsRefresh();
  private Duration responseSloCritical = D.responseSlos().critical();
  private Duration responseSloHigh = D.responseSlos().high();
  private Duration responseSloMedium = D.responseSlos().medium();
  private Duration responseSloLow = D.responseSlos().low();

  public void setWindow(Duration window) {
    this.window = window;
  }

  public void setAdvance(Duration advance) {
    this.advance = advance;
  }

  public void setGrace(Duration grace) {
    this.grace = grace;
  }

  public void setPunctuationInterval(Duration punctuationInterval) {
    this.punctuationInterval = punctuationInterval;
  }

  public void setFutureTolerance(Duration futureTolerance) {
    this.futureTolerance = futureTolerance;
  }

  public void setRaiseAfter(Duration raiseAfter) {
    this.raiseAfter = raiseAfter;
  }

  public void setClearAfter(Duration clearAfter) {
    this.clearAfter = clearAfter;
  }

  public void setPassRateMargin(double passRateMargin) {
    this.passRateMargin = passRateMargin;
  }

  public void setRejectionRateMargin(double rejectionRateMargin) {
    this.rejectionRateMargin = rejectionRateMargin;
  }

  public void setVolumeMargin(double volumeMargin) {
    this.volumeMargin = volumeMargin;
  }

  public void setFreshnessMargin(double freshnessMargin) {
    this.freshnessMargin = freshnessMargin;
  }

  public void setHistorySize(int historySize) {
    this.historySize = historySize;
  }

  public void setMetricsRefresh(Duration metricsRefresh) {
    this.metricsRefresh = metricsRefresh;
  }

  public void setResponseSloCritical(Duration responseSloCritical) {
    this.responseSloCritical = responseSloCritical;
  }

  public void setResponseSloHigh(Duration responseSloHigh) {
    this.responseSloHigh = responseSloHigh;
  }

  public void setResponseSloMedium(Duration responseSloMedium) {
    this.responseSloMedium = responseSloMedium;
  }

  public void setResponseSloLow(Duration responseSloLow) {
    this.responseSloLow = responseSloLow;
  }

  /**
   * The settings, checked.
   *
   * @throws IllegalArgumentException naming the setting that is wrong and why
   */
  public QualitySettings toSettings() {
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
        new ResponseSlos(responseSloCritical, responseSloHigh, responseSloMedium, responseSloLow));
  }

  /**
   * Refuses names under {@code meshbone.quality.} that are no setting (a typo should not pass
   * silently); nested names are left alone.
   */
  static void refuseUnknown(Set<String> names) {
    var unknown = new TreeSet<>(names);
    unknown.removeAll(NAMES);
    unknown.removeIf(n -> n.contains("."));
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown setting(s) "
              + unknown
              + " under "
              + QualitySettings.PREFIX
              + "; known: "
              + new TreeSet<>(NAMES));
    }
  }

  @Factory
  static class SettingsFactory {
    @Singleton
    QualitySettings qualitySettings(QualityConfig config, Environment environment) {
      refuseUnknown(
          environment.getProperties(QualitySettings.PREFIX, StringConvention.HYPHENATED).keySet());
      return config.toSettings();
    }
  }
}
