package dev.meshbone.validator.records;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * A checked record's value on its way to the one sink of record validation: the bytes to write (the
 * ingest bytes, unchanged for a valid record), the topic (product or dead-letter) and the ingest
 * partition it came from, which it keeps.
 */
record Routed(byte[] value, String topic, int partition) {

  /** The sink's topic: where the check sent the record. */
  static final TopicNameExtractor<byte[], Routed> TOPIC = (key, routed, context) -> routed.topic();

  /**
   * The sink's partitioner: the ingest partition, so order per partition holds through validation
   * whatever the key (null keys too). Ingest and product topics are declared with the same count;
   * should an operator have given the output fewer, the partition wraps around, which still sends
   * all records of one ingest partition to one output partition in order.
   */
  static final StreamPartitioner<byte[], Routed> SOURCE_PARTITION =
      (topic, key, routed, numPartitions) -> partitions(routed.partition() % numPartitions);

  /** Writes the carried bytes as they are. */
  static final Serde<Routed> SERDE =
      Serdes.serdeFrom(
          new ValueSerializer(),
          (topic, bytes) -> {
            throw new UnsupportedOperationException("Routed values are only written");
          });

  private static final Optional<Set<Integer>>[] PARTITIONS = cachePartitions(256);

  @SuppressWarnings("unchecked")
  private static Optional<Set<Integer>>[] cachePartitions(int n) {
    Optional<Set<Integer>>[] cache = new Optional[n];
    for (int i = 0; i < n; i++) {
      cache[i] = Optional.of(Set.of(i));
    }
    return cache;
  }

  private static Optional<Set<Integer>> partitions(int partition) {
    return partition < PARTITIONS.length ? PARTITIONS[partition] : Optional.of(Set.of(partition));
  }

  private static final class ValueSerializer implements Serializer<Routed> {
    @Override
    public byte[] serialize(String topic, Routed data) {
      return data == null ? null : data.value();
    }

    @Override
    public byte[] serialize(String topic, Headers headers, Routed data) {
      return data == null ? null : data.value();
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {}
  }
}
