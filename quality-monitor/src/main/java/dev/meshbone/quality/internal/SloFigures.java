package dev.meshbone.quality.internal;

import dev.meshbone.quality.state.CheckCount;
import dev.meshbone.quality.state.MonitorState;
import dev.meshbone.quality.state.Slice;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The figures of a product's current windows, which its SLOs are judged against (see {@link
 * SloWindows} for the windows).
 *
 * <ul>
 *   <li><b>pass rate</b>: passing quality checks over all checks in the current window, overall and
 *       per check name; null without checks.
 *   <li><b>volume</b>: the records the validator accepted in the volume window; before the monitor
 *       has seen the validator's counts, the largest {@code recordCount} sum of one check; null
 *       when neither was ever seen.
 *   <li><b>rejection rate</b>: rejected over all records the validator counted in the current
 *       window; null without counts.
 *   <li><b>staleness</b>: wall-clock time since the last successful update (a passing quality event
 *       or the validator's last valid record), or since the monitor first knew the product if it
 *       never had one.
 * </ul>
 *
 * Rates are rounded to 4 decimals: finer changes are noise, not news.
 *
 * @param window the windows they were taken over; empty before the task saw any event
 * @param lastSuccess event time of the last successful update, null if none yet
 * @param since what staleness counts from: {@code lastSuccess}, else when monitoring began
 */
public record SloFigures(
    Optional<SloWindows.Current> window,
    Double passRate,
    Map<String, Double> passRateByCheck,
    Long volume,
    Double rejectionRate,
    Long lastSuccess,
    long since,
    long staleness) {

  /** The figures of {@code state} over {@code window} at wall-clock time {@code now}. */
  static SloFigures of(MonitorState state, Optional<SloWindows.Current> window, long now) {
    var sums = new Sums();
    window.ifPresent(w -> state.getSlices().forEach(s -> sums.add(s, w)));
    Long lastSuccess = state.getLastSuccessAt();
    long since = lastSuccess != null ? lastSuccess : state.getMonitoredSince();
    return new SloFigures(
        window,
        sums.total > 0 ? Numbers.round((double) sums.passed / sums.total) : null,
        sums.passRateByCheck(),
        volume(state, sums),
        state.getStatsSeen() && sums.valid + sums.invalid > 0
            ? Numbers.round((double) sums.invalid / (sums.valid + sums.invalid))
            : null,
        lastSuccess,
        since,
        Math.max(0, now - since));
  }

  private static Long volume(MonitorState state, Sums sums) {
    if (state.getStatsSeen()) {
      return sums.volumeValid;
    }
    if (state.getRecordCountsSeen()) {
      return sums.recordsByCheck.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }
    return null;
  }

  /** The slices' counts, summed over the current window and over the volume window. */
  private static final class Sums {
    long total;
    long passed;
    long valid;
    long invalid;
    long volumeValid;
    final Map<String, long[]> byCheck = new TreeMap<>(); // {total, passed}
    final Map<String, Long> recordsByCheck = new TreeMap<>();

    void add(Slice s, SloWindows.Current w) {
      if (w.inWindow(s.getStart())) {
        total += s.getTotal();
        passed += s.getPassed();
        valid += s.getValid();
        invalid += s.getInvalid();
        for (Map.Entry<String, CheckCount> e : s.getChecks().entrySet()) {
          long[] c = byCheck.computeIfAbsent(e.getKey(), k -> new long[2]);
          c[0] += e.getValue().getTotal();
          c[1] += e.getValue().getPassed();
        }
      }
      if (w.inVolumeWindow(s.getStart())) {
        volumeValid += s.getValid();
        for (Map.Entry<String, CheckCount> e : s.getChecks().entrySet()) {
          recordsByCheck.merge(e.getKey(), e.getValue().getRecords(), Long::sum);
        }
      }
    }

    Map<String, Double> passRateByCheck() {
      var rates = new TreeMap<String, Double>();
      byCheck.forEach((k, c) -> rates.put(k, c[0] > 0 ? Numbers.round((double) c[1] / c[0]) : 0));
      return rates;
    }
  }
}
