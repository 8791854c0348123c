package dev.meshbone.registry.products;

import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.ContractViolation;
import dev.meshbone.events.DecisionOutcome;
import dev.meshbone.events.Notification;
import dev.meshbone.events.ProductChange;
import dev.meshbone.events.ProductIssue;
import dev.meshbone.registry.products.catalog.CatalogOutput;
import dev.meshbone.registry.products.catalog.CatalogProcessor;
import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.catalog.CatalogUpdate;
import dev.meshbone.registry.products.catalog.Codecs;
import dev.meshbone.registry.products.catalog.HealthTrail;
import dev.meshbone.registry.products.catalog.HistoryCheckpoint;
import dev.meshbone.registry.products.catalog.Link;
import dev.meshbone.registry.products.catalog.Notices;
import dev.meshbone.registry.products.catalog.NotificationRecorder;
import dev.meshbone.registry.products.catalog.OpenStores;
import dev.meshbone.registry.products.catalog.ProductLinks;
import dev.meshbone.registry.products.catalog.ProductSubscriptions;
import dev.meshbone.registry.products.catalog.RecentNotifications;
import dev.meshbone.registry.products.catalog.SubjectIndex;
import dev.meshbone.registry.products.catalog.SubscriptionChange;
import dev.meshbone.registry.products.catalog.SuccessorIndex;
import dev.meshbone.registry.products.catalog.SunsetPolicy;
import dev.meshbone.serde.MeshEventSerde;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.Names;
import dev.meshbone.topics.ProductId;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Products, subscriptions, health, stats, lineage and notifications, materialized for the registry
 * API. The section has three sub-topologies:
 *
 * <ol>
 *   <li><b>catalog</b>, keyed by product id: {@code mesh.products}, {@code mesh.quality.status},
 *       {@code mesh.products.stats}, {@code mesh.quality.alerts}, {@code mesh.issues.requests}
 *       (decided here, in stream order, onto {@code mesh.issues}), and three repartitioned inputs
 *       (subscriptions by product, downstream lineage edges, new contract versions by product) all
 *       meet in one processor. One task per partition therefore holds every store about a product:
 *       the instance that owns a product id answers every question about it, and notifying a
 *       product's subscribers is a local read.
 *   <li><b>subjects</b>, keyed by schema subject: which products have their contract under a
 *       subject, joined with accepted versions from {@code mesh.contracts.decisions} (the global
 *       store already consumes {@code mesh.contracts}, which a topology cannot stream twice).
 *   <li><b>notifications</b>, keyed by recipient domain: each domain's latest notifications, read
 *       back from {@code mesh.notifications}; and {@code mesh.violations} turned into notices to
 *       the product's owner.
 * </ol>
 *
 * <p>Cross-partition indexes: a product's downstream lineage is the reverse of the other products'
 * inputs, which live on other partitions; {@link ProductLinks} emits an edge under each input's id
 * ({@value CatalogStores#LINEAGE_REPARTITION}), so the downstream index lands beside the upstream
 * product. Subscriptions are keyed {@code <productId>|<consumerDomain>} on their topic and re-keyed
 * by product ({@value CatalogStores#SUBSCRIPTIONS_REPARTITION}). A product that names a successor
 * sends a link to the successor's partition ({@value CatalogStores#SUCCESSOR_LINKS_REPARTITION}),
 * where {@link SuccessorIndex} sends back, under the product's id, the successor's APPROVED
 * consumers ({@value CatalogStores#SUCCESSOR_READERS_REPARTITION}), so the sunset check decides
 * from the product's own task. Every repartition has the product topics' partition count so the
 * catalog inputs stay co-partitioned.
 *
 * <p>State topics (products, subscriptions, health, stats) are read from their beginning; the
 * topics that only cause notifications (alerts, violations, contract decisions) from their end when
 * the application has no committed offset yet, so a registry deployed under a new application id
 * does not announce a month of old alerts to every domain again.
 */
public final class ProductCatalog {
  /** The stores the catalog processor keeps, co-located per product id. */
  static final List<String> CATALOG_PROCESSOR_STORES =
      List.of(
          CatalogStores.PRODUCTS_STORE,
          CatalogStores.HEALTH_STORE,
          CatalogStores.HEALTH_TRAIL_STORE,
          CatalogStores.STATS_STORE,
          CatalogStores.SUBSCRIPTIONS_STORE,
          CatalogStores.DOWNSTREAM_STORE,
          CatalogStores.ISSUES_STORE,
          CatalogStores.HISTORY_STORE,
          CatalogStores.HISTORY_CHECKPOINT_STORE,
          CatalogStores.READERS_STORE,
          CatalogStores.SUNSET_STORE,
          CatalogStores.SUCCESSOR_READERS_STORE);

  private ProductCatalog() {}

  public static void addTo(StreamsBuilder builder, MeshTopics topics) {
    addTo(builder, topics, SunsetPolicy.DEFAULTS, 0);
  }

  /**
   * As {@link #addTo(StreamsBuilder, MeshTopics)}, with the sunset driven by {@code sunset} and
   * each product's history bounded to {@code historyMaxChanges} changes (0: all).
   */
  public static void addTo(
      StreamsBuilder builder, MeshTopics topics, SunsetPolicy sunset, int historyMaxChanges) {
    addTo(builder, topics, sunset, historyMaxChanges, new OpenStores());
  }

  /**
   * As {@link #addTo(StreamsBuilder, MeshTopics, SunsetPolicy, int)}, with the catalog's stores
   * listed in {@code openStores} while its tasks run, for the HTTP API's reads.
   */
  public static void addTo(
      StreamsBuilder builder,
      MeshTopics topics,
      SunsetPolicy sunset,
      int historyMaxChanges,
      OpenStores openStores) {
    int partitions = topics.products.partitions();
    Serde<String> keys = Serdes.String();
    addStore(builder, CatalogStores.PRODUCTS_STORE, topics.products.valueSerde());
    addStore(builder, CatalogStores.HEALTH_STORE, topics.qualityStatus.valueSerde());
    addStore(builder, CatalogStores.HEALTH_TRAIL_STORE, HealthTrail.SERDE);
    addStore(builder, CatalogStores.STATS_STORE, topics.productStats.valueSerde());
    addStore(builder, CatalogStores.SUBSCRIPTIONS_STORE, ProductSubscriptions.SERDE);
    addStore(builder, CatalogStores.DOWNSTREAM_STORE, Codecs.stringList());
    addStore(builder, CatalogStores.LINKS_STORE, Codecs.stringList());
    addStore(builder, CatalogStores.SUBJECT_PRODUCTS_STORE, Codecs.stringList());
    addStore(builder, CatalogStores.SUBJECT_VERSIONS_STORE, Serdes.Integer());
    addStore(builder, CatalogStores.RECENT_NOTIFICATIONS_STORE, RecentNotifications.SERDE);
    addStore(builder, CatalogStores.ISSUES_STORE, MeshEventSerde.of(ProductIssue.class));
    addStore(builder, CatalogStores.HISTORY_STORE, MeshEventSerde.of(ProductChange.class));
    addStore(builder, CatalogStores.HISTORY_CHECKPOINT_STORE, HistoryCheckpoint.SERDE);
    addStore(builder, CatalogStores.READERS_STORE, topics.observedReaders.valueSerde());
    addStore(builder, CatalogStores.SUNSET_STORE, Codecs.stringList());
    addStore(builder, CatalogStores.SUCCESSOR_INDEX_STORE, Codecs.stringList());
    addStore(builder, CatalogStores.SUCCESSOR_READERS_STORE, Codecs.stringList());

    // Products, and the index links they imply on other partitions.
    var products =
        builder.stream(
            topics.products.name(),
            Consumed.with(keys, topics.products.valueSerde()).withName("products-source"));
    var links =
        products
            .process(ProductLinks::new, Named.as("product-links"), CatalogStores.LINKS_STORE)
            .split(Named.as("links-"))
            .branch((subject, link) -> link.kind() == Link.Kind.SUBJECT, Branched.as("subject"))
            .branch(
                (successor, link) -> link.kind() == Link.Kind.SUCCESSOR, Branched.as("successor"))
            .defaultBranch(Branched.as("lineage"));
    KStream<String, Link> lineageEdges =
        links
            .get("links-lineage")
            .repartition(
                Repartitioned.<String, Link>as(CatalogStores.LINEAGE_REPARTITION)
                    .withKeySerde(keys)
                    .withValueSerde(Link.SERDE)
                    .withNumberOfPartitions(partitions));
    KStream<String, Link> subjectLinks =
        links
            .get("links-subject")
            .repartition(
                Repartitioned.<String, Link>as(CatalogStores.SUBJECT_REPARTITION)
                    .withKeySerde(keys)
                    .withValueSerde(Link.SERDE)
                    .withNumberOfPartitions(partitions));

    // Subjects: accepted new versions, announced once per product under the subject.
    KStream<String, ContractDecision> decisions =
        builder.stream(
                topics.contractDecisions.name(),
                Consumed.with(keys, topics.contractDecisions.valueSerde())
                    .withName("decisions-source")
                    .withOffsetResetPolicy(AutoOffsetReset.latest()))
            .filter((requestId, d) -> isNewVersion(d), Named.as("accepted-versions"))
            .selectKey((requestId, d) -> d.getSubject(), Named.as("decision-subject"))
            .repartition(
                Repartitioned.<String, ContractDecision>as(CatalogStores.DECISIONS_REPARTITION)
                    .withKeySerde(keys)
                    .withValueSerde(topics.contractDecisions.valueSerde())
                    .withNumberOfPartitions(partitions));
    KStream<String, ContractDecision> versionsByProduct =
        subjectLinks
            .<SubjectIndex.Input>mapValues(SubjectIndex.LinkInput::new, Named.as("subject-link"))
            .merge(
                decisions.mapValues(SubjectIndex.DecisionInput::new, Named.as("subject-decision")),
                Named.as("subject-inputs"))
            .process(
                SubjectIndex::new,
                Named.as("subject-index"),
                CatalogStores.SUBJECT_PRODUCTS_STORE,
                CatalogStores.SUBJECT_VERSIONS_STORE)
            .repartition(
                Repartitioned.<String, ContractDecision>as(
                        CatalogStores.CONTRACT_VERSIONS_REPARTITION)
                    .withKeySerde(keys)
                    .withValueSerde(topics.contractDecisions.valueSerde())
                    .withNumberOfPartitions(partitions));

    // Subscriptions, re-keyed from <productId>|<consumerDomain> to the product id.
    KStream<String, SubscriptionChange> subscriptions =
        builder.stream(
                topics.subscriptions.name(),
                Consumed.with(keys, topics.subscriptions.valueSerde())
                    .withName("subscriptions-source"))
            .flatMap(
                (key, sub) -> {
                  var change = subscriptionChange(key, sub);
                  return change == null ? List.of() : List.of(change);
                },
                Named.as("subscription-by-product"))
            .repartition(
                Repartitioned.<String, SubscriptionChange>as(
                        CatalogStores.SUBSCRIPTIONS_REPARTITION)
                    .withKeySerde(keys)
                    .withValueSerde(SubscriptionChange.SERDE)
                    .withNumberOfPartitions(partitions));

    // Successors: each product named as a successor tells the products that name it who holds an
    // APPROVED subscription to it, keyed by the predecessor's id.
    KStream<String, List<String>> successorReaders =
        links
            .get("links-successor")
            .repartition(
                Repartitioned.<String, Link>as(CatalogStores.SUCCESSOR_LINKS_REPARTITION)
                    .withKeySerde(keys)
                    .withValueSerde(Link.SERDE)
                    .withNumberOfPartitions(partitions))
            .<SuccessorIndex.Input>mapValues(
                SuccessorIndex.LinkInput::new, Named.as("successor-link"))
            .merge(
                subscriptions.mapValues(
                    SuccessorIndex.SubscriptionInput::new, Named.as("successor-subscription")),
                Named.as("successor-inputs"))
            .process(
                SuccessorIndex::new,
                Named.as("successor-index"),
                CatalogStores.SUCCESSOR_INDEX_STORE)
            .repartition(
                Repartitioned.<String, List<String>>as(CatalogStores.SUCCESSOR_READERS_REPARTITION)
                    .withKeySerde(keys)
                    .withValueSerde(Codecs.stringList())
                    .withNumberOfPartitions(partitions));

    // The catalog: every input about a product in one processor.
    KStream<String, CatalogUpdate> updates =
        products
            .<CatalogUpdate>mapValues(CatalogUpdate.ProductChanged::new, Named.as("product-update"))
            .merge(
                builder.stream(
                        topics.qualityStatus.name(),
                        Consumed.with(keys, topics.qualityStatus.valueSerde())
                            .withName("health-source"))
                    .mapValues(CatalogUpdate.HealthChanged::new, Named.as("health-update")),
                Named.as("merge-health"))
            .merge(
                builder.stream(
                        topics.productStats.name(),
                        Consumed.with(keys, topics.productStats.valueSerde())
                            .withName("stats-source"))
                    .mapValues(CatalogUpdate.StatsChanged::new, Named.as("stats-update")),
                Named.as("merge-stats"))
            .merge(
                builder.stream(
                        topics.qualityAlerts.name(),
                        Consumed.with(keys, topics.qualityAlerts.valueSerde())
                            .withName("alerts-source")
                            .withOffsetResetPolicy(AutoOffsetReset.latest()))
                    .mapValues(CatalogUpdate.AlertChanged::new, Named.as("alert-update")),
                Named.as("merge-alerts"))
            .merge(
                subscriptions.mapValues(
                    CatalogUpdate.SubscriptionChanged::new, Named.as("subscription-update")),
                Named.as("merge-subscriptions"))
            .merge(
                lineageEdges.mapValues(
                    CatalogUpdate.DownstreamChanged::new, Named.as("downstream-update")),
                Named.as("merge-downstream"))
            .merge(
                versionsByProduct.mapValues(
                    CatalogUpdate.ContractAdded::new, Named.as("contract-update")),
                Named.as("merge-contracts"))
            .merge(
                successorReaders.mapValues(
                    CatalogUpdate.SuccessorReaders::new, Named.as("successor-update")),
                Named.as("merge-successors"))
            .merge(
                builder.stream(
                        topics.issueRequests.name(),
                        Consumed.with(keys, topics.issueRequests.valueSerde())
                            .withName("issue-requests-source"))
                    .mapValues(CatalogUpdate.IssueRequested::new, Named.as("issue-update")),
                Named.as("merge-issues"))
            .merge(
                builder.stream(
                        topics.observedReaders.name(),
                        Consumed.with(keys, topics.observedReaders.valueSerde())
                            .withName("readers-source"))
                    .mapValues(CatalogUpdate.ReadersObserved::new, Named.as("readers-update")),
                Named.as("merge-readers"));

    var outputs =
        updates
            .process(
                openStores.listing(
                    () -> new CatalogProcessor(sunset, historyMaxChanges),
                    CATALOG_PROCESSOR_STORES,
                    partitions),
                Named.as("catalog"),
                CATALOG_PROCESSOR_STORES.toArray(String[]::new))
            .split(Named.as("catalog-"))
            .branch((key, out) -> out instanceof CatalogOutput.Grant, Branched.as("grants"))
            .branch((key, out) -> out instanceof CatalogOutput.IssueDecided, Branched.as("issues"))
            .branch((key, out) -> out instanceof CatalogOutput.Retire, Branched.as("retirements"))
            .defaultBranch(Branched.as("notices"));
    outputs
        .get("catalog-grants")
        .mapValues(out -> ((CatalogOutput.Grant) out).grant(), Named.as("grant"))
        .to(
            topics.accessGrants.name(),
            Produced.with(keys, topics.accessGrants.valueSerde()).withName("to-access-grants"));
    outputs
        .get("catalog-issues")
        .mapValues(out -> ((CatalogOutput.IssueDecided) out).decision(), Named.as("issue-decision"))
        .to(
            topics.issues.name(),
            Produced.with(keys, topics.issues.valueSerde()).withName("to-issues"));
    // The sunset's retirements, published for the owner as its own lifecycle events would be.
    outputs
        .get("catalog-retirements")
        .mapValues(out -> ((CatalogOutput.Retire) out).event(), Named.as("retirement"))
        .to(
            (productId, event, context) -> DomainTopics.productEvents(event.getDomain()),
            Produced.with(keys, topics.products.valueSerde()).withName("to-product-events"));
    outputs
        .get("catalog-notices")
        .mapValues(out -> ((CatalogOutput.Notice) out).notification(), Named.as("notice"))
        .to(
            topics.notifications.name(),
            Produced.with(keys, topics.notifications.valueSerde()).withName("to-notifications"));

    // Owners hear of refused events about their products.
    builder.stream(
            topics.violations.name(),
            Consumed.with(keys, topics.violations.valueSerde())
                .withName("violations-source")
                .withOffsetResetPolicy(AutoOffsetReset.latest()))
        .flatMap(
            (key, violation) -> violationNotices(key, violation), Named.as("violation-notices"))
        .to(
            topics.notifications.name(),
            Produced.with(keys, topics.notifications.valueSerde())
                .withName("violations-to-notifications"));

    // Each domain's latest notifications, read back from the topic every instance writes.
    builder.stream(
            topics.notifications.name(),
            Consumed.with(keys, topics.notifications.valueSerde()).withName("notifications-source"))
        .process(
            NotificationRecorder::new,
            Named.as("recent-notifications"),
            CatalogStores.RECENT_NOTIFICATIONS_STORE);
  }

  private static <V> void addStore(StreamsBuilder builder, String name, Serde<V> values) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values));
  }

  /** An accepted decision that names a version of a subject: a registration, not a config. */
  static boolean isNewVersion(ContractDecision d) {
    return d != null
        && d.getOutcome() == DecisionOutcome.ACCEPTED
        && d.getSubject() != null
        && d.getVersion() != null
        && d.getSchemaId() != null
        && d.getDeletedVersions().isEmpty();
  }

  /**
   * The subscription record re-keyed by its product, or null when neither its key nor its value
   * says which product and consumer it is about.
   */
  static KeyValue<String, SubscriptionChange> subscriptionChange(
      String key, dev.meshbone.events.Subscription sub) {
    String productId = null;
    String consumer = null;
    if (key != null) {
      int bar = key.lastIndexOf('|');
      if (bar > 0 && bar < key.length() - 1) {
        productId = key.substring(0, bar);
        consumer = key.substring(bar + 1);
      }
    }
    if ((productId == null || consumer == null) && sub != null) {
      productId = sub.getProductId();
      consumer = sub.getConsumerDomain();
    }
    if (productId == null || consumer == null) {
      return null;
    }
    return KeyValue.pair(productId, new SubscriptionChange(consumer, sub));
  }

  /**
   * The notices of a refused control event: to the domain that owns the product it named, or, when
   * it named no valid product, to the domain that published it.
   */
  static List<KeyValue<String, Notification>> violationNotices(
      String key, ContractViolation violation) {
    if (violation == null) {
      return List.of();
    }
    String productId = violation.getProductId() != null ? violation.getProductId() : key;
    String recipient;
    if (ProductId.isValid(productId)) {
      recipient = ProductId.parse(productId).domain();
    } else if (Names.isValidDomain(violation.getSourceDomain())) {
      recipient = violation.getSourceDomain();
    } else {
      return List.of();
    }
    String about = productId == null ? "(no product)" : productId;
    long ts = violation.getDetectedAt() == null ? 0 : violation.getDetectedAt().toEpochMilli();
    return List.of(KeyValue.pair(recipient, Notices.violation(recipient, about, violation, ts)));
  }
}
