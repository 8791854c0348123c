package dev.meshbone.issues;

import dev.meshbone.events.IssueFigures;
import dev.meshbone.events.IssueState;
import dev.meshbone.events.ProductIssue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A product's accountability figures from its issues: how many are open (OPEN or ACKNOWLEDGED) and
 * of what severity, since when the oldest never-acknowledged one waits, and how long its owner took
 * to acknowledge and to resolve (lower medians). mesh-registry counts them over every issue it
 * keeps, for {@code GET /products/{id}}; quality-monitor over the issues it keeps per product, for
 * {@code ProductHealth.issues} and the quality dashboard. One definition, so both say the same.
 */
public final class Accountability {
  /** The severities, most severe first: every figure by severity lists each, zero or not. */
  public static final List<String> SEVERITIES = List.of("CRITICAL", "HIGH", "MEDIUM", "LOW");

  private Accountability() {}

  /** What the figures need of one issue. */
  public record Times(
      String severity,
      IssueState state,
      Instant openedAt,
      Instant acknowledgedAt,
      Instant closedAt) {
    public static Times of(ProductIssue issue) {
      return new Times(
          issue.getSeverity().name(),
          issue.getState(),
          issue.getOpenedAt(),
          issue.getAcknowledgedAt(),
          issue.getClosedAt());
    }

    boolean open() {
      return state == IssueState.OPEN || state == IssueState.ACKNOWLEDGED;
    }
  }

  public static IssueFigures figures(Collection<Times> issues) {
    Map<String, Long> bySeverity = new LinkedHashMap<>();
    SEVERITIES.forEach(s -> bySeverity.put(s, 0L));
    long open = 0;
    Instant oldestUnacknowledged = null;
    List<Long> toAcknowledge = new ArrayList<>();
    List<Long> toResolve = new ArrayList<>();
    for (Times i : issues) {
      if (i.open()) {
        open++;
        bySeverity.merge(i.severity(), 1L, Long::sum);
      }
      if (i.acknowledgedAt() != null) {
        toAcknowledge.add(millis(i.openedAt(), i.acknowledgedAt()));
      } else if (i.state() == IssueState.OPEN
          && (oldestUnacknowledged == null || i.openedAt().isBefore(oldestUnacknowledged))) {
        oldestUnacknowledged = i.openedAt();
      }
      if (i.state() == IssueState.RESOLVED && i.closedAt() != null) {
        toResolve.add(millis(i.openedAt(), i.closedAt()));
      }
    }
    return IssueFigures.newBuilder()
        .setOpenIssues(open)
        .setOpenBySeverity(bySeverity)
        .setOldestUnacknowledgedSince(oldestUnacknowledged)
        .setAcknowledgeP50Ms(median(toAcknowledge))
        .setResolveP50Ms(median(toResolve))
        .setAcknowledgedCount(toAcknowledge.size())
        .setResolvedCount(toResolve.size())
        .build();
  }

  /** The lower median (a value that occurred), or null for none. */
  public static Long median(List<Long> values) {
    if (values.isEmpty()) {
      return null;
    }
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get((sorted.size() - 1) / 2);
  }

  private static long millis(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toMillis());
  }
}
