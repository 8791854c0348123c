package dev.meshbone.registry.products.catalog;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The stores of this instance's running tasks, as their processors opened them: a read of one
 * partition goes straight to its store.
 *
 * <p>Kafka Streams' interactive queries resolve the task behind a store handle on every read (a
 * copy of every task set under the state updater's lock, about a fifth of the event loop's time in
 * a profile of one-product lookups). A processor's {@code init} runs when its task starts running
 * (after any restoration) and its {@code close} when the task is suspended, closed, lost or
 * recycled into a standby, so between the two its stores are the active task's, exactly what an
 * interactive query would find. A read of a store closed meanwhile throws {@code
 * InvalidStateStoreException}, as an interactive query does (503).
 */
@Singleton
public class OpenStores {
  private record Open(Object owner, ReadOnlyKeyValueStore<String, ?> store) {}

  private final Map<String, Open> open = new ConcurrentHashMap<>();
  private final Map<String, Integer> partitionCounts = new ConcurrentHashMap<>();

  /** Partition {@code partition} of {@code store} if a running task of this instance holds it. */
  @SuppressWarnings("unchecked")
  public <V> ReadOnlyKeyValueStore<String, V> get(String store, int partition) {
    Open o = open.get(key(store, partition));
    return o == null ? null : (ReadOnlyKeyValueStore<String, V>) o.store();
  }

  /**
   * The partition of {@code store} that holds {@code key}, if a running task of this instance holds
   * it; -1 otherwise (another instance holds it, or the store is not listed here). The partition is
   * the one Kafka Streams' default partitioner gives a {@code String} key: murmur2 of its UTF-8
   * bytes, as {@code KafkaStreams.queryMetadataForKey} computes it, without its walk over every
   * instance's metadata.
   */
  public int runningPartition(String store, String key) {
    Integer partitions = partitionCounts.get(store);
    if (partitions == null) {
      return -1;
    }
    int partition =
        Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    return open.containsKey(key(store, partition)) ? partition : -1;
  }

  /**
   * {@code supplier}'s processors, each of which, once initialised, lists its task's partition of
   * every store in {@code stores} (each of {@code partitions} partitions, keyed by {@code String})
   * here, and takes it off when it closes.
   */
  public <KI, VI, KO, VO> ProcessorSupplier<KI, VI, KO, VO> listing(
      ProcessorSupplier<KI, VI, KO, VO> supplier, List<String> stores, int partitions) {
    stores.forEach(store -> partitionCounts.put(store, partitions));
    return () -> new Listing<>(supplier.get(), stores);
  }

  private static String key(String store, int partition) {
    return store + "#" + partition;
  }

  private final class Listing<KI, VI, KO, VO> implements Processor<KI, VI, KO, VO> {
    private final Processor<KI, VI, KO, VO> inner;
    private final List<String> stores;
    private int partition = -1;

    Listing(Processor<KI, VI, KO, VO> inner, List<String> stores) {
      this.inner = inner;
      this.stores = stores;
    }

    @Override
    public void init(ProcessorContext<KO, VO> context) {
      inner.init(context);
      partition = context.taskId().partition();
      for (String store : stores) {
        ReadOnlyKeyValueStore<String, ?> s = context.getStateStore(store);
        open.put(key(store, partition), new Open(this, s));
      }
    }

    @Override
    public void process(Record<KI, VI> record) {
      inner.process(record);
    }

    @Override
    public void close() {
      if (partition >= 0) {
        // Only this processor's own listing: a newer task's for the same partition stays.
        stores.forEach(store -> open.computeIfPresent(key(store, partition), this::unlessMine));
      }
      inner.close();
    }

    private Open unlessMine(String key, Open o) {
      return o.owner() == this ? null : o;
    }
  }
}
