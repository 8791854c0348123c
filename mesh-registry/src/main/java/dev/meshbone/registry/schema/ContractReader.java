package dev.meshbone.registry.schema;

import dev.meshbone.contracts.ContractKeys;
import dev.meshbone.contracts.RegistryErrors;
import dev.meshbone.events.Compatibility;
import dev.meshbone.events.ContractEntry;
import dev.meshbone.events.ContractVersion;
import dev.meshbone.runtime.MeshStreams;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the contract log from this instance's copy of it, the global store {@value
 * ContractsView#CONTRACTS_STORE}: every registry instance answers every read.
 *
 * <p>Schemas by id come from an in-memory index of the log (an id's schema never changes). A hit is
 * checked against the store (the version it came from must still be there), a miss rebuilds the
 * index from the store; concurrent misses share one rebuild.
 */
@Singleton
public class ContractReader {
  private final MeshStreams streams;
  private volatile ReadOnlyKeyValueStore<String, ContractEntry> store;

  private final Map<Integer, ContractVersion> byId = new ConcurrentHashMap<>();
  private final Object scanLock = new Object();
  private long scansCompleted;

  public ContractReader(MeshStreams streams) {
    this.streams = streams;
  }

  /** Every version of a canonical subject not permanently deleted, oldest first. */
  public List<ContractVersion> versions(String subject) {
    List<ContractVersion> versions = new ArrayList<>();
    try (KeyValueIterator<String, ContractEntry> it =
        store().prefixScan(ContractKeys.versionPrefix(subject), new StringSerializer())) {
      while (it.hasNext()) {
        KeyValue<String, ContractEntry> kv = it.next();
        // A prefix scan of "version:a:" also finds subject "a:b"; keep this subject only.
        var key = ContractKeys.parseVersion(kv.key);
        if (key.isPresent()
            && key.get().subject().equals(subject)
            && kv.value != null
            && kv.value.getVersion() != null) {
          versions.add(kv.value.getVersion());
        }
      }
    } catch (InvalidStateStoreException e) {
      throw notReady(e);
    }
    versions.sort(Comparator.comparingInt(ContractVersion::getVersion));
    return versions;
  }

  /** Every version in the log, grouped by subject (subjects sorted, versions oldest first). */
  public Map<String, List<ContractVersion>> allVersions() {
    Map<String, List<ContractVersion>> all = new java.util.TreeMap<>();
    try (KeyValueIterator<String, ContractEntry> it =
        store().prefixScan(ContractKeys.VERSION_PREFIX, new StringSerializer())) {
      while (it.hasNext()) {
        KeyValue<String, ContractEntry> kv = it.next();
        if (kv.value != null && kv.value.getVersion() != null) {
          ContractVersion v = kv.value.getVersion();
          all.computeIfAbsent(v.getSubject(), s -> new ArrayList<>()).add(v);
        }
      }
    } catch (InvalidStateStoreException e) {
      throw notReady(e);
    }
    all.values().forEach(list -> list.sort(Comparator.comparingInt(ContractVersion::getVersion)));
    return all;
  }

  /** The entry under a key of the log, if there is one. */
  public Optional<ContractEntry> entry(String key) {
    try {
      return Optional.ofNullable(store().get(key));
    } catch (InvalidStateStoreException e) {
      throw notReady(e);
    }
  }

  /** The level set for a subject, or the global one for null; empty if unset. */
  public Optional<Compatibility> config(String subject) {
    return entry(ContractKeys.config(subject))
        .map(ContractEntry::getConfig)
        .map(c -> c.getCompatibility());
  }

  /** The level that applies to a subject: its own, else the global one, else BACKWARD. */
  public Compatibility levelOf(String subject) {
    return config(subject)
        .or(() -> config(null))
        .orElse(dev.meshbone.contracts.CompatibilityRules.DEFAULT);
  }

  /** A version (soft-deleted or not) carrying schema {@code id}, if the log still has one. */
  public Optional<ContractVersion> schemaById(int id) {
    long seen;
    synchronized (scanLock) {
      seen = scansCompleted;
    }
    ContractVersion cached = byId.get(id);
    if (cached != null && stillThere(cached)) {
      return Optional.of(cached);
    }
    rescan(seen);
    cached = byId.get(id);
    return cached != null && stillThere(cached) ? Optional.of(cached) : Optional.empty();
  }

  /**
   * The schema with {@code id} if the index already holds it and it is still in the log; empty
   * means "not known without a rebuild", not "absent". Cheap enough for an event-loop thread.
   */
  public Optional<ContractVersion> cachedSchemaById(int id) {
    ContractVersion cached = byId.get(id);
    return cached != null && stillThere(cached) ? Optional.of(cached) : Optional.empty();
  }

  /** Remembers a version this instance just saw accepted, so its id resolves at once. */
  void remember(ContractVersion version) {
    byId.putIfAbsent(version.getSchemaId(), version);
  }

  /** Every version in the log with schema id {@code id}. */
  public List<ContractVersion> versionsWithId(int id) {
    List<ContractVersion> result = new ArrayList<>();
    for (List<ContractVersion> versions : allVersions().values()) {
      for (ContractVersion v : versions) {
        if (v.getSchemaId() == id) {
          result.add(v);
        }
      }
    }
    return result;
  }

  /** The highest schema id in the log (0 if none). */
  public int maxId() {
    int max = 0;
    for (List<ContractVersion> versions : allVersions().values()) {
      for (ContractVersion v : versions) {
        max = Math.max(max, v.getSchemaId());
      }
    }
    return max;
  }

  private boolean stillThere(ContractVersion version) {
    return entry(ContractKeys.version(version.getSubject(), version.getVersion()))
        .map(ContractEntry::getVersion)
        .filter(v -> v.getSchemaId() == version.getSchemaId())
        .isPresent();
  }

  /**
   * Rebuilds the id index unless a rebuild that started after the caller's lookup has completed
   * meanwhile (then its result is as fresh as a new one would be).
   */
  private void rescan(long seenBefore) {
    synchronized (scanLock) {
      if (scansCompleted > seenBefore + 1) {
        return;
      }
      Map<Integer, ContractVersion> fresh = new HashMap<>();
      for (List<ContractVersion> versions : allVersions().values()) {
        for (ContractVersion v : versions) {
          // Prefer a live version over a soft-deleted one for the same id.
          fresh.merge(v.getSchemaId(), v, (a, b) -> a.getDeleted() && !b.getDeleted() ? b : a);
        }
      }
      byId.keySet().retainAll(fresh.keySet());
      byId.putAll(fresh);
      scansCompleted++;
    }
  }

  private ReadOnlyKeyValueStore<String, ContractEntry> store() {
    ReadOnlyKeyValueStore<String, ContractEntry> current = store;
    if (current == null) {
      try {
        current =
            streams
                .streams()
                .store(
                    StoreQueryParameters.fromNameAndType(
                        ContractsView.CONTRACTS_STORE, QueryableStoreTypes.keyValueStore()));
      } catch (InvalidStateStoreException e) {
        throw notReady(e);
      }
      store = current;
    }
    return current;
  }

  private SchemaRegistryException notReady(InvalidStateStoreException e) {
    store = null;
    return new SchemaRegistryException(
        RegistryErrors.STORE_ERROR,
        "the contract store is not ready yet (mesh-registry is starting or rebalancing): "
            + e.getMessage());
  }
}
