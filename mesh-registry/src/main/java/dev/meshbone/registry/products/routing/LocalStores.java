package dev.meshbone.registry.products.routing;

import dev.meshbone.events.ContractEntry;
import dev.meshbone.registry.products.catalog.OpenStores;
import dev.meshbone.registry.schema.ContractsView;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.runtime.http.ApiException;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * This instance's state stores, as interactive queries read them. A store that cannot be read right
 * now (the app is starting, restoring or rebalancing) is a 503 with a reason, never a 500.
 */
@Singleton
public class LocalStores {
  private final MeshStreams mesh;
  private final InstanceAddress address;
  private final OpenStores open;
  private final Map<String, ReadOnlyKeyValueStore<String, ?>> handles = new ConcurrentHashMap<>();

  public LocalStores(MeshStreams mesh, InstanceAddress address, OpenStores open) {
    this.mesh = mesh;
    this.address = address;
    this.open = open;
  }

  public KafkaStreams streams() {
    return mesh.streams();
  }

  /**
   * One partition of a key-value store held by an active task of this instance: the running task's
   * store itself when its processor listed it in {@link OpenStores}, otherwise an interactive-query
   * handle. The handle is kept: Kafka Streams resolves the task's store on every read through it,
   * so it stays right across rebalances (a read while the partition is elsewhere throws {@link
   * InvalidStateStoreException}, which {@link StoreUnavailableHandler} answers with 503).
   */
  @SuppressWarnings("unchecked")
  public <V> ReadOnlyKeyValueStore<String, V> partition(String store, int partition) {
    ReadOnlyKeyValueStore<String, V> running = open.get(store, partition);
    if (running != null) {
      return running;
    }
    String key = store + "#" + partition;
    var handle = handles.get(key);
    if (handle == null) {
      try {
        handle =
            mesh.streams()
                .store(
                    StoreQueryParameters.fromNameAndType(
                            store, QueryableStoreTypes.<String, V>keyValueStore())
                        .withPartition(partition));
      } catch (InvalidStateStoreException e) {
        throw unavailable(store, e);
      }
      handles.put(key, handle);
    }
    return (ReadOnlyKeyValueStore<String, V>) handle;
  }

  /**
   * The partition of {@code store} holding {@code key} if a running task of this instance has it
   * open ({@link OpenStores#runningPartition}), otherwise -1.
   */
  public int runningPartition(String store, String key) {
    return open.runningPartition(store, key);
  }

  /** The global contract store: every accepted contract version, on every instance. */
  @SuppressWarnings("unchecked")
  public ReadOnlyKeyValueStore<String, ContractEntry> contracts() {
    var handle = handles.get(ContractsView.CONTRACTS_STORE);
    if (handle == null) {
      try {
        handle =
            mesh.streams()
                .store(
                    StoreQueryParameters.fromNameAndType(
                        ContractsView.CONTRACTS_STORE,
                        QueryableStoreTypes.<String, ContractEntry>keyValueStore()));
      } catch (InvalidStateStoreException e) {
        throw unavailable(ContractsView.CONTRACTS_STORE, e);
      }
      handles.put(ContractsView.CONTRACTS_STORE, handle);
    }
    return (ReadOnlyKeyValueStore<String, ContractEntry>) handle;
  }

  /**
   * The partitions of {@code sourceTopic} that this instance's active tasks hold, which are the
   * partitions of every store of the sub-topology that reads it.
   */
  public List<Integer> localPartitions(String store, String sourceTopic) {
    try {
      for (StreamsMetadata m : mesh.streams().streamsMetadataForStore(store)) {
        if (m.hostInfo().equals(address.self())) {
          return m.topicPartitions().stream()
              .filter(tp -> tp.topic().equals(sourceTopic))
              .map(TopicPartition::partition)
              .sorted()
              .toList();
        }
      }
      return List.of();
    } catch (RuntimeException e) {
      throw unavailable(store, e);
    }
  }

  /** The answer while a store cannot be read: 503, try again shortly. */
  public static ApiException unavailable(String store, Exception cause) {
    return new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE,
        "REGISTRY_UNAVAILABLE",
        "the registry cannot read its "
            + store
            + " store right now (starting, restoring or rebalancing): "
            + cause.getMessage()
            + "; retry shortly");
  }
}
