package dev.meshbone.registry.products.history;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.FieldChange;
import dev.meshbone.events.ProductChange;
import dev.meshbone.events.ProductChangeKind;
import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.catalog.HistoryCheckpoint;
import dev.meshbone.registry.products.catalog.ProductHistory;
import dev.meshbone.registry.products.routing.LocalStores;
import dev.meshbone.registry.products.view.Views;
import dev.meshbone.runtime.http.ApiException;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.ProductId;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Product histories from this instance's stores, and products as they were at an instant, folded
 * from their history: the last product snapshot at or before it, the last contract version, the
 * health state, and the subscriptions' states.
 */
@Singleton
public class HistoryQueries {
  private final LocalStores stores;
  private final MeshTopics topics;

  public HistoryQueries(LocalStores stores, MeshTopics topics) {
    this.stores = stores;
    this.topics = topics;
  }

  private ReadOnlyKeyValueStore<String, ProductChange> store(int partition) {
    return stores.partition(CatalogStores.HISTORY_STORE, partition);
  }

  /** Up to {@code limit} changes after {@code afterSeq}, oldest first. */
  public HistoryViews.HistoryPage page(int partition, String productId, long afterSeq, int limit) {
    List<HistoryViews.ChangeDto> changes = new ArrayList<>();
    boolean more = false;
    try (KeyValueIterator<String, ProductChange> it =
        store(partition)
            .range(ProductHistory.key(productId, afterSeq + 1), ProductHistory.to(productId))) {
      while (it.hasNext()) {
        KeyValue<String, ProductChange> kv = it.next();
        if (changes.size() == limit) {
          more = true;
          break;
        }
        changes.add(HistoryViews.change(kv.value));
      }
    }
    Long next = more ? changes.get(changes.size() - 1).seq() : null;
    return new HistoryViews.HistoryPage(productId, changes, next);
  }

  /**
   * The product as it was at {@code at}; 404 when it did not exist then, 410 when its history
   * before {@code at} is no longer kept.
   */
  public HistoryViews.ProductAsOf asOf(int partition, String productId, Instant at) {
    HistoryViews.ProductAsOf p = replay(store(partition), checkpoints(partition), productId, at);
    ProductChange base =
        store(partition).get(ProductHistory.key(productId, ProductHistory.BASELINE_SEQ));
    if (p == null && base != null && at.isBefore(base.getAt())) {
      throw new ApiException(
          io.micronaut.http.HttpStatus.GONE,
          "HISTORY_NOT_KEPT",
          "the history of "
              + productId
              + " is kept from "
              + base.getAt()
              + " on (meshbone.registry.history-max-changes)");
    }
    if (p == null) {
      throw ApiException.notFound(
          "PRODUCT_NOT_FOUND", "no product " + productId + " was registered at " + at);
    }
    return p;
  }

  /**
   * The order of {@code GET /products?asOf=}: the history store's key order ({@code <id>|<seq>}),
   * so a page resumes with a range scan. It is id order except where one id is another's prefix.
   */
  public static final Comparator<HistoryViews.ProductAsOf> PAGE_ORDER =
      Comparator.comparing(p -> p.id() + "|");

