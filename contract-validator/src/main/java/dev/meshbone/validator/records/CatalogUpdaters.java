package dev.meshbone.validator.records;

import dev.meshbone.events.ContractEntry;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.serde.MeshEventSerde;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global-store processors that keep a {@link ContractCatalog} up to date from {@code
 * mesh.contracts} and {@code mesh.products}. Both read raw bytes and decode them here, so a record
 * that does not decode is logged and skipped instead of stopping the global thread (which would
 * stop the whole validator); the raw record is kept in the global store as the topic has it.
 */
final class CatalogUpdaters {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogUpdaters.class);

  private CatalogUpdaters() {}

  /** {@code mesh.contracts}: {@code version:<subject>:<n>} keys; other keys (configs) ignored. */
  static final class Contracts implements Processor<byte[], byte[], Void, Void> {
    private static final MeshEventSerde<ContractEntry> SERDE =
        MeshEventSerde.of(ContractEntry.class);
    private final ContractCatalog catalog;
    private final String topic;
    private final String storeName;
    private static final byte[] LATEST_TIMESTAMP =
        RecordValidation.LATEST_CONTRACT_TIMESTAMP_KEY.getBytes(StandardCharsets.UTF_8);
    private KeyValueStore<byte[], byte[]> store;
    private long latestTimestamp = Long.MIN_VALUE;

    Contracts(ContractCatalog catalog, String topic, String storeName) {
      this.catalog = catalog;
      this.topic = topic;
      this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
      // Every record counts, tombstones too: each is a contract change the decider made.
      if (record.timestamp() > latestTimestamp) {
        latestTimestamp = record.timestamp();
        store.put(
            LATEST_TIMESTAMP, ByteBuffer.allocate(Long.BYTES).putLong(latestTimestamp).array());
      }
      if (record.key() == null) {
        return;
      }
      String key = new String(record.key(), StandardCharsets.UTF_8);
      try {
        if (record.value() == null) {
          store.delete(record.key());
          catalog.removeVersion(key);
          return;
        }
        store.put(record.key(), record.value());
        ContractEntry entry = SERDE.deserialize(topic, record.value());
        if (entry.getVersion() != null) {
          catalog.putVersion(key, entry.getVersion());
        }
      } catch (RuntimeException e) {
        LOG.warn("skipping contract log entry {} that cannot be read: {}", key, e.toString());
      }
    }
  }

  /** {@code mesh.products}: product id keys, merged {@code DataProductEvent} values. */
  static final class Products implements Processor<byte[], byte[], Void, Void> {
    private static final MeshEventSerde<DataProductEvent> SERDE =
        MeshEventSerde.of(DataProductEvent.class);
    private final ContractCatalog catalog;
    private final String topic;
    private final String storeName;
    private KeyValueStore<byte[], byte[]> store;

    Products(ContractCatalog catalog, String topic, String storeName) {
      this.catalog = catalog;
      this.topic = topic;
      this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
      if (record.key() == null) {
        return;
      }
      String productId = new String(record.key(), StandardCharsets.UTF_8);
      try {
        if (record.value() == null) {
          store.delete(record.key());
          catalog.removeProduct(productId);
          return;
        }
        store.put(record.key(), record.value());
        catalog.putProduct(productId, SERDE.deserialize(topic, record.value()));
      } catch (RuntimeException e) {
        LOG.warn("skipping product {} that cannot be read: {}", productId, e.toString());
      }
    }
  }
}
