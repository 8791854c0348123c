package dev.meshbone.registry.products.catalog;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.IssueAction;
import dev.meshbone.events.IssueDecision;
import dev.meshbone.events.IssueEntry;
import dev.meshbone.events.IssueKind;
import dev.meshbone.events.IssueRequest;
import dev.meshbone.events.IssueSeverity;
import dev.meshbone.events.IssueState;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.ProductIssue;
import dev.meshbone.topics.ProductId;
import java.time.Instant;
import java.util.ArrayList;

/**
 * The issue state machine: decides one request against the product and the issue as they stand when
 * the request's turn comes in stream order. Pure, so the rules are tested alone.
 *
 * <ul>
 *   <li>Any domain opens an issue on a product that is not RETIRED; it starts OPEN.
 *   <li>OPEN → ACKNOWLEDGED → RESOLVED or WONT_FIX, by the product's owner only.
 *   <li>A RESOLVED issue may be reopened (→ OPEN) by its reporter or the owner.
 *   <li>The reporter and the owner comment, in any state.
 * </ul>
 *
 * A refusal names the HTTP status it answers with: 404 (no such product or issue), 403 (a domain
 * that may not), 409 (a move the state machine does not allow).
 */
public final class IssueDecider {
  private IssueDecider() {}

  /** The decision on {@code request}; when accepted it carries the issue after the change. */
  public static IssueDecision decide(
      IssueRequest request, DataProductEvent product, ProductIssue current, long timestamp) {
    Instant at = Instant.ofEpochMilli(Math.max(0, timestamp));
    String productId = request.getProductId();
    if (product == null) {
      return refuse(
          request, at, 404, "PRODUCT_NOT_FOUND", "no product " + productId + " is registered");
    }
    String owner = ProductId.parse(productId).domain();
    return switch (request.getAction()) {
      case OPEN -> open(request, product, current, owner, at);
      case CHANGE_STATE -> changeState(request, current, owner, at);
      case COMMENT -> comment(request, current, owner, at);
      default ->
          refuse(request, at, 400, "INVALID_REQUEST", "unknown action " + request.getAction());
    };
  }

  private static IssueDecision open(
      IssueRequest r, DataProductEvent product, ProductIssue current, String owner, Instant at) {
    if (current != null) {
      return refuse(r, at, 409, "ISSUE_EXISTS", "issue " + r.getIssueId() + " exists already");
    }
    if (product.getStatus() == LifecycleStatus.RETIRED) {
      return refuse(
          r, at, 409, "PRODUCT_RETIRED", r.getProductId() + " is retired and takes no new issues");
    }
    if (r.getKind() == null
        || r.getKind() == IssueKind.UNKNOWN
        || r.getSeverity() == null
        || r.getSeverity() == IssueSeverity.UNKNOWN
        || r.getTitle() == null
        || r.getDescription() == null) {
      return refuse(r, at, 400, "INVALID_REQUEST", "an issue needs a kind, severity and title");
    }
    var thread = new ArrayList<IssueEntry>();
    thread.add(entry(r, at, null, IssueState.OPEN, r.getDescription()));
    ProductIssue issue =
        ProductIssue.newBuilder()
            .setIssueId(r.getIssueId())
            .setProductId(r.getProductId())
            .setReporterDomain(r.getActor())
            .setOwnerDomain(owner)
            .setKind(r.getKind())
            .setTitle(r.getTitle())
            .setDescription(r.getDescription())
            .setSeverity(r.getSeverity())
            .setEvidence(r.getEvidence())
            .setState(IssueState.OPEN)
            .setOpenedAt(at)
            .setUpdatedAt(at)
            .setThread(thread)
            .build();
    return accept(r, at, issue);
  }

