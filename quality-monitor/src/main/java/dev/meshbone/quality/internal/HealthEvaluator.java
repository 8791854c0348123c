package dev.meshbone.quality.internal;

import dev.meshbone.events.AlertState;
import dev.meshbone.events.HealthState;
import dev.meshbone.events.ProductHealth;
import dev.meshbone.events.QualityAlert;
import dev.meshbone.quality.QualitySettings;
import dev.meshbone.quality.state.AlertTrack;
import dev.meshbone.quality.state.CheckCount;
import dev.meshbone.quality.state.MonitorState;
import dev.meshbone.quality.state.Slice;
import dev.meshbone.quality.state.Slos;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Evaluates one product against its service levels: the figures of the current windows, each SLO
 * breached or met, the alerts with their hysteresis, and the resulting {@link ProductHealth}.
 *
 * <p>Windows are in event time: the current window is the hopping window of size {@code window}
 * that contains the stream time and started earliest, i.e. it ends at the next multiple of {@code
 * advance}. Volume is a count, so it is taken over the last complete stretch instead: it ends at
 * the start of the current slice and spans {@code volumeWindowMs} (rounded up to whole advances),
 * or the window when the product declares none; it is judged only once the product's data reaches
 * back to its start. Freshness is in wall-clock time: how long since the last successful update (a
 * passing quality event or the validator's last valid record), or since the monitor first knew the
 * product if it never had one.
 *
 * <p>Alerts: an SLO's alert is raised once the SLO has been breached for {@code raise-after}, and
 * cleared only once it has been met with margin (e.g. pass rate at least {@code minPassRate +
 * pass-rate-margin}) for {@code clear-after}; in between it stays as it is, so a figure that hovers
 * around its threshold raises one alert instead of a stream of them. An SLO without data (no checks
 * in the window) leaves its alert as it is.
 *
 * <p>Health: UNKNOWN without service levels or before any SLO can be evaluated; STALE while the
 * freshness alert is raised; BREACHED while any other alert is raised; DEGRADED when an SLO is met
 * but not with margin, is breached but not raised yet, or one check's own pass rate is below the
 * minimum; else HEALTHY.
 */
public final class HealthEvaluator {
  public static final String PASS_RATE = "passRate";
  public static final String VOLUME = "volume";
  public static final String REJECTION_RATE = "rejectionRate";
  public static final String FRESHNESS = "freshness";

  private final QualitySettings settings;
  private final long advance;
  private final long window;

  public HealthEvaluator(QualitySettings settings) {
    this.settings = settings;
    this.advance = settings.advance().toMillis();
    this.window = settings.window().toMillis();
  }

  /** What one evaluation decided. */
  public record Evaluation(
      ProductHealth health, List<QualityAlert> alerts, String signature, boolean tracksChanged) {}

  /** The start of the slice that holds event time {@code t}. */
  public long sliceStart(long t) {
    return Math.floorDiv(t, advance) * advance;
  }

  /** The end of the current window at stream time {@code streamTime}. */
  public long windowEnd(long streamTime) {
    return sliceStart(streamTime) + advance;
  }

  /**
   * Whether an event at {@code t} is too late: every window it belongs to ended at least {@code
   * grace} before the stream time.
   */
  public boolean isLate(long t, long streamTime) {
    return streamTime != Long.MIN_VALUE
        && sliceStart(t) + window + settings.grace().toMillis() <= streamTime;
  }

  /** How far back slices are kept for this product at stream time {@code streamTime}. */
  public long retainFrom(Slos slos, long streamTime) {
    long span = Math.max(window, volumeSpan(slos));
    return windowEnd(streamTime) - span - settings.grace().toMillis() - advance;
  }

  private long volumeSpan(Slos slos) {
    Long v = slos.getVolumeWindowMs();
    if (v == null || v <= 0) {
      return window;
    }
    return Math.max(advance, ((v + advance - 1) / advance) * advance);
  }

  /**
   * Evaluates {@code state} at stream time {@code streamTime} ({@link Long#MIN_VALUE} when the task
   * has seen no event yet) and wall-clock time {@code now}, updating its alert tracks.
   */
  public Evaluation evaluate(MonitorState state, long streamTime, long now) {
    Slos slos = state.getSlos();
    String productId = state.getProductId();
    var health =
        ProductHealth.newBuilder()
            .setProductId(productId)
            .setState(HealthState.UNKNOWN)
            .setEvaluatedAt(Instant.ofEpochMilli(now));

    // Figures of the current windows.
    long total = 0;
    long passed = 0;
    long valid = 0;
    long invalid = 0;
    long volumeValid = 0;
    Map<String, long[]> byCheck = new TreeMap<>();
    Map<String, Long> recordsByCheck = new TreeMap<>();
    Long windowStartMs = null;
    Long windowEndMs = null;
    Long volumeStartMs = null;
    if (streamTime != Long.MIN_VALUE) {
      long end = windowEnd(streamTime);
      long start = end - window;
      // Volume is a count, which a window still filling up would understate: it is taken over
      // the complete slices before the current one.
      long volumeEnd = sliceStart(streamTime);
      long volumeStart = volumeEnd - volumeSpan(slos);
      windowStartMs = start;
      windowEndMs = end;
      volumeStartMs = volumeStart;
      for (Slice s : state.getSlices()) {
        long at = s.getStart();
        if (at >= end) {
          continue;
        }
        if (at >= start) {
          total += s.getTotal();
          passed += s.getPassed();
          valid += s.getValid();
          invalid += s.getInvalid();
          for (var e : s.getChecks().entrySet()) {
            long[] c = byCheck.computeIfAbsent(e.getKey(), k -> new long[2]);
            c[0] += e.getValue().getTotal();
            c[1] += e.getValue().getPassed();
          }
        }
        if (at >= volumeStart && at < volumeEnd) {
          volumeValid += s.getValid();
          for (Map.Entry<String, CheckCount> e : s.getChecks().entrySet()) {
            recordsByCheck.merge(e.getKey(), e.getValue().getRecords(), Long::sum);
          }
        }
      }
      health.setWindowStart(Instant.ofEpochMilli(start)).setWindowEnd(Instant.ofEpochMilli(end));
    }
    Double passRate = total > 0 ? round((double) passed / total) : null;
    var passRateByCheck = new TreeMap<String, Double>();
    byCheck.forEach((k, c) -> passRateByCheck.put(k, c[0] > 0 ? round((double) c[1] / c[0]) : 0));
    health.setPassRate(passRate).setPassRateByCheck(new java.util.LinkedHashMap<>(passRateByCheck));

    final Long volume;
    if (state.getStatsSeen()) {
      volume = volumeValid;
    } else if (state.getRecordCountsSeen()) {
      volume = recordsByCheck.values().stream().mapToLong(Long::longValue).max().orElse(0);
    } else {
      volume = null;
    }
    health.setVolume(volume);
    Double rejectionRate =
        state.getStatsSeen() && valid + invalid > 0
            ? round((double) invalid / (valid + invalid))
            : null;
    health.setRejectionRate(rejectionRate);

    Long lastSuccess = state.getLastSuccessAt();
    long since = lastSuccess != null ? lastSuccess : state.getMonitoredSince();
    long staleness = Math.max(0, now - since);
    health
        .setLastUpdateAt(lastSuccess == null ? null : Instant.ofEpochMilli(lastSuccess))
        .setStalenessMs(staleness);

    // Each declared SLO: breached, met with margin, or not evaluable.
    var figures = new ArrayList<Figure>();
    if (slos.getMinPassRate() != null) {
      double min = slos.getMinPassRate();
      if (passRate != null) {
        figures.add(
            new Figure(
                PASS_RATE,
                passRate,
                min,
                passRate < min,
                passRate >= Math.min(1.0, min + settings.passRateMargin()),
                () -> "passRate " + fmt(passRate) + " < minPassRate " + fmt(min),
                () ->
                    "passRate "
                        + fmt(passRate)
                        + " is within "
                        + fmt(settings.passRateMargin())
                        + " of minPassRate "
                        + fmt(min)));
      } else {
        figures.add(Figure.unknown(PASS_RATE, min));
      }
    }
    if (slos.getMinVolume() != null) {
      long min = slos.getMinVolume();
      boolean fullWindow =
          volumeStartMs != null
              && state.getFirstDataAt() != null
              && state.getFirstDataAt() <= volumeStartMs;
      if (volume != null && fullWindow) {
        long span = volumeSpan(slos);
        figures.add(
            new Figure(
                VOLUME,
                volume,
                min,
                volume < min,
                volume >= Math.ceil(min * (1 + settings.volumeMargin())),
                () -> "volume " + volume + " < minVolume " + min + " in " + span + " ms",
                () ->
                    "volume "
                        + volume
                        + " is within "
                        + fmt(settings.volumeMargin() * 100)
                        + "% of minVolume "
                        + min));
      } else {
        figures.add(Figure.unknown(VOLUME, min));
      }
    }
    if (slos.getMaxRejectionRate() != null) {
      double max = slos.getMaxRejectionRate();
      if (rejectionRate != null) {
        figures.add(
            new Figure(
                REJECTION_RATE,
                rejectionRate,
                max,
                rejectionRate > max,
                rejectionRate <= Math.max(0, max - settings.rejectionRateMargin()),
                () -> "rejectionRate " + fmt(rejectionRate) + " > maxRejectionRate " + fmt(max),
                () ->
                    "rejectionRate "
                        + fmt(rejectionRate)
                        + " is within "
                        + fmt(settings.rejectionRateMargin())
                        + " of maxRejectionRate "
                        + fmt(max)));
      } else {
        figures.add(Figure.unknown(REJECTION_RATE, max));
      }
    }
    if (slos.getMaxStalenessMs() != null) {
      long max = slos.getMaxStalenessMs();
      java.util.function.Supplier<String> last =
          () ->
              lastSuccess == null
                  ? "none since monitoring began at " + Instant.ofEpochMilli(since)
                  : "last at " + Instant.ofEpochMilli(lastSuccess);
      if (lastSuccess == null && staleness <= max) {
        // Nothing to judge yet: a new product is not fresh, nor stale before its time is up.
        figures.add(Figure.unknown(FRESHNESS, max));
      } else {
        figures.add(
            new Figure(
                FRESHNESS,
                staleness,
                max,
                staleness > max,
                staleness <= max * (1 - settings.freshnessMargin()),
                () -> "no successful update within maxStalenessMs " + max + " (" + last.get() + ")",
                () ->
                    "close to maxStalenessMs "
                        + max
                        + " without a successful update ("
                        + last.get()
                        + ")"));
      }
    }

    // Alerts, with hysteresis.
    var alerts = new ArrayList<QualityAlert>();
    // Written once the health state is known, which each alert carries.
    var pending = new ArrayList<Transition>();
    boolean tracksChanged = false;
    Map<String, AlertTrack> tracks = state.getAlerts();
    for (Figure f : figures) {
      AlertTrack track = tracks.get(f.slo);
      if (track == null) {
        track = AlertTrack.newBuilder().build();
      }
      boolean wasRaised = track.getRaised();
      Long wasBreachedSince = track.getBreachedSince();
      Long wasClearSince = track.getClearSince();
      if (f.evaluable) {
        if (!track.getRaised()) {
          track.setClearSince(null);
          if (f.breached) {
            if (track.getBreachedSince() == null) {
              track.setBreachedSince(now);
            }
            if (now - track.getBreachedSince() >= settings.raiseAfter().toMillis()) {
              track.setRaised(true);
              track.setAlertId(productId + ":" + f.slo + ":" + now);
              track.setBreachedSince(null);
              pending.add(new Transition(AlertState.RAISED, f, track.getAlertId()));
            }
          } else {
            track.setBreachedSince(null);
          }
        } else {
          track.setBreachedSince(null);
          if (f.clearOk) {
            if (track.getClearSince() == null) {
              track.setClearSince(now);
            }
            if (now - track.getClearSince() >= settings.clearAfter().toMillis()) {
              pending.add(new Transition(AlertState.CLEARED, f, track.getAlertId()));
              track.setRaised(false);
              track.setAlertId(null);
              track.setClearSince(null);
            }
          } else {
            track.setClearSince(null);
          }
        }
      }
      boolean changed =
          wasRaised != track.getRaised()
              || !Objects.equals(wasBreachedSince, track.getBreachedSince())
              || !Objects.equals(wasClearSince, track.getClearSince());
      if (changed || !tracks.containsKey(f.slo)) {
        tracks.put(f.slo, track);
        tracksChanged = true;
      }
    }
    // An SLO no longer declared takes its alert with it (cleared below).
    for (var it = tracks.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      String slo = e.getKey();
      if (figures.stream().noneMatch(f -> f.slo.equals(slo))) {
        if (e.getValue().getRaised()) {
          pending.add(
              new Transition(
                  AlertState.CLEARED, Figure.unknown(slo, Double.NaN), e.getValue().getAlertId()));
        }
        it.remove();
        tracksChanged = true;
      }
    }

    // Health state and reasons.
    var reasons = new ArrayList<String>();
    HealthState result;
    boolean anyEvaluable = figures.stream().anyMatch(f -> f.evaluable);
    boolean freshnessRaised = raised(tracks, FRESHNESS);
    boolean otherRaised =
        tracks.entrySet().stream()
            .anyMatch(e -> !e.getKey().equals(FRESHNESS) && e.getValue().getRaised());
    for (Figure f : figures) {
      AlertTrack track = tracks.get(f.slo);
      if (f.evaluable && f.breached) {
        reasons.add(f.breachReason.get());
      } else if (track != null && track.getRaised()) {
        reasons.add(
            f.slo
                + " alert still raised: it clears once "
                + f.slo
                + " is met with margin for "
                + settings.clearAfter().toSeconds()
                + " s");
      } else if (f.evaluable && !f.clearOk) {
        reasons.add(f.marginReason.get());
      }
    }
    List<String> weakChecks = new ArrayList<>();
    if (slos.getMinPassRate() != null) {
      double min = slos.getMinPassRate();
      passRateByCheck.forEach(
          (check, rate) -> {
            if (rate < min) {
              weakChecks.add(
                  "check '" + check + "' passRate " + fmt(rate) + " < minPassRate " + fmt(min));
            }
          });
    }
    if (figures.isEmpty()) {
      result = HealthState.UNKNOWN;
      reasons.add("no service levels declared");
    } else if (freshnessRaised) {
      result = HealthState.STALE;
    } else if (otherRaised) {
      result = HealthState.BREACHED;
    } else if (!anyEvaluable) {
      result = HealthState.UNKNOWN;
      reasons.add("no quality data in the current window yet");
    } else if (!reasons.isEmpty() || !weakChecks.isEmpty()) {
      result = HealthState.DEGRADED;
    } else {
      result = HealthState.HEALTHY;
    }
    reasons.addAll(weakChecks);
    health.setState(result).setReasons(reasons);
    ProductHealth built = health.build();

    for (Transition t : pending) {
      AlertState alertState = t.state();
      Figure f = t.figure();
      String alertId = t.alertId();
      String message =
          alertState == AlertState.RAISED
              ? productId + ": " + f.breachReason.get()
              : productId
                  + ": "
                  + f.slo
                  + " is met again"
                  + (f.evaluable ? " (" + fmt(f.observed) + ")" : "");
      alerts.add(
          QualityAlert.newBuilder()
              .setAlertId(alertId == null ? productId + ":" + f.slo + ":" + now : alertId)
              .setProductId(productId)
              .setSlo(f.slo)
              .setState(alertState)
              .setHealth(result)
              .setObserved(f.evaluable ? f.observed : null)
              .setThreshold(Double.isNaN(f.threshold) ? null : f.threshold)
              .setMessage(message)
              .setAt(Instant.ofEpochMilli(now))
              .build());
    }
    return new Evaluation(built, alerts, signature(built), tracksChanged);
  }

  /** Alerts that clear every raised alert of the product, e.g. when it is retired. */
  public List<QualityAlert> clearAll(MonitorState state, long now, String why) {
    var alerts = new ArrayList<QualityAlert>();
    state
        .getAlerts()
        .forEach(
            (slo, track) -> {
              if (track.getRaised()) {
                alerts.add(
                    QualityAlert.newBuilder()
                        .setAlertId(
                            Objects.requireNonNullElse(
                                track.getAlertId(), state.getProductId() + ":" + slo + ":" + now))
                        .setProductId(state.getProductId())
                        .setSlo(slo)
                        .setState(AlertState.CLEARED)
                        .setHealth(HealthState.UNKNOWN)
                        .setMessage(state.getProductId() + ": " + why)
                        .setAt(Instant.ofEpochMilli(now))
                        .build());
              }
            });
    return alerts;
  }

  /** What a health says minus its timestamps: equal signatures mean nothing worth writing. */
  static String signature(ProductHealth h) {
    return h.getState()
        + "|"
        + h.getReasons()
        + "|"
        + h.getPassRate()
        + "|"
        + h.getPassRateByCheck()
        + "|"
        + h.getVolume()
        + "|"
        + h.getRejectionRate();
  }

  private static boolean raised(Map<String, AlertTrack> tracks, String slo) {
    AlertTrack t = tracks.get(slo);
    return t != null && t.getRaised();
  }

  /** Figures are written with 4 decimals: finer changes are noise, not news. */
  static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }

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

  /** An alert to write: raised or cleared, for which figure, under which id. */
  private record Transition(AlertState state, Figure figure, String alertId) {}

  private record Figure(
      String slo,
      double observed,
      double threshold,
      boolean breached,
      boolean clearOk,
      Supplier<String> breachReason,
      Supplier<String> marginReason,
      boolean evaluable) {
    Figure(
        String slo,
        double observed,
        double threshold,
        boolean breached,
        boolean clearOk,
        Supplier<String> breachReason,
        Supplier<String> marginReason) {
      this(slo, observed, threshold, breached, clearOk, breachReason, marginReason, true);
    }

    static Figure unknown(String slo, double threshold) {
      return new Figure(slo, Double.NaN, threshold, false, false, () -> "", () -> "", false);
    }
  }
}