  /**
   * Up to {@code limit + 1} products of this instance as they were at {@code at} (those that
   * existed), after product {@code after} (null: from the first), of one domain if given, in {@link
   * #PAGE_ORDER}. Each partition's history is scanned from the cursor, one product at a time, until
   * it has found enough.
   */
  public List<HistoryViews.ProductAsOf> allAsOf(
      Instant at, String domain, String after, int limit) {
    String prefix = domain == null ? null : domain + ".";
    String from = after != null ? after + "|~" : prefix;
    List<HistoryViews.ProductAsOf> found = new ArrayList<>();
    for (int partition :
        stores.localPartitions(CatalogStores.PRODUCTS_STORE, topics.products.name())) {
      int inPartition = 0;
      String current = null;
      List<ProductChange> changes = new ArrayList<>();
      try (KeyValueIterator<String, ProductChange> it = store(partition).range(from, null)) {
        while (it.hasNext() && inPartition <= limit) {
          KeyValue<String, ProductChange> kv = it.next();
          String id = kv.key.substring(0, kv.key.lastIndexOf('|'));
          if (prefix != null && !id.startsWith(prefix)) {
            if (kv.key.compareTo(prefix) > 0 && !kv.key.startsWith(prefix)) {
              break; // past the domain's key range
            }
            continue;
          }
          if (!id.equals(current)) {
            inPartition += fold(current, at, changes, found);
            current = id;
            changes = new ArrayList<>();
          }
          if (kv.value != null && !kv.value.getAt().isAfter(at)) {
            changes.add(kv.value);
          }
        }
      }
      if (inPartition <= limit) {
        fold(current, at, changes, found);
      }
    }
    found.sort(PAGE_ORDER);
    return found.size() > limit + 1 ? new ArrayList<>(found.subList(0, limit + 1)) : found;
  }

  /** Folds one product's changes into {@code found} if it existed then; 1 if it did. */
  private static int fold(
      String id, Instant at, List<ProductChange> changes, List<HistoryViews.ProductAsOf> found) {
    if (id == null) {
      return 0;
    }
    var p = fold(id, at, changes);
    if (p == null) {
      return 0;
    }
    found.add(p);
    return 1;
  }

  private ReadOnlyKeyValueStore<String, HistoryCheckpoint> checkpoints(int partition) {
    return stores.partition(CatalogStores.HISTORY_CHECKPOINT_STORE, partition);
  }

  /**
   * What a replay up to {@code at} needs, in order: the latest checkpoint every change of which is
   * at or before {@code at} (or, without one, the baseline), then the changes after it that are at
   * or before {@code at}. A block of changes between two later checkpoints is skipped whole when
   * its earliest change is after {@code at}; so a read reads at most the changes of the blocks that
   * hold one it takes, whatever the history's length. Answers the checkpoint's state (the first of
   * {@code changes}), or null.
   */
  static HistoryViews.ProductAsOf replay(
      ReadOnlyKeyValueStore<String, ProductChange> history,
      ReadOnlyKeyValueStore<String, HistoryCheckpoint> checkpoints,
      String productId,
      Instant at) {
    List<ProductChange> changes = new ArrayList<>();
    ProductChange checkpoint = changes(history, checkpoints, productId, at, changes);
    return fold(productId, at, checkpoint, changes);
  }

  private static ProductChange changes(
      ReadOnlyKeyValueStore<String, ProductChange> history,
      ReadOnlyKeyValueStore<String, HistoryCheckpoint> checkpoints,
      String productId,
      Instant at,
      List<ProductChange> changes) {
    long atMs = at.toEpochMilli();
    HistoryCheckpoint start = null;
    List<HistoryCheckpoint> later = new ArrayList<>();
    try (KeyValueIterator<String, HistoryCheckpoint> it =
        checkpoints.reverseRange(ProductHistory.from(productId), ProductHistory.to(productId))) {
      while (it.hasNext()) {
        HistoryCheckpoint c = it.next().value;
        if (c == null) {
          continue;
        }
        if (c.maxAt() <= atMs) {
          start = c;
          break;
        }
        later.add(0, c);
      }
    }
    long from;
    if (start != null) {
      changes.add(start.state());
      from = start.state().getSeq() + 1;
    } else {
      // The baseline, whatever the blocks after it hold.
      ProductChange base = history.get(ProductHistory.key(productId, ProductHistory.BASELINE_SEQ));
      if (base != null && !base.getAt().isAfter(at)) {
        changes.add(base);
      }
      from = ProductHistory.BASELINE_SEQ + 1;
    }
    for (HistoryCheckpoint block : later) {
      long to = block.state().getSeq();
      if (block.blockMinAt() <= atMs) {
        addChanges(history, productId, from, ProductHistory.key(productId, to + 1), at, changes);
      }
      from = to + 1;
    }
    addChanges(history, productId, from, ProductHistory.to(productId), at, changes);
    return start == null ? null : start.state();
  }

