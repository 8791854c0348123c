package dev.meshbone.registry.products.issues;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.meshbone.events.IssueEntry;
import dev.meshbone.events.IssueEvidence;
import dev.meshbone.events.ProductIssue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The issue API's JSON shapes (the registry's conventions: ISO-8601 instants, enum names, every
 * field present) and their conversion from the Avro records, which never go on the wire.
 */
public final class IssueViews {
  private IssueViews() {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record EvidenceDto(
      @Nullable String topic, @Nullable Integer partition, @Nullable Long offset) {}

  /** The body of {@code POST /products/{id}/issues}. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record OpenIssueRequest(
      @Nullable String kind,
      @Nullable String title,
      @Nullable String description,
      @Nullable String severity,
      @Nullable EvidenceDto evidence) {}

  /** The body of {@code POST /products/{id}/issues/{issueId}/state}. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record StateRequest(@Nullable String state, @Nullable String comment) {}

  /** The body of {@code POST /products/{id}/issues/{issueId}/comments}. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record CommentRequest(@Nullable String text) {}

  /** One entry of an issue's thread: OPEN, CHANGE_STATE (with the states) or COMMENT. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record EntryDto(
      String at,
      String actor,
      String action,
      @Nullable String fromState,
      @Nullable String toState,
      @Nullable String text) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record IssueDto(
      String issueId,
      String productId,
      String reporterDomain,
      String ownerDomain,
      String kind,
      String title,
      String description,
      String severity,
      @Nullable EvidenceDto evidence,
      String state,
      String openedAt,
      String updatedAt,
      @Nullable String acknowledgedAt,
      @Nullable String closedAt,
      List<EntryDto> thread) {}

  /** An issue in a list: without its thread, with the number of entries in it. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record IssueSummary(
      String issueId,
      String productId,
      String reporterDomain,
      String ownerDomain,
      String kind,
      String title,
      String severity,
      String state,
      String openedAt,
      String updatedAt,
      int entries) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record IssueList(String productId, List<IssueSummary> issues) {}

  /** What a domain reported, and what it must answer (the issues of its products). */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record DomainIssues(
      String domain, List<IssueSummary> reported, List<IssueSummary> toAnswer) {}

  /** One instance's part of {@link DomainIssues}, between instances. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record IssueSummaries(List<IssueSummary> issues) {}

  /**
   * A product's accountability figures at the time of the read: open issues (OPEN or ACKNOWLEDGED)
   * by severity; time to acknowledge, the median over acknowledged issues and the longest wait of
   * an OPEN issue not yet acknowledged; time to resolve, the median over RESOLVED issues (opened to
   * resolved). Durations in milliseconds; null when there is nothing to measure.
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record AccountabilityDto(
      long openIssues,
      Map<String, Long> openBySeverity,
      @Nullable Long acknowledgeP50Ms,
      @Nullable Long oldestUnacknowledgedMs,
      @Nullable Long resolveP50Ms,
      long acknowledgedCount,
      long resolvedCount) {}

  public static IssueDto issue(ProductIssue i) {
    return new IssueDto(
        i.getIssueId(),
        i.getProductId(),
        i.getReporterDomain(),
        i.getOwnerDomain(),
        i.getKind().name(),
        i.getTitle(),
        i.getDescription(),
        i.getSeverity().name(),
        evidence(i.getEvidence()),
        i.getState().name(),
        time(i.getOpenedAt()),
        time(i.getUpdatedAt()),
        time(i.getAcknowledgedAt()),
        time(i.getClosedAt()),
        i.getThread().stream().map(IssueViews::entry).toList());
  }

  public static IssueSummary summary(ProductIssue i) {
    return new IssueSummary(
        i.getIssueId(),
        i.getProductId(),
        i.getReporterDomain(),
        i.getOwnerDomain(),
        i.getKind().name(),
        i.getTitle(),
        i.getSeverity().name(),
        i.getState().name(),
        time(i.getOpenedAt()),
        time(i.getUpdatedAt()),
        i.getThread().size());
  }

  static EntryDto entry(IssueEntry e) {
    return new EntryDto(
        time(e.getAt()),
        e.getActor(),
        e.getAction().name(),
        e.getFromState() == null ? null : e.getFromState().name(),
        e.getToState() == null ? null : e.getToState().name(),
        e.getText());
  }

  static EvidenceDto evidence(IssueEvidence e) {
    return e == null ? null : new EvidenceDto(e.getTopic(), e.getPartition(), e.getOffset());
  }

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
