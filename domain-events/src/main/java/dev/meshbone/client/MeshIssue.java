package dev.meshbone.client;

import dev.meshbone.events.IssueKind;
import dev.meshbone.events.IssueSeverity;
import dev.meshbone.events.IssueState;
import java.time.Instant;
import java.util.List;

/**
 * An issue reported against a data product, as the registry decided it.
 *
 * @param issueId the issue's id within its product
 * @param productId the product it is about
 * @param reporterDomain the domain that reported it
 * @param ownerDomain the product's owner, who answers it
 * @param kind PROBLEM or IMPROVEMENT
 * @param title one line
 * @param description what the reporter saw or wants (null in lists)
 * @param severity LOW, MEDIUM, HIGH or CRITICAL
 * @param state OPEN, ACKNOWLEDGED, RESOLVED or WONT_FIX
 * @param openedAt when it was opened
 * @param updatedAt its last change
 * @param thread its opening, changes of state and comments, oldest first (empty in lists)
 */
public record MeshIssue(
    String issueId,
    String productId,
    String reporterDomain,
    String ownerDomain,
    IssueKind kind,
    String title,
    String description,
    IssueSeverity severity,
    IssueState state,
    Instant openedAt,
    Instant updatedAt,
    List<Entry> thread) {

  public MeshIssue {
    thread = List.copyOf(thread);
  }

  /**
   * One entry of an issue's thread.
   *
   * @param at when
   * @param actor the domain that acted
   * @param action OPEN, CHANGE_STATE or COMMENT
   * @param fromState the state before a change, else null
   * @param toState the state after a change (OPEN for the opening), else null
   * @param text the description, the comment on a change, or the comment
   */
  public record Entry(
      Instant at,
      String actor,
      String action,
      IssueState fromState,
      IssueState toState,
      String text) {}
}
