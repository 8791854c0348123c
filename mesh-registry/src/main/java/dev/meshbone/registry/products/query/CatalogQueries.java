package dev.meshbone.registry.products.query;

import dev.meshbone.contracts.Subjects;
import dev.meshbone.events.ContractEntry;
import dev.meshbone.events.ContractVersion;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.HealthState;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.ProductHealth;
import dev.meshbone.events.ProductStats;
import dev.meshbone.events.Subscription;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.catalog.HealthTrail;
import dev.meshbone.registry.products.catalog.ProductState;
import dev.meshbone.registry.products.catalog.ProductSubscriptions;
import dev.meshbone.registry.products.catalog.RecentNotifications;
import dev.meshbone.registry.products.issues.IssueQueries;
import dev.meshbone.registry.products.routing.LocalStores;
import dev.meshbone.registry.products.view.Dto.ContractDto;
import dev.meshbone.registry.products.view.Dto.ContractVersionDto;
import dev.meshbone.registry.products.view.Dto.DomainDto;
import dev.meshbone.registry.products.view.Dto.HealthTrailDto;
import dev.meshbone.registry.products.view.Dto.NodeInfo;
import dev.meshbone.registry.products.view.Dto.NotificationDto;
import dev.meshbone.registry.products.view.Dto.ProductDetail;
import dev.meshbone.registry.products.view.Dto.ProductSummary;
import dev.meshbone.registry.products.view.Dto.ReadSetDto;
import dev.meshbone.registry.products.view.Dto.StatsDto;
import dev.meshbone.registry.products.view.Dto.SubscriberList;
import dev.meshbone.registry.products.view.Dto.TopicsDto;
import dev.meshbone.registry.products.view.Views;
import dev.meshbone.runtime.http.ApiException;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.ProductId;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Answers from this instance's stores only; {@link dev.meshbone.registry.products.routing
 * .RegistryRouter} decides which instance asks. Methods that take a partition read the catalog
 * stores of that partition, which this instance must hold.
 */
@Singleton
public class CatalogQueries {
  private final LocalStores stores;
  private final MeshTopics topics;
  private final IssueQueries issues;

  public CatalogQueries(LocalStores stores, MeshTopics topics, IssueQueries issues) {
    this.stores = stores;
    this.topics = topics;
    this.issues = issues;
  }

  /** The product, or null if the registry does not know it. */
  public DataProductEvent product(int partition, String productId) {
    return stores
        .<DataProductEvent>partition(CatalogStores.PRODUCTS_STORE, partition)
        .get(productId);
  }

  /** The product, or a 404. */
  public DataProductEvent requireProduct(int partition, String productId) {
    DataProductEvent e = product(partition, productId);
    if (e == null) {
      throw notFound(productId);
    }
    return e;
  }

  public static ApiException notFound(String productId) {
    return ApiException.notFound(
        "PRODUCT_NOT_FOUND", "no product " + productId + " is registered in the mesh");
  }

  public ProductSubscriptions subscriptions(int partition, String productId) {
    ProductSubscriptions subs =
        stores
            .<ProductSubscriptions>partition(CatalogStores.SUBSCRIPTIONS_STORE, partition)
            .get(productId);
    return subs == null ? ProductSubscriptions.EMPTY : subs;
  }

  public ProductDetail detail(int partition, String productId) {
    DataProductEvent e = requireProduct(partition, productId);
    ProductHealth health =
        stores.<ProductHealth>partition(CatalogStores.HEALTH_STORE, partition).get(productId);
    ProductSubscriptions subs = subscriptions(partition, productId);
    ProductId id = ProductId.parse(productId);
    return new ProductDetail(
        productId,
        id.domain(),
        Views.descriptor(e.getDescriptor()),
        Views.lifecycle(e),
        contract(ProductState.contractSubject(productId, e)),
        Views.health(health),
        new TopicsDto(
            DomainTopics.validated(id),
            DomainTopics.ingest(id),
            DomainTopics.dlq(id),
            DomainTopics.productEvents(id.domain()),
            DomainTopics.qualityEvents(id.domain())),
        subs.count(SubscriptionState.APPROVED),
        subs.count(SubscriptionState.REQUESTED),
        IssueQueries.accountability(issues.ofProduct(partition, productId), Instant.now()));
  }

