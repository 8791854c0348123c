package dev.meshbone.registry.products.catalog;

import dev.meshbone.events.AccessGrant;
import dev.meshbone.events.AccessOperation;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.FieldChange;
import dev.meshbone.events.IssueDecision;
import dev.meshbone.events.IssueRequest;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.NotificationType;
import dev.meshbone.events.ProductChange;
import dev.meshbone.events.ProductChangeKind;
import dev.meshbone.events.ProductHealth;
import dev.meshbone.events.ProductIssue;
import dev.meshbone.events.ProductStats;
import dev.meshbone.events.ReaderObservation;
import dev.meshbone.events.Subscription;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.registry.products.catalog.CatalogUpdate.AlertChanged;
import dev.meshbone.registry.products.catalog.CatalogUpdate.ContractAdded;
import dev.meshbone.registry.products.catalog.CatalogUpdate.DownstreamChanged;
import dev.meshbone.registry.products.catalog.CatalogUpdate.HealthChanged;
import dev.meshbone.registry.products.catalog.CatalogUpdate.IssueRequested;
import dev.meshbone.registry.products.catalog.CatalogUpdate.ProductChanged;
import dev.meshbone.registry.products.catalog.CatalogUpdate.StatsChanged;
import dev.meshbone.registry.products.catalog.CatalogUpdate.SubscriptionChanged;
import dev.meshbone.topics.ProductId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's view of each product, keyed by product id: keeps the product, its health, stats,
 * subscriptions and downstream lineage in their stores, and turns what changes into notifications
 * for the product's APPROVED subscribers and its owner, and subscription approvals and revocations
 * into access grants. Because the subscriptions of a product sit in the same task as the product,
 * the fan-out is a local read, not a join across partitions.
 */
