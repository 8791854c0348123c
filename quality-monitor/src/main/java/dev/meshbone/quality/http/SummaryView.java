package dev.meshbone.quality.http;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many products are in each state, in all and per domain.
 *
 * @param total products monitored
 * @param byState count per state (every state present, zero included)
 * @param domains the same per domain, sorted by domain
 */
@Serdeable
public record SummaryView(long total, Map<String, Long> byState, List<DomainSummary> domains) {

  /** One domain's counts. */
  @Serdeable
  public record DomainSummary(String domain, long total, Map<String, Long> byState) {}

  /** Adds the counts of several (partial) summaries, e.g. one per instance. */
  static SummaryView merge(List<SummaryView> parts) {
    var byState = new TreeMap<String, Long>();
    var domains = new TreeMap<String, TreeMap<String, Long>>();
    long total = 0;
    for (SummaryView part : parts) {
      total += part.total();
      part.byState().forEach((s, n) -> byState.merge(s, n, Long::sum));
      for (DomainSummary d : part.domains()) {
        var counts = domains.computeIfAbsent(d.domain(), k -> new TreeMap<>());
        d.byState().forEach((s, n) -> counts.merge(s, n, Long::sum));
      }
    }
    return new SummaryView(
        total,
        byState,
        domains.entrySet().stream()
            .map(
                e ->
                    new DomainSummary(
                        e.getKey(),
                        e.getValue().values().stream().mapToLong(Long::longValue).sum(),
                        e.getValue()))
            .toList());
  }
}