  /** The live versions of a subject from the global contract store, oldest first. */
  public ContractDto contract(String subject) {
    String prefix = "version:" + subject + ":";
    List<ContractVersionDto> versions = new ArrayList<>();
    ReadOnlyKeyValueStore<String, ContractEntry> contracts = stores.contracts();
    try (KeyValueIterator<String, ContractEntry> it =
        contracts.prefixScan(prefix, new StringSerializer())) {
      while (it.hasNext()) {
        KeyValue<String, ContractEntry> kv = it.next();
        String rest = kv.key.substring(prefix.length());
        ContractVersion v = kv.value == null ? null : kv.value.getVersion();
        if (v == null || v.getDeleted() || !rest.chars().allMatch(Character::isDigit)) {
          continue;
        }
        versions.add(Views.contractVersion(v));
      }
    }
    versions.sort(Comparator.comparingInt(ContractVersionDto::version));
    return new ContractDto(
        subject, versions.isEmpty() ? null : versions.get(versions.size() - 1).version(), versions);
  }

  public HealthTrailDto healthTrail(int partition, String productId) {
    requireProduct(partition, productId);
    ProductHealth current =
        stores.<ProductHealth>partition(CatalogStores.HEALTH_STORE, partition).get(productId);
    HealthTrail trail =
        stores.<HealthTrail>partition(CatalogStores.HEALTH_TRAIL_STORE, partition).get(productId);
    return Views.healthTrail(productId, current, trail);
  }

  public StatsDto stats(int partition, String productId) {
    requireProduct(partition, productId);
    ProductStats s =
        stores.<ProductStats>partition(CatalogStores.STATS_STORE, partition).get(productId);
    return Views.stats(productId, s);
  }

  public SubscriberList subscribers(int partition, String productId, SubscriptionState state) {
    requireProduct(partition, productId);
    var list =
        subscriptions(partition, productId).all().stream()
            .filter(s -> state == null || s.getState() == state)
            .map(Views::subscription)
            .toList();
    return new SubscriberList(productId, list);
  }

  /**
   * Up to {@code max} products of this instance that match, in id order, after {@code after}
   * (exclusive) when given. The domain filter is a key range (ids start with the domain), so a
   * domain's products are found without reading the others.
   */
  public List<ProductSummary> search(SearchFilter filter, String after, int max) {
    String from = filter.domain() == null ? null : filter.domain() + ".";
    String to = filter.domain() == null ? null : filter.domain() + "/";
    if (after != null && (from == null || after.compareTo(from) >= 0)) {
      from = after;
    }
    if (from != null && to != null && from.compareTo(to) > 0) {
      return List.of();
    }
    List<ProductSummary> found = new ArrayList<>();
    for (int partition :
        stores.localPartitions(CatalogStores.PRODUCTS_STORE, topics.products.name())) {
      ReadOnlyKeyValueStore<String, DataProductEvent> store =
          stores.partition(CatalogStores.PRODUCTS_STORE, partition);
      ReadOnlyKeyValueStore<String, ProductHealth> healths =
          stores.partition(CatalogStores.HEALTH_STORE, partition);
      int n = 0;
      try (KeyValueIterator<String, DataProductEvent> it = store.range(from, to)) {
        while (n < max && it.hasNext()) {
          KeyValue<String, DataProductEvent> kv = it.next();
          if (after != null && kv.key.compareTo(after) <= 0) {
            continue;
          }
          if (kv.value != null && filter.matches(kv.value)) {
            ProductHealth health = healths.get(kv.key);
            HealthState state = health == null ? null : health.getState();
            if (filter.matchesHealth(state)) {
              found.add(Views.summary(kv.value, state));
              n++;
            }
          }
        }
      }
    }
    found.sort(Comparator.comparing(ProductSummary::id));
    return found.size() > max ? List.copyOf(found.subList(0, max)) : found;
  }