public final class CatalogProcessor
    implements Processor<String, CatalogUpdate, String, CatalogOutput> {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogProcessor.class);

  private ProcessorContext<String, CatalogOutput> context;
  private KeyValueStore<String, DataProductEvent> products;
  private KeyValueStore<String, ProductHealth> health;
  private KeyValueStore<String, HealthTrail> healthTrail;
  private KeyValueStore<String, ProductStats> stats;
  private KeyValueStore<String, ProductSubscriptions> subscriptions;
  private KeyValueStore<String, List<String>> downstream;
  private KeyValueStore<String, ProductIssue> issues;
  private ProductHistory history;
  private ReaderLedger readers;
  private KeyValueStore<String, ReaderObservation> readersStore;
  private KeyValueStore<String, List<String>> sunset;
  private KeyValueStore<String, List<String>> successorReaders;
  private final SunsetPolicy policy;
  private final int historyMaxChanges;

  /**
   * @param policy how the sunset is driven
   * @param historyMaxChanges how many changes each product's history keeps (0: all)
   */
  public CatalogProcessor(SunsetPolicy policy, int historyMaxChanges) {
    this.policy = policy;
    this.historyMaxChanges = historyMaxChanges;
  }

  @Override
  public void init(ProcessorContext<String, CatalogOutput> context) {
    this.context = context;
    this.products = context.getStateStore(CatalogStores.PRODUCTS_STORE);
    this.health = context.getStateStore(CatalogStores.HEALTH_STORE);
    this.healthTrail = context.getStateStore(CatalogStores.HEALTH_TRAIL_STORE);
    this.stats = context.getStateStore(CatalogStores.STATS_STORE);
    this.subscriptions = context.getStateStore(CatalogStores.SUBSCRIPTIONS_STORE);
    this.downstream = context.getStateStore(CatalogStores.DOWNSTREAM_STORE);
    this.issues = context.getStateStore(CatalogStores.ISSUES_STORE);
    this.history =
        new ProductHistory(
            context.<KeyValueStore<String, ProductChange>>getStateStore(
                CatalogStores.HISTORY_STORE),
            context.<KeyValueStore<String, HistoryCheckpoint>>getStateStore(
                CatalogStores.HISTORY_CHECKPOINT_STORE),
            historyMaxChanges);
    this.readersStore = context.getStateStore(CatalogStores.READERS_STORE);
    this.readers = new ReaderLedger(readersStore);
    this.sunset = context.getStateStore(CatalogStores.SUNSET_STORE);
    this.successorReaders = context.getStateStore(CatalogStores.SUCCESSOR_READERS_STORE);
    var clock =
        new SunsetClock(products, subscriptions, readersStore, successorReaders, sunset, policy);
    context.schedule(
        policy.checkInterval(),
        PunctuationType.WALL_CLOCK_TIME,
        now -> {
          for (var kv : clock.check(Instant.ofEpochMilli(now))) {
            context.forward(new Record<>(kv.key, kv.value, now));
          }
        });
  }

  @Override
  public void process(Record<String, CatalogUpdate> record) {
    String productId = record.key();
    CatalogUpdate update = record.value();
    if (productId == null || update == null) {
      LOG.warn("skipping a catalog update without a product id: {}", update);
      return;
    }
    if (update instanceof ProductChanged p) {
      onProduct(record, productId, p.event());
    } else if (update instanceof HealthChanged h) {
      ProductHealth was = health.get(productId);
      putOrDelete(health, productId, h.health());
      if (h.health() == null) {
        healthTrail.delete(productId);
      } else {
        HealthTrail trail = healthTrail.get(productId);
        healthTrail.put(productId, (trail == null ? HealthTrail.EMPTY : trail).add(h.health()));
      }
      var from = was == null ? null : was.getState();
      var to = h.health() == null ? null : h.health().getState();
      if (from != to) {
        record(
            record,
            productId,
            ProductHistory.PLATFORM,
            ProductChangeKind.HEALTH,
            List.of(ProductHistory.field("health", from, to)),
            null);
      }
    } else if (update instanceof StatsChanged s) {
      putOrDelete(stats, productId, s.stats());
    } else if (update instanceof SubscriptionChanged s) {
      onSubscription(record, productId, s.change());
    } else if (update instanceof DownstreamChanged d) {
      onDownstream(productId, d.link());
    } else if (update instanceof AlertChanged a) {
      if (a.alert() != null) {
        for (String consumer : approvedConsumers(productId)) {
          notify(record, Notices.qualityAlert(consumer, a.alert(), record.timestamp()));
        }
      }
    } else if (update instanceof CatalogUpdate.ReadersObserved r) {
      var approved = new java.util.HashSet<>(approvedConsumers(productId));
      for (var n :
          readers.observe(
              productId, ownerDomain(productId), r.observation(), approved, record.timestamp())) {
        notify(record, n);
      }
    } else if (update instanceof CatalogUpdate.SuccessorReaders s) {
      putOrDelete(successorReaders, productId, s.readers());
    } else if (update instanceof IssueRequested i) {
      onIssue(record, productId, i.request());
    } else if (update instanceof ContractAdded c) {
      record(
          record,
          productId,
          ownerDomain(productId),
          ProductChangeKind.CONTRACT_VERSION,
          List.of(ProductHistory.field("contractVersion", null, c.decision().getVersion())),
          null);
      for (String consumer : approvedConsumers(productId)) {
        notify(
            record, Notices.contractVersion(consumer, productId, c.decision(), record.timestamp()));
      }
      // A version registered with overrideBreaks: each consumer whose declared fields it broke.
      var broken = new java.util.TreeMap<String, List<dev.meshbone.events.FieldBreak>>();
      for (var b : c.decision().getBreaks()) {
        if (productId.equals(b.getProductId())) {
          broken.computeIfAbsent(b.getConsumerDomain(), k -> new ArrayList<>()).add(b);
        }
      }
      broken.forEach(
          (consumer, breaks) ->
              notify(
                  record,
                  Notices.breakingChange(
                      consumer, productId, c.decision(), breaks, record.timestamp())));
    }
  }

  private void onProduct(
      Record<String, CatalogUpdate> record, String productId, DataProductEvent e) {
    DataProductEvent before = products.get(productId);
    if (e == null) {
      products.delete(productId);
      if (before != null) {
        record(
            record,
            productId,
            before.getDomain(),
            ProductChangeKind.LIFECYCLE,
            List.of(ProductHistory.field("status", before.getStatus(), "REMOVED")),
            null);
      }
      if (before != null && before.getStatus() != LifecycleStatus.RETIRED) {
        for (String consumer : approvedConsumers(productId)) {
          notify(record, Notices.productRemoved(consumer, productId, before, record.timestamp()));
        }
      }
      return;
    }
    DataProductEvent now = ProductState.normalize(before, e);
    products.put(productId, now);
    if (before == null || !Objects.equals(before.getEventId(), now.getEventId())) {
      List<FieldChange> changes = ProductHistory.productChanges(before, now);
      boolean lifecycle =
          before == null
              || changes.stream()
                  .anyMatch(f -> f.getField().equals("status") || f.getField().equals("sunsetAt"));
      record(
          record,
          productId,
          now.getDomain(),
          lifecycle ? ProductChangeKind.LIFECYCLE : ProductChangeKind.DESCRIPTOR,
          changes,
          now);
    }
    if (before == null || Objects.equals(before.getEventId(), now.getEventId())) {
      // A new product has no subscribers yet; the same event again (a replay) changes nothing.
      return;
    }
    NotificationType type = null;
    List<String> changed = List.of();
    if (now.getStatus() == LifecycleStatus.RETIRED
        && before.getStatus() != LifecycleStatus.RETIRED) {
      type = NotificationType.PRODUCT_RETIRED;
    } else if (now.getStatus() == LifecycleStatus.DEPRECATED
        && before.getStatus() != LifecycleStatus.DEPRECATED) {
      type = NotificationType.PRODUCT_DEPRECATED;
    } else {
      changed = ProductState.changedFields(before.getDescriptor(), now.getDescriptor());
      if (!changed.isEmpty()) {
        type = NotificationType.DESCRIPTOR_CHANGED;
      }
    }
    if (type == null) {
      return;
    }
    List<String> forcedOver =
        type == NotificationType.PRODUCT_RETIRED ? forcedOver(productId, before, now) : List.of();
    for (String consumer : approvedConsumers(productId)) {
      var n = Notices.productChange(consumer, type, productId, now, changed, record.timestamp());
      notify(record, forcedOver.isEmpty() ? n : Notices.forced(n, forcedOver));
    }
    if (!forcedOver.isEmpty() && ownerDomain(productId) != null) {
      var n =
          Notices.productChange(
              ownerDomain(productId), type, productId, now, changed, record.timestamp());
      notify(record, Notices.forced(n, forcedOver));
    }
  }

  /**
   * The consumers still reading (by {@link SunsetReadiness}) when the product was retired by
   * anything but its own sunset: a retirement its owner forced. Recorded on the retirement's
   * notifications, and the owner gets one too.
   */
  private List<String> forcedOver(String productId, DataProductEvent before, DataProductEvent now) {
    Instant sunsetAt = ProductState.sunsetAt(before);
    if (sunsetAt != null
        && now.getEventId()
            .equals(
                SunsetClock.retirement(productId, now.getDomain(), sunsetAt, now.getOccurredAt())
                    .getEventId())) {
      return List.of();
    }
    return SunsetReadiness.of(
            productId,
            before,
            Objects.requireNonNullElse(subscriptions.get(productId), ProductSubscriptions.EMPTY),
            readersStore.get(productId),
            successorReaders.get(productId),
            policy.quietPeriod(),
            now.getOccurredAt())
        .blockers();
  }

  private void onSubscription(
      Record<String, CatalogUpdate> record, String productId, SubscriptionChange change) {
    ProductSubscriptions current = subscriptions.get(productId);
    if (current == null) {
      current = ProductSubscriptions.EMPTY;
    }
    String consumer = change.consumerDomain();
    Subscription before = current.get(consumer);
    Subscription after = change.subscription();
    ProductSubscriptions next = current.with(consumer, after);
    if (next.isEmpty()) {
      subscriptions.delete(productId);
    } else {
      subscriptions.put(productId, next);
    }
    if (Objects.equals(before, after)) {
      return;
    }
    SubscriptionState was = before == null ? SubscriptionState.UNKNOWN : before.getState();
    SubscriptionState is = after == null ? SubscriptionState.UNKNOWN : after.getState();
    if (was == is) {
      return;
    }
    record(
        record,
        productId,
        after != null && after.getDecidedBy() != null ? after.getDecidedBy() : consumer,
        ProductChangeKind.SUBSCRIPTION,
        List.of(
            ProductHistory.field(
                "subscription:" + consumer,
                before == null ? null : was,
                after == null ? null : is)),
        null);
    long ts = record.timestamp();
    if (is == SubscriptionState.APPROVED) {
      grant(record, productId, after, AccessOperation.GRANT);
    } else if (was == SubscriptionState.APPROVED) {
      grant(record, productId, before, AccessOperation.REVOKE);
    }
    if (after == null) {
      return;
    }
    if (is == SubscriptionState.REQUESTED) {
      String owner = ownerDomain(productId);
      if (owner != null) {
        notify(record, Notices.subscription(owner, productId, after, ts));
      }
    } else if (is == SubscriptionState.APPROVED
        || is == SubscriptionState.REJECTED
        || is == SubscriptionState.REVOKED) {
      notify(record, Notices.subscription(consumer, productId, after, ts));
    }
  }

  /**
   * Decides an issue request in stream order against the product and the issue as they stand, keeps
   * the issue, and emits the decision (which answers the API call waiting for it) and the notices.
   */
  private void onIssue(Record<String, CatalogUpdate> record, String productId, IssueRequest r) {
    if (r == null || r.getIssueId() == null || !productId.equals(r.getProductId())) {
      LOG.warn("skipping an issue request that does not name product {}: {}", productId, r);
      return;
    }
    String key = CatalogStores.issueKey(productId, r.getIssueId());
    IssueDecision decision =
        IssueDecider.decide(r, products.get(productId), issues.get(key), record.timestamp());
    if (decision.getAccepted()) {
      ProductIssue was = issues.get(key);
      ProductIssue now = decision.getIssue();
      issues.put(key, now);
      String field = "issue:" + r.getIssueId();
      record(
          record,
          productId,
          r.getActor(),
          ProductChangeKind.ISSUE,
          r.getAction() == dev.meshbone.events.IssueAction.COMMENT
              ? List.of(ProductHistory.field(field + ":comment", null, r.getText()))
              : List.of(
                  ProductHistory.field(field, was == null ? null : was.getState(), now.getState())),
          null);
    }
    context.forward(record.withKey(productId).withValue(new CatalogOutput.IssueDecided(decision)));
    for (var n : IssueNotices.of(decision, approvedConsumers(productId))) {
      notify(record, n);
    }
  }

  private void record(
      Record<String, CatalogUpdate> record,
      String productId,
      String actor,
      ProductChangeKind kind,
      List<FieldChange> changes,
      DataProductEvent product) {
    history.append(
        productId, record.timestamp(), context.recordMetadata(), actor, kind, changes, product);
  }

  private void onDownstream(String productId, Link link) {
    List<String> current = downstream.get(productId);
    var next = new ArrayList<>(current == null ? List.<String>of() : current);
    next.remove(link.productId());
    if (link.added()) {
      next.add(link.productId());
      next.sort(null);
    }
    if (next.isEmpty()) {
      downstream.delete(productId);
    } else {
      downstream.put(productId, next);
    }
  }

  private List<String> approvedConsumers(String productId) {
    ProductSubscriptions subs = subscriptions.get(productId);
    return subs == null ? List.of() : subs.approvedConsumers();
  }

  private void grant(
      Record<String, CatalogUpdate> record,
      String productId,
      Subscription sub,
      AccessOperation operation) {
    AccessGrant grant =
        AccessGrant.newBuilder()
            .setProductId(productId)
            .setConsumerDomain(sub.getConsumerDomain())
            .setPrincipal(sub.getPrincipal())
            .setOperation(operation)
            .setTopic(productId)
            .setAt(Instant.ofEpochMilli(Math.max(0, record.timestamp())))
            .build();
    context.forward(record.withKey(productId).withValue(new CatalogOutput.Grant(grant)));
  }

  private void notify(Record<String, CatalogUpdate> record, dev.meshbone.events.Notification n) {
    context.forward(record.withKey(n.getRecipientDomain()).withValue(new CatalogOutput.Notice(n)));
  }

  private static String ownerDomain(String productId) {
    return ProductId.isValid(productId) ? ProductId.parse(productId).domain() : null;
  }

  private static <V> void putOrDelete(KeyValueStore<String, V> store, String key, V value) {
    if (value == null) {
      store.delete(key);
    } else {
      store.put(key, value);
    }
  }
}
