package dev.meshbone.quality.internal;

import dev.meshbone.events.IssueDecision;
import dev.meshbone.events.IssueFigures;
import dev.meshbone.events.IssueState;
import dev.meshbone.events.ProductIssue;
import dev.meshbone.issues.Accountability;
import dev.meshbone.quality.Refusal;
import dev.meshbone.quality.state.IssueTimes;
import dev.meshbone.quality.state.MonitorState;
import dev.meshbone.quality.state.WaitingIssue;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * {@code mesh.issues}: mesh-registry's decisions on product issues, each with the issue as it then
 * stands. An issue OPEN (opened, or reopened) waits for its owner's acknowledgement from then on;
 * any other state ends the wait. The waits feed the {@code response} SLO ({@link
 * dev.meshbone.quality.ResponseSlos}). Every issue's times feed the product's accountability
 * figures ({@code ProductHealth.issues}): each open issue, and the latest {@link #CLOSED_KEPT}
 * closed ones. Refused requests change nothing.
 */
final class IssuesInput implements MonitorIntake.Input<IssueDecision> {
  /** How many closed (RESOLVED or WONT_FIX) issues a product keeps for its figures. */
  static final int CLOSED_KEPT = 100;

  private final MonitorTask task;
  private final Deserializer<IssueDecision> decoder;

  IssuesInput(MonitorTask task, Deserializer<IssueDecision> decoder) {
    this.task = task;
    this.decoder = decoder;
  }

  @Override
  public String what() {
    return "issue decision";
  }

  @Override
  public Deserializer<IssueDecision> decoder() {
    return decoder;
  }

  @Override
  public String productId(IssueDecision decision) {
    return decision.getProductId();
  }

  /** The issue's times into {@code issues}, and the oldest closed ones out beyond the bound. */
  static void keep(Map<String, IssueTimes> issues, ProductIssue issue) {
    issues.put(
        issue.getIssueId(),
        new IssueTimes(
            issue.getSeverity().name(),
            issue.getState().name(),
            issue.getOpenedAt(),
            issue.getAcknowledgedAt(),
            issue.getClosedAt()));
    List<String> closed =
        issues.entrySet().stream()
            .filter(e -> e.getValue().getClosedAt() != null && !open(e.getValue()))
            .sorted(
                Comparator.comparing(
                        (Map.Entry<String, IssueTimes> e) -> e.getValue().getClosedAt())
                    .thenComparing(Map.Entry::getKey))
            .map(Map.Entry::getKey)
            .toList();
    for (int i = 0; i < closed.size() - CLOSED_KEPT; i++) {
      issues.remove(closed.get(i));
    }
  }

  private static boolean open(IssueTimes t) {
    return t.getState().equals(IssueState.OPEN.name())
        || t.getState().equals(IssueState.ACKNOWLEDGED.name());
  }

  /** The figures of the issues the product keeps; null while it has none. */
  static IssueFigures figures(Map<String, IssueTimes> issues) {
    if (issues.isEmpty()) {
      return null;
    }
    return Accountability.figures(
        issues.values().stream()
            .map(
                t ->
                    new Accountability.Times(
                        t.getSeverity(),
                        IssueState.valueOf(t.getState()),
                        t.getOpenedAt(),
                        t.getAcknowledgedAt(),
                        t.getClosedAt()))
            .toList());
  }

  @Override
  public void onEvent(String key, IssueDecision decision, long now) {
    ProductIssue issue = decision.getIssue();
    if (!decision.getAccepted() || issue == null) {
      task.accepted(); // a refused request: nothing changed
      return;
    }
    MonitorState state = task.state(key);
    if (state == null) {
      task.refuse(Refusal.UNKNOWN_PRODUCT, key, "no live product " + key + " on mesh.products");
      return;
    }
    var waiting = state.getWaitingIssues();
    String id = issue.getIssueId();
    if (issue.getState() == IssueState.OPEN) {
      if (!waiting.containsKey(id)) {
        // Counted from the change that made it OPEN, never from a time ahead of the clock.
        long since = Math.min(now, issue.getUpdatedAt().toEpochMilli());
        waiting.put(id, new WaitingIssue(issue.getSeverity().name(), since));
      }
    } else {
      waiting.remove(id);
    }
    keep(state.getIssues(), issue);
    task.accepted();
    task.evaluateAndWrite(state, task.streamTime(), now, true);
  }
}
