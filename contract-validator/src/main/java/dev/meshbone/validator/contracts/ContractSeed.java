package dev.meshbone.validator.contracts;

import dev.meshbone.contracts.AvroContracts;
import dev.meshbone.contracts.ContractKeys;
import dev.meshbone.events.Compatibility;
import dev.meshbone.events.ContractEntry;
import dev.meshbone.events.ContractVersion;
import dev.meshbone.serde.MeshEventSerde;
import dev.meshbone.validator.records.RecordValidation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contract decisions' state rebuilt from the contract log {@code mesh.contracts} (as the
 * validator's global copy holds it, raw bytes by key): what a fresh decider starts from.
 */
final class ContractSeed {
  private static final Logger LOG = LoggerFactory.getLogger(ContractSeed.class);
  private static final MeshEventSerde<ContractEntry> ENTRIES =
      MeshEventSerde.of(ContractEntry.class);
  private static final byte[] LATEST_TIMESTAMP =
      RecordValidation.LATEST_CONTRACT_TIMESTAMP_KEY.getBytes(StandardCharsets.UTF_8);

  private ContractSeed() {}

  /**
   * The state the log implies.
   *
   * @param versions every version in the log, soft-deleted ones included
   * @param schemaIds contract identity → schema id, for every version
   * @param schemas schema id → the earliest registered version with it
   * @param configs subject ({@code ""} for the global level) → level
   * @param nextId one above the highest schema id in the log (1 for an empty log)
   * @param latestTimestamp the newest record timestamp of the log, null if it was never written
   */
  record Loaded(
      List<ContractVersion> versions,
      Map<String, Integer> schemaIds,
      Map<Integer, ContractVersion> schemas,
      Map<String, Compatibility> configs,
      int nextId,
      Long latestTimestamp) {}

  static Loaded load(ReadOnlyKeyValueStore<byte[], byte[]> log) {
    List<ContractVersion> versions = new ArrayList<>();
    Map<String, Compatibility> configs = new TreeMap<>();
    try (KeyValueIterator<byte[], byte[]> all = log.all()) {
      while (all.hasNext()) {
        KeyValue<byte[], byte[]> kv = all.next();
        if (kv.value == null) {
          continue;
        }
        String key = new String(kv.key, StandardCharsets.UTF_8);
        if (key.equals(RecordValidation.LATEST_CONTRACT_TIMESTAMP_KEY)) {
          continue;
        }
        ContractEntry entry;
        try {
          entry = ENTRIES.deserialize(RecordValidation.CONTRACTS_STORE, kv.value);
        } catch (RuntimeException e) {
          // Record validation already logged it when it read the log.
          continue;
        }
        if (entry.getVersion() != null && ContractKeys.parseVersion(key).isPresent()) {
          versions.add(entry.getVersion());
        } else if (entry.getConfig() != null && entry.getConfig().getCompatibility() != null) {
          ContractKeys.parseConfig(key)
              .ifPresent(subject -> configs.put(subject, entry.getConfig().getCompatibility()));
        }
      }
    }
    versions.sort(
        Comparator.comparing(ContractVersion::getRegisteredAt)
            .thenComparing(ContractVersion::getSubject)
            .thenComparingInt(ContractVersion::getVersion));

    Map<String, Integer> schemaIds = new LinkedHashMap<>();
    Map<Integer, ContractVersion> schemas = new LinkedHashMap<>();
    int maxId = 0;
    for (ContractVersion v : versions) {
      String identity =
          AvroContracts.identity(
              v.getSchema$(), v.getReferences(), v.getMetadataJson(), v.getRuleSetJson());
      Integer earlier = schemaIds.putIfAbsent(identity, v.getSchemaId());
      if (earlier != null && earlier != v.getSchemaId()) {
        LOG.warn(
            "the contract log gives one contract two ids ({} and {}, {} version {}); keeping {}",
            earlier,
            v.getSchemaId(),
            v.getSubject(),
            v.getVersion(),
            earlier);
        schemaIds.put(identity, earlier);
      }
      schemas.putIfAbsent(v.getSchemaId(), v);
      maxId = Math.max(maxId, v.getSchemaId());
    }
    byte[] latest = log.get(LATEST_TIMESTAMP);
    Long latestTimestamp =
        latest == null || latest.length != Long.BYTES ? null : ByteBuffer.wrap(latest).getLong();
    return new Loaded(versions, schemaIds, schemas, configs, maxId + 1, latestTimestamp);
  }
}
