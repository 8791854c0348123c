package dev.meshbone.registry.products;

import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Everything on a topic from its beginning, read as a test polls for it. */
final class TopicRecords<V> implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicSpec<String, V> spec;
  private final String topic;
  private final List<ConsumerRecord<String, V>> seen = new ArrayList<>();

  TopicRecords(KafkaBroker broker, TopicSpec<String, V> spec) {
    this(broker, spec, spec.name());
  }

  TopicRecords(KafkaBroker broker, TopicSpec<String, V> spec, String topic) {
    this.spec = spec;
    this.topic = topic;
    this.consumer =
        new KafkaConsumer<>(
            broker.consumerConfig(KafkaBroker.unique("test-reader")),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    var partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Every record read so far, after reading what is new. */
  List<ConsumerRecord<String, V>> all() {
    for (var r : consumer.poll(Duration.ofMillis(200))) {
      seen.add(
          new ConsumerRecord<>(
              r.topic(),
              r.partition(),
              r.offset(),
              spec.keySerde().deserializer().deserialize(topic, r.key()),
              spec.valueSerde().deserializer().deserialize(topic, r.value())));
    }
    return List.copyOf(seen);
  }

  List<V> values() {
    return all().stream().map(ConsumerRecord::value).toList();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
