package dev.meshbone.topics;

import dev.meshbone.events.AccessGrant;
import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.ContractEntry;
import dev.meshbone.events.ContractProposal;
import dev.meshbone.events.ContractViolation;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.IssueDecision;
import dev.meshbone.events.IssueRequest;
import dev.meshbone.events.Notification;
import dev.meshbone.events.ProductHealth;
import dev.meshbone.events.ProductStats;
import dev.meshbone.events.QualityAlert;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.events.ReaderObservation;
import dev.meshbone.events.Subscription;
import dev.meshbone.serde.MeshEventSerde;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The catalogue of the mesh's own topics ({@code mesh.*}), as docs/design.md lists them. Keys are
 * UTF-8 strings; values are the mesh's Avro contracts in {@link MeshEventSerde single-object
 * encoding}.
 *
 * <p>Topics keyed by product id share one partition count so they are co-partitioned and can be
 * joined without a repartition. The contract log and its proposals have exactly one partition:
 * contract-validator allocates schema ids from it in one order, which is what makes an id mean one
 * schema forever.
 */
public final class MeshTopics {
  /**
   * The prefix of every mesh topic, which the mesh owns (on a secured cluster: prefixed ACLs). Not
   * a compile-time constant, on purpose: see {@link DlqHeaders}.
   */
  public static final String PREFIX = declared("mesh.");

  /** Partitions of the topics keyed by product or domain, unless a deployment chooses more. */
  public static final int DEFAULT_PARTITIONS = 6;

  private static final Duration WEEK = Duration.ofDays(7);

  /** {@code retention.ms=-1}: no time limit. */
  private static final Duration FOREVER = Duration.ofMillis(-1);

  public final TopicSpec<String, ContractProposal> contractProposals;
  public final TopicSpec<String, ContractEntry> contracts;
  public final TopicSpec<String, ContractDecision> contractDecisions;
  public final TopicSpec<String, DataProductEvent> products;
  public final TopicSpec<String, ProductStats> productStats;
  public final TopicSpec<String, Subscription> subscriptions;
  public final TopicSpec<String, AccessGrant> accessGrants;
  public final TopicSpec<String, QualityEvent> quality;
  public final TopicSpec<String, ProductHealth> qualityStatus;
  public final TopicSpec<String, QualityAlert> qualityAlerts;
  public final TopicSpec<String, Notification> notifications;
  public final TopicSpec<String, ContractViolation> violations;

  /** What domains ask about product issues (open, change state, comment), keyed by product id. */
  public final TopicSpec<String, IssueRequest> issueRequests;

  /**
   * Each decided issue request with the issue as it then stands, keyed by product id: the issues'
   * history. Kept forever by default ({@code retention.ms=-1}); an operator bounds it with the
   * topic's {@code retention.ms}.
   */
  public final TopicSpec<String, IssueDecision> issues;

  /**
   * The consumer groups observed reading each product's validated topic, keyed by product id:
   * written by the registry's observer, read back by its readers processor.
   */
  public final TopicSpec<String, ReaderObservation> observedReaders;

  private final List<TopicSpec<?, ?>> all;

  private MeshTopics(int partitions) {
    contractProposals = delete("mesh.contracts.proposals", 1, true, WEEK, ContractProposal.class);
    contracts = compact("mesh.contracts", 1, true, ContractEntry.class);
    contractDecisions =
        delete("mesh.contracts.decisions", 1, false, Duration.ofDays(1), ContractDecision.class);
    products = compact("mesh.products", partitions, false, DataProductEvent.class);
    productStats = compact("mesh.products.stats", partitions, false, ProductStats.class);
    subscriptions = compact("mesh.subscriptions", partitions, false, Subscription.class);
    accessGrants =
        delete("mesh.access-grants", partitions, false, Duration.ofDays(30), AccessGrant.class);
    quality = delete("mesh.quality", partitions, false, WEEK, QualityEvent.class);
    qualityStatus = compact("mesh.quality.status", partitions, false, ProductHealth.class);
    qualityAlerts =
        delete("mesh.quality.alerts", partitions, false, Duration.ofDays(30), QualityAlert.class);
    notifications =
        delete("mesh.notifications", partitions, false, Duration.ofDays(30), Notification.class);
    violations =
        delete("mesh.violations", partitions, false, Duration.ofDays(30), ContractViolation.class);
    issueRequests = delete("mesh.issues.requests", partitions, false, WEEK, IssueRequest.class);
    issues = delete("mesh.issues", partitions, false, FOREVER, IssueDecision.class);
    observedReaders = compact("mesh.readers.observed", partitions, false, ReaderObservation.class);
    all =
        List.of(
            contractProposals,
            contracts,
            contractDecisions,
            products,
            productStats,
            subscriptions,
            accessGrants,
            quality,
            qualityStatus,
            qualityAlerts,
            notifications,
            violations,
            issueRequests,
            issues,
            observedReaders);
  }

  private static String declared(String name) {
    return name;
  }

  /** The catalogue with {@link #DEFAULT_PARTITIONS}. */
  public static MeshTopics defaults() {
    return new MeshTopics(DEFAULT_PARTITIONS);
  }

  /**
   * The catalogue with another partition count for the product-keyed topics; the single-partition
   * contract topics stay as they are.
   */
  public static MeshTopics withPartitions(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, not " + partitions);
    }
    return new MeshTopics(partitions);
  }

  /** Every mesh topic, in a stable order. */
  public List<TopicSpec<?, ?>> all() {
    return all;
  }

  /** The spec of the mesh topic with this name, if there is one. */
  public Optional<TopicSpec<?, ?>> byName(String name) {
    return all.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  private static <V extends SpecificRecord> TopicSpec<String, V> delete(
      String name, int partitions, boolean exact, Duration retention, Class<V> type) {
    return new TopicSpec<>(
        name,
        partitions,
        exact,
        CleanupPolicy.DELETE,
        Optional.of(retention),
        Serdes.String(),
        MeshEventSerde.of(type),
        Map.of());
  }

  private static <V extends SpecificRecord> TopicSpec<String, V> compact(
      String name, int partitions, boolean exact, Class<V> type) {
    Serde<V> serde = MeshEventSerde.of(type);
    return new TopicSpec<>(
        name,
        partitions,
        exact,
        CleanupPolicy.COMPACT,
        Optional.empty(),
        Serdes.String(),
        serde,
        Map.of());
  }
}
