package dev.meshbone.registry.products.issues;

import dev.meshbone.events.IssueAction;
import dev.meshbone.events.IssueDecision;
import dev.meshbone.events.IssueEvidence;
import dev.meshbone.events.IssueKind;
import dev.meshbone.events.IssueRequest;
import dev.meshbone.events.IssueSeverity;
import dev.meshbone.events.IssueState;
import dev.meshbone.events.ProductIssue;
import dev.meshbone.registry.products.RegistrySettings;
import dev.meshbone.registry.products.issues.IssueViews.CommentRequest;
import dev.meshbone.registry.products.issues.IssueViews.EvidenceDto;
import dev.meshbone.registry.products.issues.IssueViews.OpenIssueRequest;
import dev.meshbone.registry.products.issues.IssueViews.StateRequest;
import dev.meshbone.registry.products.kafka.MeshClients;
import dev.meshbone.runtime.http.ApiException;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.ProductId;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes issue requests and answers with their decision. The request is checked for shape here
 * (400); who may do what, and whether the move is allowed, is decided by the registry's topology in
 * stream order ({@link dev.meshbone.registry.products.catalog.IssueDecider}), and this waits, up to
 * {@code meshbone.registry.write-timeout}, for that decision on {@code mesh.issues}. Any instance
 * can write: the decision finds its way back through the topic, wherever the product's partition
 * is.
 */
@Singleton
public class IssueService {
  static final int MAX_TITLE = 200;
  static final int MAX_TEXT = 10_000;

  private final MeshClients clients;
  private final MeshTopics topics;
  private final IssueWatcher watcher;
  private final RegistrySettings settings;

  public IssueService(
      MeshClients clients, MeshTopics topics, IssueWatcher watcher, RegistrySettings settings) {
    this.clients = clients;
    this.topics = topics;
    this.watcher = watcher;
    this.settings = settings;
  }

  /** Opens an issue; its id is new. */
  public ProductIssue open(ProductId product, String actor, OpenIssueRequest body) {
    var request =
        base(product, newIssueId(), actor, IssueAction.OPEN)
            .setKind(enumValue("kind", body.kind(), IssueKind.class))
            .setTitle(text("title", body.title(), MAX_TITLE, true))
            .setDescription(text("description", body.description(), MAX_TEXT, true))
            .setSeverity(enumValue("severity", body.severity(), IssueSeverity.class))
            .setEvidence(evidence(body.evidence()))
            .build();
    return decide(request);
  }

  /** Moves an issue to another state, with an optional comment. */
  public ProductIssue changeState(
      ProductId product, String issueId, String actor, StateRequest body) {
    var request =
        base(product, issueId, actor, IssueAction.CHANGE_STATE)
            .setState(enumValue("state", body.state(), IssueState.class))
            .setText(text("comment", body.comment(), MAX_TEXT, false))
            .build();
    return decide(request);
  }

  /** Adds a comment to an issue's thread. */
  public ProductIssue comment(
      ProductId product, String issueId, String actor, CommentRequest body) {
    var request =
        base(product, issueId, actor, IssueAction.COMMENT)
            .setText(text("text", body.text(), MAX_TEXT, true))
            .build();
    return decide(request);
  }

  private ProductIssue decide(IssueRequest request) {
    var future = watcher.expect(request.getRequestId());
    try {
      clients.send(
          topics.issueRequests, topics.issueRequests.name(), request.getProductId(), request);
      IssueDecision d;
      try {
        d = future.get(settings.writeTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw pending(request);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw pending(request);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
      if (d.getAccepted() && d.getIssue() != null) {
        return d.getIssue();
      }
      int status = d.getStatus() == null ? 409 : d.getStatus();
      throw new ApiException(
          HttpStatus.valueOf(status),
          d.getCode() == null ? "ISSUE_REFUSED" : d.getCode(),
          d.getMessage() == null ? "the request was refused" : d.getMessage());
    } finally {
      watcher.forget(request.getRequestId());
    }
  }

  private ApiException pending(IssueRequest request) {
    return new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE,
        "ISSUE_PENDING",
        "the request "
            + request.getRequestId()
            + " was written but not decided within "
            + settings.writeTimeout().toSeconds()
            + " s; read issue "
            + request.getIssueId()
            + " back shortly");
  }

  private static IssueRequest.Builder base(
      ProductId product, String issueId, String actor, IssueAction action) {
    return IssueRequest.newBuilder()
        .setRequestId(UUID.randomUUID().toString())
        .setProductId(product.toString())
        .setIssueId(issueId)
        .setActor(actor)
        .setAction(action)
        .setRequestedAt(Instant.now());
  }

  /** A short random id: 12 hexadecimal digits. */
  static String newIssueId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** An issue id from a path: what {@link #newIssueId} makes, else 400. */
  public static String issueId(String raw) {
    if (raw == null || !raw.matches("[0-9a-f]{12}")) {
      throw ApiException.badRequest(
          "INVALID_ISSUE_ID", "an issue id is 12 hexadecimal digits (lowercase)");
    }
    return raw;
  }

  static <E extends Enum<E>> E enumValue(String field, String raw, Class<E> type) {
    String allowed =
        String.join(
            ", ",
            Arrays.stream(type.getEnumConstants())
                .map(Enum::name)
                .filter(n -> !n.equals("UNKNOWN"))
                .toList());
    if (raw == null || raw.isBlank()) {
      throw ApiException.badRequest("INVALID_REQUEST", field + " is required: one of " + allowed);
    }
    try {
      E value = Enum.valueOf(type, raw.trim().toUpperCase(Locale.ROOT));
      if (!value.name().equals("UNKNOWN")) {
        return value;
      }
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw ApiException.badRequest(
        "INVALID_REQUEST", field + " '" + printable(raw) + "' is not one of " + allowed);
  }

  static String text(String field, String raw, int max, boolean required) {
    if (raw == null || raw.isBlank()) {
      if (required) {
        throw ApiException.badRequest("INVALID_REQUEST", field + " is required");
      }
      return null;
    }
    if (raw.length() > max) {
      throw ApiException.badRequest(
          "INVALID_REQUEST",
          field + " has " + raw.length() + " characters; at most " + max + " are accepted");
    }
    return raw;
  }

  static IssueEvidence evidence(EvidenceDto e) {
    if (e == null) {
      return null;
    }
    if (e.topic() == null || e.topic().isBlank()) {
      throw ApiException.badRequest("INVALID_REQUEST", "evidence.topic is required");
    }
    if (e.partition() != null && e.partition() < 0) {
      throw ApiException.badRequest("INVALID_REQUEST", "evidence.partition must be 0 or more");
    }
    if (e.offset() != null && e.offset() < 0) {
      throw ApiException.badRequest("INVALID_REQUEST", "evidence.offset must be 0 or more");
    }
    return IssueEvidence.newBuilder()
        .setTopic(text("evidence.topic", e.topic(), 249, true))
        .setPartition(e.partition())
        .setOffset(e.offset())
        .build();
  }

  private static String printable(String raw) {
    String v = raw.replaceAll("\\p{Cntrl}", "?");
    return v.length() > 60 ? v.substring(0, 60) + "..." : v;
  }
}
