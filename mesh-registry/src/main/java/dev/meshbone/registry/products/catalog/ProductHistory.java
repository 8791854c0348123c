package dev.meshbone.registry.products.catalog;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.FieldChange;
import dev.meshbone.events.ProductChange;
import dev.meshbone.events.ProductChangeKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Appends to each product's history ({@link CatalogStores#HISTORY_STORE}): one {@link
 * ProductChange} per change the catalog processor sees, numbered per product in the order it sees
 * them, under {@code <productId>|<seq, 19 digits>} so a product's history is one key range in
 * order.
 */
public final class ProductHistory {
  /** The actor of changes the platform makes (validator counts, quality-monitor health). */
  public static final String PLATFORM = "platform";

  private static final int MAX_TEXT = 200;

  /** The baseline's sequence number: what the changes no longer kept add up to. */
  public static final long BASELINE_SEQ = 0;

  /** Every how many changes a product's history is folded into a {@link HistoryCheckpoint}. */
  public static final int CHECKPOINT_EVERY = 500;

  private final KeyValueStore<String, ProductChange> store;
  private final KeyValueStore<String, HistoryCheckpoint> checkpoints;
  private final int maxChanges;

  /**
   * @param checkpoints {@link CatalogStores#HISTORY_CHECKPOINT_STORE}, under the same keys
   * @param maxChanges how many changes each product keeps (0: all); older ones fold into the
   *     baseline
   */
  ProductHistory(
      KeyValueStore<String, ProductChange> store,
      KeyValueStore<String, HistoryCheckpoint> checkpoints,
      int maxChanges) {
    this.store = store;
    this.checkpoints = checkpoints;
    this.maxChanges = maxChanges;
  }

  public static String key(String productId, long seq) {
    return productId + "|" + String.format("%019d", seq);
  }

  /** The first key of a product's history. */
  public static String from(String productId) {
    return productId + "|";
  }

  /** After the last key of a product's history ('~' sorts after every digit). */
  public static String to(String productId) {
    return productId + "|~";
  }

  void append(
      String productId,
      long timestamp,
      Optional<RecordMetadata> source,
      String actor,
      ProductChangeKind kind,
      List<FieldChange> changes,
      DataProductEvent product) {
    long seq = 1;
    try (KeyValueIterator<String, ProductChange> last =
        store.reverseRange(from(productId), to(productId))) {
      if (last.hasNext()) {
        seq = last.next().value.getSeq() + 1;
      }
    }
    var change =
        ProductChange.newBuilder()
            .setSeq(seq)
            .setAt(Instant.ofEpochMilli(Math.max(0, timestamp)))
            .setActor(actor == null ? PLATFORM : actor)
            .setKind(kind)
            .setChanges(changes)
            .setProduct(product);
    source.ifPresent(
        m -> change.setTopic(m.topic()).setPartition(m.partition()).setOffset(m.offset()));
    store.put(key(productId, seq), change.build());
    if (seq % CHECKPOINT_EVERY == 0) {
      checkpoint(productId, seq);
    }
    if (maxChanges > 0 && seq > maxChanges) {
      trim(productId, seq - maxChanges);
    }
  }

  /**
   * Folds the changes since the previous checkpoint (or, without one, the baseline and every change
   * kept) into a checkpoint at {@code seq}.
   */
  private void checkpoint(String productId, long seq) {
    HistoryCheckpoint previous = checkpoints.get(key(productId, seq - CHECKPOINT_EVERY));
    ProductChange state;
    long maxAt;
    long fromSeq;
    if (previous != null) {
      state = previous.state();
      maxAt = previous.maxAt();
      fromSeq = seq - CHECKPOINT_EVERY + 1;
    } else {
      state = store.get(key(productId, BASELINE_SEQ));
      maxAt = state == null ? Long.MIN_VALUE : state.getAt().toEpochMilli();
      fromSeq = BASELINE_SEQ + 1;
    }
    long blockMinAt = Long.MAX_VALUE;
    try (KeyValueIterator<String, ProductChange> it =
        store.range(key(productId, fromSeq), key(productId, seq))) {
      while (it.hasNext()) {
        ProductChange c = it.next().value;
        if (c == null) {
          continue;
        }
        long at = c.getAt().toEpochMilli();
        maxAt = Math.max(maxAt, at);
        blockMinAt = Math.min(blockMinAt, at);
        state = absorb(state, c, c.getSeq(), c.getAt());
      }
    }
    if (state != null) {
      checkpoints.put(key(productId, seq), new HistoryCheckpoint(state, maxAt, blockMinAt));
    }
  }

