package dev.meshbone.quality.internal;

import static dev.meshbone.quality.internal.Numbers.fmt;

import dev.meshbone.quality.QualitySettings;
import dev.meshbone.quality.state.AlertTrack;
import dev.meshbone.quality.state.MonitorState;
import dev.meshbone.quality.state.Slos;
import dev.meshbone.quality.state.WaitingIssue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Each SLO a product declares, judged against its {@link SloFigures}: breached, met with the margin
 * a raised alert needs to clear, or not evaluable. The margins come from {@link QualitySettings}:
 * absolute for the rates, relative for volume and freshness.
 */
final class SloVerdicts {
  static final String PASS_RATE = "passRate";
  static final String VOLUME = "volume";
  static final String REJECTION_RATE = "rejectionRate";
  static final String FRESHNESS = "freshness";
  static final String RESPONSE = "response";

  private final QualitySettings settings;
  private final SloWindows windows;

  SloVerdicts(QualitySettings settings, SloWindows windows) {
    this.settings = settings;
    this.windows = windows;
  }

  /**
   * A verdict for each declared SLO, in a fixed order: pass rate, volume, rejection, freshness;
   * then the response SLO while an issue is over its limit or its alert is raised.
   */
  List<SloVerdict> judge(MonitorState state, SloFigures figures, long now) {
    Slos slos = state.getSlos();
    var verdicts = new ArrayList<SloVerdict>();
    if (slos.getMinPassRate() != null) {
      verdicts.add(passRate(figures.passRate(), slos.getMinPassRate()));
    }
    if (slos.getMinVolume() != null) {
      verdicts.add(volume(state, figures, slos.getMinVolume()));
    }
    if (slos.getMaxRejectionRate() != null) {
      verdicts.add(rejectionRate(figures.rejectionRate(), slos.getMaxRejectionRate()));
    }
    if (slos.getMaxStalenessMs() != null) {
      verdicts.add(freshness(figures, slos.getMaxStalenessMs()));
    }
    response(state, now).ifPresent(verdicts::add);
    return verdicts;
  }

  /**
   * The response SLO: breached while an issue has waited for acknowledgement longer than its
   * severity allows (the one furthest over its limit is named). It is judged only then, and while
   * its alert is raised (met once no issue is over): an answered or young issue says nothing about
   * a product's health, so a product without other SLOs stays UNKNOWN.
   */
  private Optional<SloVerdict> response(MonitorState state, long now) {
    String worstId = null;
    WaitingIssue worst = null;
    double worstRatio = 0;
    long worstLimit = 0;
    for (Map.Entry<String, WaitingIssue> e : state.getWaitingIssues().entrySet()) {
      long limit = settings.responseSlos().limitMs(e.getValue().getSeverity());
      if (limit <= 0) {
        continue;
      }
      double ratio = (double) (now - e.getValue().getSince()) / limit;
      if (worst == null || ratio > worstRatio) {
        worstId = e.getKey();
        worst = e.getValue();
        worstRatio = ratio;
        worstLimit = limit;
      }
    }
    boolean breached = worst != null && worstRatio > 1;
    AlertTrack track = state.getAlerts().get(RESPONSE);
    if (!breached && (track == null || !track.getRaised())) {
      return Optional.empty();
    }
    if (!breached) {
      return Optional.of(
          SloVerdict.judged(RESPONSE, 0, Double.NaN, false, true, () -> "", () -> ""));
    }
    long waited = now - worst.getSince();
    long limit = worstLimit;
    String id = worstId;
    String severity = worst.getSeverity();
    return Optional.of(
        SloVerdict.judged(
            RESPONSE,
            waited,
            limit,
            true,
            false,
            () ->
                severity
                    + " issue "
                    + id
                    + " unacknowledged for "
                    + Duration.ofMillis(waited).toSeconds()
                    + " s > "
                    + Duration.ofMillis(limit).toSeconds()
                    + " s",
            () -> ""));
  }

  private SloVerdict passRate(Double passRate, double min) {
    if (passRate == null) {
      return SloVerdict.unknown(PASS_RATE, min);
    }
    double margin = settings.passRateMargin();
    return SloVerdict.judged(
        PASS_RATE,
        passRate,
        min,
        passRate < min,
        passRate >= Math.min(1.0, min + margin),
        () -> "passRate " + fmt(passRate) + " < minPassRate " + fmt(min),
        () ->
            "passRate "
                + fmt(passRate)
                + " is within "
                + fmt(margin)
                + " of minPassRate "
                + fmt(min));
  }

  /** Judged only once the product's data reaches back to the start of the volume window. */
  private SloVerdict volume(MonitorState state, SloFigures figures, long min) {
    Long volume = figures.volume();
    boolean fullWindow =
        figures.window().isPresent()
            && state.getFirstDataAt() != null
            && state.getFirstDataAt() <= figures.window().get().volumeStart();
    if (volume == null || !fullWindow) {
      return SloVerdict.unknown(VOLUME, min);
    }
    long span = windows.volumeSpan(state.getSlos());
    double margin = settings.volumeMargin();
    return SloVerdict.judged(
        VOLUME,
        volume,
        min,
        volume < min,
        volume >= Math.ceil(min * (1 + margin)),
        () -> "volume " + volume + " < minVolume " + min + " in " + span + " ms",
        () -> "volume " + volume + " is within " + fmt(margin * 100) + "% of minVolume " + min);
  }

  private SloVerdict rejectionRate(Double rejectionRate, double max) {
    if (rejectionRate == null) {
      return SloVerdict.unknown(REJECTION_RATE, max);
    }
    double margin = settings.rejectionRateMargin();
    return SloVerdict.judged(
        REJECTION_RATE,
        rejectionRate,
        max,
        rejectionRate > max,
        rejectionRate <= Math.max(0, max - margin),
        () -> "rejectionRate " + fmt(rejectionRate) + " > maxRejectionRate " + fmt(max),
        () ->
            "rejectionRate "
                + fmt(rejectionRate)
                + " is within "
                + fmt(margin)
                + " of maxRejectionRate "
                + fmt(max));
  }

  /** A new product is not fresh, nor stale before its time is up: unknown until one or other. */
  private SloVerdict freshness(SloFigures figures, long max) {
    Long lastSuccess = figures.lastSuccess();
    long staleness = figures.staleness();
    if (lastSuccess == null && staleness <= max) {
      return SloVerdict.unknown(FRESHNESS, max);
    }
    Supplier<String> last =
        () ->
            lastSuccess == null
                ? "none since monitoring began at " + Instant.ofEpochMilli(figures.since())
                : "last at " + Instant.ofEpochMilli(lastSuccess);
    return SloVerdict.judged(
        FRESHNESS,
        staleness,
        max,
        staleness > max,
        staleness <= max * (1 - settings.freshnessMargin()),
        () -> "no successful update within maxStalenessMs " + max + " (" + last.get() + ")",
        () ->
            "close to maxStalenessMs " + max + " without a successful update (" + last.get() + ")");
  }
}
