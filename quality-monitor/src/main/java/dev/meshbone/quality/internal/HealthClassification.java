package dev.meshbone.quality.internal;

import static dev.meshbone.quality.internal.Numbers.fmt;

import dev.meshbone.events.HealthState;
import dev.meshbone.quality.QualitySettings;
import dev.meshbone.quality.state.AlertTrack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A product's health state and the reasons for it, from its SLO verdicts and alerts:
 *
 * <ul>
 *   <li>UNKNOWN without service levels, or before any SLO can be evaluated;
 *   <li>STALE while the freshness alert is raised;
 *   <li>BREACHED while any other alert is raised;
 *   <li>DEGRADED when an SLO is met but not with margin, is breached but not raised yet, or one
 *       check's own pass rate is below the minimum;
 *   <li>else HEALTHY.
 * </ul>
 *
 * Reasons: one line per SLO that is breached, still raised, or met without margin, then one per
 * weak check.
 */
final class HealthClassification {
  private final QualitySettings settings;

  HealthClassification(QualitySettings settings) {
    this.settings = settings;
  }

  record Health(HealthState state, List<String> reasons) {}

  /**
   * @param verdicts the declared SLOs' verdicts
   * @param tracks the alert tracks, already moved on by the verdicts
   * @param passRateByCheck each check's pass rate in the current window
   * @param minPassRate the declared minimum pass rate, or null
   */
  Health classify(
      List<SloVerdict> verdicts,
      Map<String, AlertTrack> tracks,
      Map<String, Double> passRateByCheck,
      Double minPassRate) {
    List<String> reasons = sloReasons(verdicts, tracks);
    List<String> weakChecks = weakChecks(passRateByCheck, minPassRate);
    HealthState state;
    if (verdicts.isEmpty()) {
      state = HealthState.UNKNOWN;
      reasons.add("no service levels declared");
    } else if (raised(tracks, SloVerdicts.FRESHNESS)) {
      state = HealthState.STALE;
    } else if (tracks.entrySet().stream()
        .anyMatch(e -> !e.getKey().equals(SloVerdicts.FRESHNESS) && e.getValue().getRaised())) {
      state = HealthState.BREACHED;
    } else if (verdicts.stream().noneMatch(SloVerdict::evaluable)) {
      state = HealthState.UNKNOWN;
      reasons.add("no quality data in the current window yet");
    } else if (!reasons.isEmpty() || !weakChecks.isEmpty()) {
      state = HealthState.DEGRADED;
    } else {
      state = HealthState.HEALTHY;
    }
    reasons.addAll(weakChecks);
    return new Health(state, reasons);
  }

  private List<String> sloReasons(List<SloVerdict> verdicts, Map<String, AlertTrack> tracks) {
    var reasons = new ArrayList<String>();
    for (SloVerdict v : verdicts) {
      AlertTrack track = tracks.get(v.slo());
      if (v.evaluable() && v.breached()) {
        reasons.add(v.breachReason().get());
      } else if (track != null && track.getRaised()) {
        reasons.add(
            v.slo()
                + " alert still raised: it clears once "
                + v.slo()
                + " is met with margin for "
                + settings.clearAfter().toSeconds()
                + " s");
      } else if (v.evaluable() && !v.metWithMargin()) {
        reasons.add(v.marginReason().get());
      }
    }
    return reasons;
  }

  private static List<String> weakChecks(Map<String, Double> passRateByCheck, Double min) {
    var weak = new ArrayList<String>();
    if (min != null) {
      passRateByCheck.forEach(
          (check, rate) -> {
            if (rate < min) {
              weak.add(
                  "check '" + check + "' passRate " + fmt(rate) + " < minPassRate " + fmt(min));
            }
          });
    }
    return weak;
  }

  private static boolean raised(Map<String, AlertTrack> tracks, String slo) {
    AlertTrack t = tracks.get(slo);
    return t != null && t.getRaised();
  }
}