  private static IssueDecision changeState(
      IssueRequest r, ProductIssue current, String owner, Instant at) {
    if (current == null) {
      return notFound(r, at);
    }
    IssueState from = current.getState();
    IssueState to = r.getState();
    boolean isOwner = r.getActor().equals(owner);
    boolean reopenByReporter =
        r.getActor().equals(current.getReporterDomain())
            && from == IssueState.RESOLVED
            && to == IssueState.OPEN;
    if (!isOwner && !reopenByReporter) {
      return refuse(
          r,
          at,
          403,
          "FORBIDDEN",
          "domain "
              + r.getActor()
              + " may not change the state of issue "
              + r.getIssueId()
              + " of "
              + r.getProductId()
              + "; only domain "
              + owner
              + " may (and its reporter may reopen it once RESOLVED)");
    }
    if (!allowed(from, to)) {
      return refuse(
          r,
          at,
          409,
          "ISSUE_STATE_CONFLICT",
          "issue "
              + r.getIssueId()
              + " is "
              + from
              + "; it cannot become "
              + to
              + " (OPEN -> ACKNOWLEDGED -> RESOLVED or WONT_FIX; RESOLVED -> OPEN)");
    }
    var thread = new ArrayList<>(current.getThread());
    thread.add(entry(r, at, from, to, r.getText()));
    var next = ProductIssue.newBuilder(current).setState(to).setUpdatedAt(at).setThread(thread);
    if (to == IssueState.ACKNOWLEDGED && current.getAcknowledgedAt() == null) {
      next.setAcknowledgedAt(at);
    }
    if (to == IssueState.RESOLVED || to == IssueState.WONT_FIX) {
      next.setClosedAt(at);
    } else if (to == IssueState.OPEN) {
      next.setClosedAt(null);
    }
    return accept(r, at, next.build());
  }

  /** The moves of the state machine (who may make them is checked before). */
  static boolean allowed(IssueState from, IssueState to) {
    if (from == null || to == null) {
      return false;
    }
    return switch (from) {
      case OPEN -> to == IssueState.ACKNOWLEDGED;
      case ACKNOWLEDGED -> to == IssueState.RESOLVED || to == IssueState.WONT_FIX;
      case RESOLVED -> to == IssueState.OPEN;
      default -> false;
    };
  }

  private static IssueDecision comment(
      IssueRequest r, ProductIssue current, String owner, Instant at) {
    if (current == null) {
      return notFound(r, at);
    }
    if (!r.getActor().equals(owner) && !r.getActor().equals(current.getReporterDomain())) {
      return refuse(
          r,
          at,
          403,
          "FORBIDDEN",
          "domain "
              + r.getActor()
              + " may not comment on issue "
              + r.getIssueId()
              + " of "
              + r.getProductId()
              + "; only its reporter "
              + current.getReporterDomain()
              + " or domain "
              + owner
              + " may");
    }
    var thread = new ArrayList<>(current.getThread());
    thread.add(entry(r, at, null, null, r.getText()));
    return accept(
        r, at, ProductIssue.newBuilder(current).setUpdatedAt(at).setThread(thread).build());
  }

  private static IssueEntry entry(
      IssueRequest r, Instant at, IssueState from, IssueState to, String text) {
    return IssueEntry.newBuilder()
        .setRequestId(r.getRequestId())
        .setAt(at)
        .setActor(r.getActor())
        .setAction(r.getAction())
        .setFromState(from)
        .setToState(to)
        .setText(text)
        .build();
  }

  private static IssueDecision notFound(IssueRequest r, Instant at) {
    return refuse(
        r,
        at,
        404,
        "ISSUE_NOT_FOUND",
        "product " + r.getProductId() + " has no issue " + r.getIssueId());
  }

  private static IssueDecision accept(IssueRequest r, Instant at, ProductIssue issue) {
    return base(r, at).setAccepted(true).setIssue(issue).build();
  }

  private static IssueDecision refuse(
      IssueRequest r, Instant at, int status, String code, String message) {
    return base(r, at)
        .setAccepted(false)
        .setStatus(status)
        .setCode(code)
        .setMessage(message)
        .build();
  }

  private static IssueDecision.Builder base(IssueRequest r, Instant at) {
    return IssueDecision.newBuilder()
        .setRequestId(r.getRequestId())
        .setProductId(r.getProductId())
        .setIssueId(r.getIssueId())
        .setActor(r.getActor())
        .setAction(r.getAction() == null ? IssueAction.UNKNOWN : r.getAction())
        .setDecidedAt(at);
  }
}
