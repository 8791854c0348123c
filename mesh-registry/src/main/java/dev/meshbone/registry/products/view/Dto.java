package dev.meshbone.registry.products.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/**
 * The registry API's JSON shapes. Times are ISO-8601 instants ({@code 2026-05-01T10:00:00Z}); enums
 * are their names; every field is always present (null or empty rather than left out). The mesh's
 * Avro records never go on the wire: these are the API's own contract, which {@code
 * openapi/registry-api.yml} documents.
 */
public final class Dto {
  private Dto() {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record OwnerDto(String team, @Nullable String contact) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record SlosDto(
      @Nullable Long maxStalenessMs,
      @Nullable Double minPassRate,
      @Nullable Long minVolume,
      @Nullable Long volumeWindowMs,
      @Nullable Double maxRejectionRate) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record DescriptorDto(
      String name,
      @Nullable String description,
      @Nullable OwnerDto owner,
      @Nullable List<String> tags,
      @Nullable List<String> glossaryTerms,
      @Nullable String classification,
      @Nullable SlosDto slos,
      @Nullable List<String> inputs,
      @Nullable String contractSubject,
      @Nullable String subscriptionPolicy,
      @Nullable String sunsetAt,
      @Nullable Map<String, String> properties,
      @Nullable String successor) {}

  /** A product in a list: enough to choose it. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ProductSummary(
      String id,
      String domain,
      @Nullable String name,
      @Nullable String description,
      @Nullable String ownerTeam,
      List<String> tags,
      @Nullable String classification,
      String status,
      long version,
      @Nullable String subscriptionPolicy,
      @Nullable String updatedAt,
      String health) {}

  /**
   * One page of products in id order. {@code nextCursor} is there when more may follow: pass it as
   * {@code cursor} for the next page.
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ProductPage(
      List<ProductSummary> items,
      int limit,
      @Nullable Integer offset,
      @Nullable String nextCursor) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record LifecycleDto(
      String status,
      long version,
      @Nullable String lastChange,
      @Nullable String lastEventId,
      @Nullable String changedAt,
      @Nullable String sunsetAt,
      @Nullable String reason,
      @Nullable String actor) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ContractVersionDto(
      int version,
      int schemaId,
      String schemaType,
      String schema,
      @Nullable String registeredAt,
      @Nullable String registeredBy) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ContractDto(
      String subject, @Nullable Integer latestVersion, List<ContractVersionDto> versions) {}

  /**
   * A product's recent health, oldest first: the latest evaluation of each {@code spacingSeconds}
   * step, and within a step of each state the product passed through.
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record HealthTrailDto(
      String productId, String state, long spacingSeconds, List<HealthPointDto> points) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record HealthPointDto(
      String at,
      String state,
      @Nullable Double passRate,
      @Nullable Double rejectionRate,
      @Nullable Long volume) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record HealthDto(
      String state,
      @Nullable String evaluatedAt,
      @Nullable String windowStart,
      @Nullable String windowEnd,
      @Nullable Double passRate,
      Map<String, Double> passRateByCheck,
      @Nullable Long volume,
      @Nullable Double rejectionRate,
      @Nullable String lastUpdateAt,
      @Nullable Long stalenessMs,
      List<String> reasons) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record TopicsDto(
      String records,
      String ingest,
      String deadLetters,
      String productEvents,
      String qualityEvents) {}

  /** One product with everything the registry knows about it. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ProductDetail(
      String id,
      String domain,
      @Nullable DescriptorDto descriptor,
      LifecycleDto lifecycle,
      ContractDto contract,
      @Nullable HealthDto health,
      TopicsDto topics,
      long subscriberCount,
      long pendingSubscriptionRequests,
      dev.meshbone.registry.products.issues.IssueViews.AccountabilityDto accountability) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record StatsDto(
      String productId,
      long valid,
      long invalid,
      Map<String, Long> invalidByReason,
      @Nullable Double rejectionRate,
      @Nullable String lastRecordAt,
      @Nullable String lastValidAt,
      @Nullable String updatedAt) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record SubscriptionDto(
      String productId,
      String consumerDomain,
      String state,
      @Nullable String purpose,
      @Nullable String principal,
      @Nullable String requestedAt,
      @Nullable String updatedAt,
      @Nullable String decidedBy,
      List<String> fields) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record SubscriberList(String productId, List<SubscriptionDto> subscribers) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record DomainDto(
      String domain, long products, long active, long deprecated, long retired) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record DomainList(List<DomainDto> domains) {}

  /** A product in a lineage graph; {@code registered} is false for an input the mesh never saw. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record LineageNodeDto(
      String id,
      boolean registered,
      @Nullable String name,
      @Nullable String status,
      int distance) {}

  /** Data flows {@code from} an input product {@code to} the product that reads it. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record LineageEdgeDto(String from, String to) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record LineageGraph(
      String root,
      String direction,
      int depth,
      List<LineageNodeDto> nodes,
      List<LineageEdgeDto> edges) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record NotificationDto(
      String id,
      String recipient,
      String type,
      String productId,
      String summary,
      @Nullable String detail,
      Map<String, String> attributes,
      String createdAt) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record NotificationList(String domain, List<NotificationDto> notifications) {}

  // Writes.

  /**
   * A product write: {@code id} (only when registering) and the {@code descriptor} (registering or
   * changing), {@code sunsetAt} and {@code successor} (deprecating: the successor is set on a copy
   * of the current descriptor); {@code reason} and {@code actor} are shown to subscribers and kept
   * for audit. {@code eventId} makes a retry idempotent; one is made up when absent.
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ProductWrite(
      @Nullable String id,
      @Nullable DescriptorDto descriptor,
      @Nullable String sunsetAt,
      @Nullable String reason,
      @Nullable String actor,
      @Nullable String eventId,
      @Nullable String successor) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ReasonDto(String code, @Nullable String field, String message) {}

  /**
   * The answer to a product write: ACCEPTED (on {@code mesh.products}, with the product's new
   * lifecycle), or PENDING (no verdict within the wait; {@code check} is where to ask later).
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record WriteResult(
      String status,
      String eventId,
      String productId,
      @Nullable LifecycleDto lifecycle,
      @Nullable String check) {}

  /** A product write that contract-validator refused (HTTP 422). */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Refusal(
      String code, String message, String eventId, String productId, List<ReasonDto> reasons) {}

  /**
   * One product of a bulk onboarding: {@code status} is the HTTP status its own {@code POST
   * /products} would have answered (201 accepted, 422 refused, 202 pending, 409 exists, 503...),
   * {@code outcome} ACCEPTED (declared and, if a schema came, registered), REFUSED, PENDING or
   * FAILED; {@code schema} what became of its contract, if one came.
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record BatchItemResult(
      String productId,
      @Nullable String eventId,
      int status,
      String outcome,
      @Nullable String code,
      @Nullable String message,
      @Nullable List<ReasonDto> reasons,
      @Nullable LifecycleDto lifecycle,
      @Nullable String check,
      @Nullable SchemaOutcome schema) {}

  /**
   * A bulk item's contract: REGISTERED (with its id and version), REFUSED or FAILED (with the
   * schema registry's error code), or NOT_ATTEMPTED when the declaration was not accepted.
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record SchemaOutcome(
      String subject,
      String status,
      @Nullable Integer id,
      @Nullable Integer version,
      @Nullable Integer errorCode,
      @Nullable String message) {}

  /** The answer to a bulk onboarding: counts, then one result per product, in request order. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record BatchResult(int accepted, int notAccepted, List<BatchItemResult> products) {}

  /** The verdict on an earlier write, by event id. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record WriteStatus(
      String eventId, String productId, String status, @Nullable List<ReasonDto> reasons) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record QualityResult(
      @Nullable String eventId,
      String checkName,
      @Nullable String dimension,
      Boolean passed,
      @Nullable Double measuredValue,
      @Nullable Double threshold,
      @Nullable Long recordCount,
      @Nullable String occurredAt,
      @Nullable String message) {}

  /** Where a published event went. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Published(String eventId, String topic, int partition, long offset) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record SubscribeRequest(
      @Nullable String purpose,
      @Nullable String principal,
      @Nullable List<String> fields,
      @Nullable String readerSchema) {}

  /**
   * A consumer's read set: {@code fields} (dot paths of the product's contract) or a {@code
   * readerSchema} (Avro schema JSON) whose fields are taken; not both.
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ReadSetRequest(@Nullable List<String> fields, @Nullable String readerSchema) {}

  /** A declared field of an APPROVED consumer that a candidate schema would break. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record BreakDto(String consumer, String field, String kind, String reason) {}

  /**
   * What a candidate contract would do: the subject's compatibility verdict, the declared fields it
   * breaks, the APPROVED consumers it does not touch, and those that declared nothing.
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ImpactAnswer(
      String productId,
      String subject,
      String compatibilityLevel,
      @Nullable Integer againstVersion,
      boolean compatible,
      List<String> messages,
      List<BreakDto> breaks,
      List<String> unaffected,
      List<String> undeclared) {}

  /** One partition of the product's topic as a group has read it. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ReaderPartitionDto(
      int partition,
      long committedOffset,
      long endOffset,
      long lag,
      @Nullable String lastCommitAt) {}

  /** A consumer group observed reading the product's topic. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ReaderDto(
      String groupId,
      @Nullable String domain,
      String standing,
      boolean flagged,
      long lag,
      @Nullable String lastCommitAt,
      List<ReaderPartitionDto> partitions) {}

  /** {@code GET /products/{id}/readers}. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ReadersAnswer(
      String productId,
      String topic,
      @Nullable String observedAt,
      long intervalMs,
      List<ReaderDto> readers,
      List<String> notifiedGroups) {}

  /** A domain that reads the product: by its APPROVED subscription, by its groups, or both. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ReaderEdgeDto(
      String from, String domain, boolean declared, boolean observed, List<String> groups) {}

  /**
   * {@code GET /products/{id}/lineage?observed=true}: the declared graph and who reads the root.
   */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ObservedLineageGraph(
      String root,
      String direction,
      int depth,
      List<LineageNodeDto> nodes,
      List<LineageEdgeDto> edges,
      List<ReaderEdgeDto> readers,
      List<String> unattributedGroups) {}

  /** A consumer of a product being retired: MIGRATED, DRAINED or STILL_READING. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record RetirementConsumerDto(
      String domain, String status, List<String> groups, long lag, @Nullable String lastCommitAt) {}

  /** {@code GET /products/{id}/retirement}: the sunset's readiness and what was done about it. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record RetirementAnswer(
      String productId,
      String status,
      @Nullable String sunsetAt,
      @Nullable String successor,
      boolean sunsetReached,
      boolean ready,
      List<String> blockers,
      List<RetirementConsumerDto> consumers,
      List<String> leadTimes,
      List<String> remindersSent,
      boolean blockedNotified,
      @Nullable String retirementEventId,
      long quietPeriodMs) {}

  // Between instances.

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record SummaryList(List<ProductSummary> items) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record NodeRequest(List<String> ids) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record NodeInfo(
      String id,
      boolean registered,
      @Nullable String name,
      @Nullable String status,
      List<String> inputs,
      List<String> downstream) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record NodeInfos(List<NodeInfo> nodes) {}

  /** The declared fields of one APPROVED consumer of one product. */
  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ReadSetDto(String productId, String consumerDomain, List<String> fields) {}

  @Serdeable
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record ReadSetList(List<ReadSetDto> readSets) {}
}
