package dev.meshbone.validator.records;

import dev.meshbone.events.ProductStats;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Adds the per-task count deltas of {@link ValidateRecordProcessor}, keyed by product id, into each
 * product's cumulative {@link ProductStats} (kept in a changelogged store, so the totals survive
 * restarts exactly once), and every {@code statsEmitInterval} forwards the totals of the products
 * that changed. After a start or a rebalance it forwards every product it holds once, so a change
 * whose emission a crash cut off is never left unpublished.
 */
final class ProductStatsAggregator
    implements Processor<String, ProductStats, String, ProductStats> {
  private final String storeName;
  private final java.time.Duration emitInterval;
  private final Set<String> changed = new LinkedHashSet<>();
  private ProcessorContext<String, ProductStats> context;
  private KeyValueStore<String, ProductStats> store;
  private boolean emitAll = true;

  ProductStatsAggregator(String storeName, java.time.Duration emitInterval) {
    this.storeName = storeName;
    this.emitInterval = emitInterval;
  }

  @Override
  public void init(ProcessorContext<String, ProductStats> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, this::emit);
  }

  @Override
  public void process(Record<String, ProductStats> delta) {
    if (delta.key() == null || delta.value() == null) {
      return;
    }
    store.put(delta.key(), add(store.get(delta.key()), delta.value()));
    changed.add(delta.key());
  }

  private void emit(long now) {
    if (emitAll) {
      emitAll = false;
      try (KeyValueIterator<String, ProductStats> all = store.all()) {
        while (all.hasNext()) {
          KeyValue<String, ProductStats> kv = all.next();
          context.forward(new Record<>(kv.key, kv.value, now));
        }
      }
      changed.clear();
      return;
    }
    for (String product : changed) {
      ProductStats total = store.get(product);
      if (total != null) {
        context.forward(new Record<>(product, total, now));
      }
    }
    changed.clear();
  }

  /** The sum of two counts: counts add, times take the latest. */
  static ProductStats add(ProductStats total, ProductStats delta) {
    if (total == null) {
      return ProductStats.newBuilder(delta)
          .setInvalidByReason(new HashMap<>(delta.getInvalidByReason()))
          .build();
    }
    Map<String, Long> byReason = new HashMap<>(total.getInvalidByReason());
    delta.getInvalidByReason().forEach((reason, n) -> byReason.merge(reason, n, Long::sum));
    return ProductStats.newBuilder()
        .setProductId(total.getProductId())
        .setValid(total.getValid() + delta.getValid())
        .setInvalid(total.getInvalid() + delta.getInvalid())
        .setInvalidByReason(byReason)
        .setLastRecordAt(latest(total.getLastRecordAt(), delta.getLastRecordAt()))
        .setLastValidAt(latest(total.getLastValidAt(), delta.getLastValidAt()))
        .setUpdatedAt(latest(total.getUpdatedAt(), delta.getUpdatedAt()))
        .build();
  }

  private static Instant latest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isAfter(b) ? a : b;
  }
}