  /** This instance's products counted by domain and status. */
  public List<DomainDto> domains() {
    Map<String, long[]> counts = new TreeMap<>();
    for (int partition :
        stores.localPartitions(CatalogStores.PRODUCTS_STORE, topics.products.name())) {
      ReadOnlyKeyValueStore<String, DataProductEvent> store =
          stores.partition(CatalogStores.PRODUCTS_STORE, partition);
      try (KeyValueIterator<String, DataProductEvent> it = store.all()) {
        while (it.hasNext()) {
          DataProductEvent e = it.next().value;
          if (e == null) {
            continue;
          }
          long[] c = counts.computeIfAbsent(e.getDomain(), d -> new long[4]);
          c[0]++;
          if (e.getStatus() == LifecycleStatus.ACTIVE) {
            c[1]++;
          } else if (e.getStatus() == LifecycleStatus.DEPRECATED) {
            c[2]++;
          } else if (e.getStatus() == LifecycleStatus.RETIRED) {
            c[3]++;
          }
        }
      }
    }
    return counts.entrySet().stream()
        .map(
            e ->
                new DomainDto(
                    e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2], e.getValue()[3]))
        .toList();
  }

  /** A lineage node from this instance's partition of it. */
  public NodeInfo node(int partition, String productId) {
    DataProductEvent e = product(partition, productId);
    List<String> downstream =
        stores.<List<String>>partition(CatalogStores.DOWNSTREAM_STORE, partition).get(productId);
    return new NodeInfo(
        productId,
        e != null,
        e == null || e.getDescriptor() == null ? null : e.getDescriptor().getName(),
        e == null ? null : e.getStatus().name(),
        ProductState.inputs(e),
        downstream == null ? List.of() : downstream);
  }

  /** A domain's latest notifications, newest first. */
  public List<NotificationDto> notifications(int partition, String domain, int limit) {
    RecentNotifications recent =
        stores
            .<RecentNotifications>partition(CatalogStores.RECENT_NOTIFICATIONS_STORE, partition)
            .get(domain);
    if (recent == null) {
      return List.of();
    }
    return recent.newestFirst().stream().limit(limit).map(Views::notification).toList();
  }

  /**
   * The declared read sets of the APPROVED consumers of this instance's products whose contract is
   * under {@code subject} (canonical), by product then consumer. A scan of the local products: a
   * registration is rare, and the scan needs no index kept in step with the subscriptions.
   */
  public List<ReadSetDto> readSets(String subject) {
    List<ReadSetDto> found = new ArrayList<>();
    for (int partition :
        stores.localPartitions(CatalogStores.PRODUCTS_STORE, topics.products.name())) {
      ReadOnlyKeyValueStore<String, DataProductEvent> store =
          stores.partition(CatalogStores.PRODUCTS_STORE, partition);
      try (KeyValueIterator<String, DataProductEvent> it = store.all()) {
        while (it.hasNext()) {
          KeyValue<String, DataProductEvent> kv = it.next();
          if (kv.value == null
              || !subject.equals(
                  Subjects.canonical(ProductState.contractSubject(kv.key, kv.value)))) {
            continue;
          }
          for (Subscription s : subscriptions(partition, kv.key).all()) {
            if (s.getState() == SubscriptionState.APPROVED && !s.getFields().isEmpty()) {
              found.add(new ReadSetDto(kv.key, s.getConsumerDomain(), List.copyOf(s.getFields())));
            }
          }
        }
      }
    }
    return found;
  }

  /** The subscription of one consumer, or null. */
  public Subscription subscription(int partition, String productId, String consumer) {
    return subscriptions(partition, productId).get(consumer);
  }
}
