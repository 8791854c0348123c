package dev.meshbone.quality.http;

import dev.meshbone.events.IssueFigures;
import dev.meshbone.events.ProductHealth;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A product's health as the HTTP API and the dashboard show it: {@link ProductHealth} with times as
 * ISO-8601 text and the owning domain spelled out.
 *
 * @param productId {@code <domain>.<product>}
 * @param domain the owning domain
 * @param state HEALTHY, DEGRADED, BREACHED, STALE or UNKNOWN
 * @param evaluatedAt when the monitor evaluated this (wall clock)
 * @param windowStart start of the window the pass rate and rejection rate are over (event time)
 * @param windowEnd end of that window
 * @param passRate share of passing checks in the window, null without checks
 * @param passRateByCheck the same per check name
 * @param volume records in the volume window, null when unknown
 * @param rejectionRate share of records the validator rejected in the window, null when unknown
 * @param lastUpdateAt the last successful update (event time), null if none yet
 * @param stalenessMs how long since then, at {@code evaluatedAt}
 * @param reasons one line per SLO that is not met (or not with margin)
 * @param issues how the owner answers the product's issues, null while it has none
 */
@Serdeable
public record HealthView(
    String productId,
    String domain,
    String state,
    String evaluatedAt,
    String windowStart,
    String windowEnd,
    Double passRate,
    Map<String, Double> passRateByCheck,
    Long volume,
    Double rejectionRate,
    String lastUpdateAt,
    Long stalenessMs,
    List<String> reasons,
    IssuesView issues) {

  /**
   * A product's accountability figures ({@code IssueFigures}): open issues by severity, since when
   * the oldest unacknowledged one waits, and the medians of opened-to-acknowledged and
   * opened-to-resolved.
   */
  @Serdeable
  public record IssuesView(
      long openIssues,
      Map<String, Long> openBySeverity,
      String oldestUnacknowledgedSince,
      Long acknowledgeP50Ms,
      Long resolveP50Ms,
      long acknowledgedCount,
      long resolvedCount) {

    static IssuesView of(IssueFigures f) {
      return f == null
          ? null
          : new IssuesView(
              f.getOpenIssues(),
              new java.util.LinkedHashMap<>(f.getOpenBySeverity()),
              text(f.getOldestUnacknowledgedSince()),
              f.getAcknowledgeP50Ms(),
              f.getResolveP50Ms(),
              f.getAcknowledgedCount(),
              f.getResolvedCount());
    }
  }

  public static HealthView of(ProductHealth h) {
    String id = h.getProductId();
    int dot = id.indexOf('.');
    return new HealthView(
        id,
        dot > 0 ? id.substring(0, dot) : id,
        h.getState().name(),
        text(h.getEvaluatedAt()),
        text(h.getWindowStart()),
        text(h.getWindowEnd()),
        h.getPassRate(),
        Map.copyOf(h.getPassRateByCheck()),
        h.getVolume(),
        h.getRejectionRate(),
        text(h.getLastUpdateAt()),
        h.getStalenessMs(),
        List.copyOf(h.getReasons()),
        IssuesView.of(h.getIssues()));
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
