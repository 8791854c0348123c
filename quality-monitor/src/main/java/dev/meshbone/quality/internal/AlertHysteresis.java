package dev.meshbone.quality.internal;

import static dev.meshbone.quality.internal.Numbers.fmt;

import dev.meshbone.events.AlertState;
import dev.meshbone.events.HealthState;
import dev.meshbone.events.QualityAlert;
import dev.meshbone.quality.QualitySettings;
import dev.meshbone.quality.state.AlertTrack;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Each SLO's alert, with hysteresis: raised once the SLO has been breached for {@code raise-after},
 * cleared only once it has been met with margin for {@code clear-after} (see {@link SloVerdicts}
 * for the margins); in between it stays as it is, so a figure that hovers around its threshold
 * raises one alert instead of a stream of them. An SLO without data leaves its alert as it is; an
 * SLO no longer declared takes its alert with it. Where each alert stands is kept in the product's
 * {@link AlertTrack}s, by SLO name.
 */
final class AlertHysteresis {
  private final QualitySettings settings;

  AlertHysteresis(QualitySettings settings) {
    this.settings = settings;
  }

  /** An alert to write: raised or cleared, for which verdict, under which id. */
  record Transition(AlertState state, SloVerdict verdict, String alertId) {}

  /**
   * What moving the tracks on decided.
   *
   * @param transitions the alerts to write, once the health state they carry is known
   * @param tracksChanged whether any track changed (the state must then be stored)
   */
  record Moves(List<Transition> transitions, boolean tracksChanged) {}

  /** Moves the {@code tracks} on by the {@code verdicts} at wall-clock time {@code now}. */
  Moves update(
      Map<String, AlertTrack> tracks, List<SloVerdict> verdicts, String productId, long now) {
    var transitions = new ArrayList<Transition>();
    boolean changed = false;
    for (SloVerdict v : verdicts) {
      AlertTrack track = tracks.get(v.slo());
      if (track == null) {
        track = AlertTrack.newBuilder().build();
      }
      var before = Where.of(track);
      if (v.evaluable()) {
        step(track, v, productId, now).ifPresent(transitions::add);
      }
      if (!before.equals(Where.of(track)) || !tracks.containsKey(v.slo())) {
        tracks.put(v.slo(), track);
        changed = true;
      }
    }
    for (var it = tracks.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      String slo = e.getKey();
      if (verdicts.stream().noneMatch(v -> v.slo().equals(slo))) {
        if (e.getValue().getRaised()) {
          transitions.add(
              new Transition(
                  AlertState.CLEARED,
                  SloVerdict.unknown(slo, Double.NaN),
                  e.getValue().getAlertId()));
        }
        it.remove();
        changed = true;
      }
    }
    return new Moves(transitions, changed);
  }

  /** Where a track stands, to tell whether it moved. */
  private record Where(boolean raised, Long breachedSince, Long clearSince) {
    static Where of(AlertTrack t) {
      return new Where(t.getRaised(), t.getBreachedSince(), t.getClearSince());
    }
  }

  /** One evaluable verdict applied to its track: raise, clear, or keep counting. */
  private Optional<Transition> step(AlertTrack track, SloVerdict v, String productId, long now) {
    if (!track.getRaised()) {
      track.setClearSince(null);
      if (!v.breached()) {
        track.setBreachedSince(null);
        return Optional.empty();
      }
      if (track.getBreachedSince() == null) {
        track.setBreachedSince(now);
      }
      if (now - track.getBreachedSince() < settings.raiseAfter().toMillis()) {
        return Optional.empty();
      }
      track.setRaised(true);
      track.setRaises(track.getRaises() + 1);
      track.setAlertId(productId + ":" + v.slo() + ":" + now + "-" + track.getRaises());
      track.setBreachedSince(null);
      return Optional.of(new Transition(AlertState.RAISED, v, track.getAlertId()));
    }
    track.setBreachedSince(null);
    if (!v.metWithMargin()) {
      track.setClearSince(null);
      return Optional.empty();
    }
    if (track.getClearSince() == null) {
      track.setClearSince(now);
    }
    if (now - track.getClearSince() < settings.clearAfter().toMillis()) {
      return Optional.empty();
    }
    var cleared = new Transition(AlertState.CLEARED, v, track.getAlertId());
    track.setRaised(false);
    track.setAlertId(null);
    track.setClearSince(null);
    return Optional.of(cleared);
  }

  /** The alerts of the transitions, each carrying the product's new health state. */
  List<QualityAlert> alerts(
      List<Transition> transitions, String productId, HealthState health, long now) {
    var alerts = new ArrayList<QualityAlert>();
    for (Transition t : transitions) {
      SloVerdict v = t.verdict();
      String message =
          t.state() == AlertState.RAISED
              ? productId + ": " + v.breachReason().get()
              : productId
                  + ": "
                  + v.slo()
                  + " is met again"
                  + (v.evaluable() ? " (" + fmt(v.observed()) + ")" : "");
      alerts.add(
          QualityAlert.newBuilder()
              .setAlertId(t.alertId() == null ? productId + ":" + v.slo() + ":" + now : t.alertId())
              .setProductId(productId)
              .setSlo(v.slo())
              .setState(t.state())
              .setHealth(health)
              .setObserved(v.evaluable() ? v.observed() : null)
              .setThreshold(Double.isNaN(v.threshold()) ? null : v.threshold())
              .setMessage(message)
              .setAt(Instant.ofEpochMilli(now))
              .build());
    }
    return alerts;
  }

  /** Alerts that clear every raised alert of the product, e.g. when it is retired. */
  static List<QualityAlert> clearAll(
      Map<String, AlertTrack> tracks, String productId, long now, String why) {
    var alerts = new ArrayList<QualityAlert>();
    tracks.forEach(
        (slo, track) -> {
          if (track.getRaised()) {
            alerts.add(
                QualityAlert.newBuilder()
                    .setAlertId(
                        Objects.requireNonNullElse(
                            track.getAlertId(), productId + ":" + slo + ":" + now))
                    .setProductId(productId)
                    .setSlo(slo)
                    .setState(AlertState.CLEARED)
                    .setHealth(HealthState.UNKNOWN)
                    .setMessage(productId + ": " + why)
                    .setAt(Instant.ofEpochMilli(now))
                    .build());
          }
        });
    return alerts;
  }
}
