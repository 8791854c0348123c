package dev.meshbone.registry.products.catalog;

import dev.meshbone.events.IssueAction;
import dev.meshbone.events.IssueDecision;
import dev.meshbone.events.IssueKind;
import dev.meshbone.events.IssueSeverity;
import dev.meshbone.events.Notification;
import dev.meshbone.events.NotificationType;
import dev.meshbone.events.ProductIssue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who hears of an accepted issue decision:
 *
 * <ul>
 *   <li>an issue opened: the product's owner ({@code PRODUCT_ISSUE_OPENED}), and for a HIGH or
 *       CRITICAL problem every APPROVED subscriber too, so they know before they find out;
 *   <li>a change of state or a comment: the other party ({@code PRODUCT_ISSUE_UPDATED}): the
 *       reporter when the owner acted, the owner when the reporter did.
 * </ul>
 *
 * Nobody is told of their own act. Ids derive from the request id and the recipient, so a replay
 * yields the same ids.
 */
public final class IssueNotices {
  private IssueNotices() {}

  public static List<Notification> of(IssueDecision d, List<String> approvedSubscribers) {
    if (!d.getAccepted() || d.getIssue() == null) {
      return List.of();
    }
    ProductIssue issue = d.getIssue();
    String actor = d.getActor();
    Set<String> recipients = new LinkedHashSet<>();
    NotificationType type;
    String summary;
    if (d.getAction() == IssueAction.OPEN) {
      type = NotificationType.PRODUCT_ISSUE_OPENED;
      recipients.add(issue.getOwnerDomain());
      if (issue.getKind() == IssueKind.PROBLEM
          && (issue.getSeverity() == IssueSeverity.HIGH
              || issue.getSeverity() == IssueSeverity.CRITICAL)) {
        recipients.addAll(approvedSubscribers);
      }
      summary =
          actor
              + " reports a "
              + issue.getSeverity()
              + " "
              + issue.getKind()
              + " on "
              + issue.getProductId()
              + ": "
              + issue.getTitle();
    } else {
      type = NotificationType.PRODUCT_ISSUE_UPDATED;
      recipients.add(
          actor.equals(issue.getOwnerDomain())
              ? issue.getReporterDomain()
              : issue.getOwnerDomain());
      // The issue id is in the attributes; the summary reads the same on every run.
      summary =
          d.getAction() == IssueAction.CHANGE_STATE
              ? actor
                  + " set the issue '"
                  + issue.getTitle()
                  + "' on "
                  + issue.getProductId()
                  + " to "
                  + issue.getState()
              : actor
                  + " commented on the issue '"
                  + issue.getTitle()
                  + "' on "
                  + issue.getProductId();
    }
    recipients.remove(actor);
    String detail =
        issue.getThread().isEmpty()
            ? null
            : issue.getThread().get(issue.getThread().size() - 1).getText();
    List<Notification> out = new ArrayList<>();
    for (String recipient : recipients) {
      var attributes = new LinkedHashMap<String, String>();
      attributes.put("productId", issue.getProductId());
      attributes.put("issueId", issue.getIssueId());
      attributes.put("state", issue.getState().name());
      attributes.put("severity", issue.getSeverity().name());
      attributes.put("kind", issue.getKind().name());
      attributes.put("actor", actor);
      out.add(
          Notification.newBuilder()
              .setNotificationId(
                  "issue:"
                      + issue.getProductId()
                      + ":"
                      + issue.getIssueId()
                      + ":"
                      + d.getRequestId()
                      + ":"
                      + type
                      + ":"
                      + recipient)
              .setRecipientDomain(recipient)
              .setType(type)
              .setProductId(issue.getProductId())
              .setSummary(summary)
              .setDetail(detail)
              .setAttributes(attributes)
              .setCreatedAt(d.getDecidedAt() == null ? Instant.EPOCH : d.getDecidedAt())
              .build());
    }
    return out;
  }
}