  private static void addChanges(
      ReadOnlyKeyValueStore<String, ProductChange> history,
      String productId,
      long fromSeq,
      String toKey,
      Instant at,
      List<ProductChange> into) {
    try (KeyValueIterator<String, ProductChange> it =
        history.range(ProductHistory.key(productId, fromSeq), toKey)) {
      while (it.hasNext()) {
        var kv = it.next();
        ProductChange c = kv.value;
        if (c != null && !kv.key.equals(toKey) && !c.getAt().isAfter(at)) {
          into.add(c);
        }
      }
    }
  }

  /** Replays a product's changes up to {@code at}; null when it did not exist then. */
  static HistoryViews.ProductAsOf fold(String productId, Instant at, List<ProductChange> changes) {
    return fold(productId, at, null, changes);
  }

  /**
   * As above, {@code checkpoint} (the first of {@code changes}, or null) holding absolute values
   * like the baseline.
   */
  static HistoryViews.ProductAsOf fold(
      String productId, Instant at, ProductChange checkpoint, List<ProductChange> changes) {
    DataProductEvent product = null;
    Instant lastChange = null;
    Long seq = null;
    String contractVersion = null;
    String health = null;
    Map<String, String> subscriptions = new TreeMap<>();
    Map<String, String> issues = new TreeMap<>();
    for (ProductChange c : changes) {
      lastChange = c.getAt();
      seq = c.getSeq();
      if (c.getSeq() == ProductHistory.BASELINE_SEQ || c == checkpoint) {
        // What the changes no longer kept added up to (history-max-changes).
        product = c.getProduct();
        for (FieldChange f : c.getChanges()) {
          String name = f.getField();
          if (name.equals("contractVersion")) {
            contractVersion = f.getAfter();
          } else if (name.equals("health")) {
            health = f.getAfter();
          } else {
            (name.startsWith("subscription:") ? subscriptions : issues).put(name, f.getAfter());
          }
        }
        continue;
      }
      switch (c.getKind()) {
        case DESCRIPTOR, LIFECYCLE -> product = c.getProduct();
        case CONTRACT_VERSION -> contractVersion = after(c, "contractVersion", contractVersion);
        case HEALTH -> health = after(c, "health", health);
        case SUBSCRIPTION, ISSUE -> {
          for (FieldChange f : c.getChanges()) {
            var target = c.getKind() == ProductChangeKind.SUBSCRIPTION ? subscriptions : issues;
            if (f.getField().endsWith(":comment")) {
              continue;
            }
            if (f.getAfter() == null) {
              target.remove(f.getField());
            } else {
              target.put(f.getField(), f.getAfter());
            }
          }
        }
        default -> {}
      }
    }
    if (product == null) {
      return null;
    }
    long approved = subscriptions.values().stream().filter("APPROVED"::equals).count();
    long open =
        issues.values().stream().filter(s -> s.equals("OPEN") || s.equals("ACKNOWLEDGED")).count();
    return new HistoryViews.ProductAsOf(
        productId,
        ProductId.parse(productId).domain(),
        at.toString(),
        lastChange == null ? null : lastChange.toString(),
        seq,
        Views.descriptor(product.getDescriptor()),
        Views.lifecycle(product),
        contractVersion == null ? null : Integer.valueOf(contractVersion),
        health,
        approved,
        open);
  }

  private static String after(ProductChange c, String field, String otherwise) {
    for (FieldChange f : c.getChanges()) {
      if (f.getField().equals(field)) {
        return f.getAfter();
      }
    }
    return otherwise;
  }
}
