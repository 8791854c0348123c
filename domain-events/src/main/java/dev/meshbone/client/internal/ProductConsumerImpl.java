package dev.meshbone.client.internal;

import dev.meshbone.client.MeshClientException;
import dev.meshbone.client.ProductConsumer;
import dev.meshbone.client.ProductRecord;
import dev.meshbone.client.RecordEncodingException;
import dev.meshbone.serde.ConfluentWireFormat;
import dev.meshbone.serde.KafkaAvroDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ProductConsumer} over a {@code KafkaConsumer} of raw bytes: each record is decoded here,
 * so a record that cannot be read stops the consumer at that record instead of losing the rest of
 * its batch.
 */
public final class ProductConsumerImpl<V> implements ProductConsumer<V> {
  private static final Logger LOG = LoggerFactory.getLogger(ProductConsumerImpl.class);

  private final String productId;
  private final String topic;
  private final Decoder<V> decoder;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaClients kafka;
  private final Duration commitTimeout;
  // The next offset of each partition after what poll returned, not yet committed.
  private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();

  /** Turns one record's bytes into what the consumer hands out; throws to stop at the record. */
  public interface Decoder<V> extends AutoCloseable {
    V decode(ConsumerRecord<byte[], byte[]> record);

    @Override
    default void close() {}
  }

  /** A decoder of Confluent-format Avro records into {@code type}. */
  public static <V> Decoder<V> avro(KafkaAvroDeserializer deserializer, Class<V> type) {
    return new Decoder<>() {
      @Override
      public V decode(ConsumerRecord<byte[], byte[]> r) {
        Object value;
        try {
          value = deserializer.deserialize(r.topic(), r.headers(), r.value());
        } catch (RuntimeException e) {
          throw new RecordEncodingException(
              "cannot read the record at "
                  + r.topic()
                  + "-"
                  + r.partition()
                  + "@"
                  + r.offset()
                  + " into "
                  + type.getName()
                  + ": "
                  + e.getMessage()
                  + ". The consumer stays at this record: update the reader's class to the"
                  + " product's current contract",
              e);
        }
        if (value != null && !type.isInstance(value)) {
          throw new RecordEncodingException(
              "the record at "
                  + r.topic()
                  + "-"
                  + r.partition()
                  + "@"
                  + r.offset()
                  + " reads as a "
                  + value.getClass().getName()
                  + ", not a "
                  + type.getName(),
              null);
        }
        return type.cast(value);
      }

      @Override
      public void close() {
        deserializer.close();
      }
    };
  }

  public ProductConsumerImpl(
      String productId,
      String topic,
      String groupId,
      Decoder<V> decoder,
      KafkaClients kafka,
      Duration commitTimeout) {
    this.productId = productId;
    this.topic = topic;
    this.decoder = decoder;
    this.kafka = kafka;
    this.commitTimeout = commitTimeout;
    Map<String, Object> config = kafka.common("consumer-" + groupId);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // contract-validator writes product topics in transactions.
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) commitTimeout.toMillis());
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(
        List.of(topic),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Commit what was handed out before another member takes the partitions over.
            Map<TopicPartition, OffsetAndMetadata> revoked = new HashMap<>();
            partitions.forEach(
                p -> {
                  OffsetAndMetadata o = pending.remove(p);
                  if (o != null) {
                    revoked.put(p, o);
                  }
                });
            commit(revoked);
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
        });
  }

  @Override
  public String productId() {
    return productId;
  }

  @Override
  public List<ProductRecord<V>> poll(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    commit();
    ConsumerRecords<byte[], byte[]> records;
    try {
      records = consumer.poll(timeout);
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      throw kafka.translate(e, "read " + topic);
    }
    List<ProductRecord<V>> out = new ArrayList<>(records.count());
    // Per partition, the first offset not handed out (to go back to when a record fails).
    Map<TopicPartition, Long> next = new LinkedHashMap<>();
    for (TopicPartition p : records.partitions()) {
      next.put(p, records.records(p).get(0).offset());
    }
    for (TopicPartition p : records.partitions()) {
      for (ConsumerRecord<byte[], byte[]> r : records.records(p)) {
        V value;
        try {
          value = decoder.decode(r);
        } catch (RecordEncodingException e) {
          next.forEach(consumer::seek);
          if (out.isEmpty()) {
            throw e;
          }
          return out; // the next poll starts at the failing record and throws there
        }
        out.add(
            new ProductRecord<>(
                productId,
                r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                value,
                r.partition(),
                r.offset(),
                Instant.ofEpochMilli(r.timestamp()),
                r.value() != null && r.value().length >= 5
                    ? ConfluentWireFormat.schemaId(r.value())
                    : -1));
        next.put(p, r.offset() + 1);
        pending.put(p, new OffsetAndMetadata(r.offset() + 1));
      }
    }
    return out;
  }

  @Override
  public void commit() {
    if (pending.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(pending);
    pending.clear();
    commit(offsets);
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets, commitTimeout);
    } catch (RebalanceInProgressException
        | org.apache.kafka.clients.consumer.CommitFailedException e) {
      // The partitions moved on: their new owner reads from the last commit (at least once).
      LOG.info("commit of {} skipped during a rebalance: {}", topic, e.getMessage());
    } catch (WakeupException e) {
      pending.putAll(offsets);
      throw e;
    } catch (KafkaException e) {
      pending.putAll(offsets);
      throw kafka.translate(e, "commit what was read of " + topic);
    }
  }

  @Override
  public void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    try {
      commit();
    } catch (MeshClientException | WakeupException e) {
      LOG.info(
          "last commit of {} failed on close ({}); those records will be read again",
          topic,
          e.getMessage());
    } finally {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(commitTimeout));
      decoder.close();
    }
  }
}