  /**
   * Folds change {@code seq} into the product's baseline ({@value #BASELINE_SEQ}) and deletes it.
   * The baseline holds what a reader replaying from the start would know after that change: the
   * product snapshot, the contract version, the health, and each subscription's and open issue's
   * state, as absolute values; its {@code at} is the folded change's, the first instant an "as of"
   * read can still answer.
   */
  private void trim(String productId, long seq) {
    ProductChange oldest = store.get(key(productId, seq));
    if (oldest == null) {
      return;
    }
    ProductChange base = store.get(key(productId, BASELINE_SEQ));
    store.put(key(productId, BASELINE_SEQ), absorb(base, oldest, BASELINE_SEQ, oldest.getAt()));
    store.delete(key(productId, seq));
    // A checkpoint at or before the baseline would miss what the baseline now holds.
    checkpoints.delete(key(productId, seq));
  }

  /**
   * {@code base} (absolute values, null: nothing yet) with {@code change} folded in: the product
   * snapshot of a descriptor or lifecycle change, the contract version, the health, and each
   * subscription's and issue's state (comments are not state), as the record at {@code seq} and
   * {@code at}.
   */
  static ProductChange absorb(ProductChange base, ProductChange change, long seq, Instant at) {
    Map<String, FieldChange> fields = new TreeMap<>();
    if (base != null) {
      base.getChanges().forEach(f -> fields.put(f.getField(), f));
    }
    boolean snapshot =
        change.getKind() == ProductChangeKind.DESCRIPTOR
            || change.getKind() == ProductChangeKind.LIFECYCLE;
    for (FieldChange f : change.getChanges()) {
      String name = f.getField();
      boolean kept =
          name.equals("contractVersion")
              || name.equals("health")
              || ((name.startsWith("subscription:") || name.startsWith("issue:"))
                  && !name.endsWith(":comment"));
      if (!kept) {
        continue;
      }
      if (f.getAfter() == null) {
        fields.remove(name);
      } else {
        fields.put(name, field(name, null, f.getAfter()));
      }
    }
    return ProductChange.newBuilder()
        .setSeq(seq)
        .setAt(at)
        .setActor(PLATFORM)
        .setKind(ProductChangeKind.OTHER)
        .setChanges(new ArrayList<>(fields.values()))
        .setProduct(snapshot ? change.getProduct() : base == null ? null : base.getProduct())
        .build();
  }

  static FieldChange field(String field, Object before, Object after) {
    return FieldChange.newBuilder()
        .setField(field)
        .setBefore(text(before))
        .setAfter(text(after))
        .build();
  }

  private static String text(Object value) {
    if (value == null) {
      return null;
    }
    String s = value.toString();
    return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) + "..." : s;
  }

  /** What changed from one accepted product event to the next: lifecycle, then descriptor. */
  static List<FieldChange> productChanges(DataProductEvent before, DataProductEvent now) {
    List<FieldChange> changes = new ArrayList<>();
    if (before == null || before.getStatus() != now.getStatus()) {
      changes.add(field("status", before == null ? null : before.getStatus(), now.getStatus()));
    }
    Instant sunsetBefore = before == null ? null : ProductState.sunsetAt(before);
    Instant sunsetNow = ProductState.sunsetAt(now);
    if (!Objects.equals(sunsetBefore, sunsetNow)) {
      changes.add(field("sunsetAt", sunsetBefore, sunsetNow));
    }
    if (before == null) {
      return changes;
    }
    for (String name : ProductState.changedFields(before.getDescriptor(), now.getDescriptor())) {
      changes.add(
          field(
              "descriptor." + name,
              value(before.getDescriptor(), name),
              value(now.getDescriptor(), name)));
    }
    return changes;
  }

  private static Object value(dev.meshbone.events.ProductDescriptor d, String name) {
    if (d == null) {
      return null;
    }
    Schema.Field f = d.getSchema().getField(name);
    return f == null ? d : d.get(f.pos());
  }
}
