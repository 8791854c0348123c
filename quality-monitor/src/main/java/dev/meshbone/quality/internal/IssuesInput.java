package dev.meshbone.quality.internal;

import dev.meshbone.events.IssueDecision;
import dev.meshbone.events.IssueState;
import dev.meshbone.events.ProductIssue;
import dev.meshbone.quality.Refusal;
import dev.meshbone.quality.state.MonitorState;
import dev.meshbone.quality.state.WaitingIssue;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * {@code mesh.issues}: mesh-registry's decisions on product issues, each with the issue as it then
 * stands. An issue OPEN (opened, or reopened) waits for its owner's acknowledgement from then on;
 * any other state ends the wait. The waits feed the {@code response} SLO ({@link
 * dev.meshbone.quality.ResponseSlos}). Refused requests change nothing.
 */
final class IssuesInput implements MonitorIntake.Input<IssueDecision> {
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
    task.accepted();
    task.evaluateAndWrite(state, task.streamTime(), now, true);
  }
}
