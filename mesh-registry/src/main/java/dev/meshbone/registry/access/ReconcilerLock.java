package dev.meshbone.registry.access;

import dev.meshbone.runtime.KafkaClientMeters;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one registry instance of many the single writer of ACLs, with Kafka's own group membership:
 * every instance joins one consumer group on a topic of exactly one partition ({@code
 * mesh.contracts}), and the member that holds that partition is the writer. It never reads the
 * partition (it is paused); the group only decides who holds it. When the writer stops it leaves
 * the group and another instance takes over at once; when it dies, after the group's session
 * timeout.
 *
 * <p>Not thread-safe: {@link #poll()} is called from the reconciler's thread, often enough to stay
 * in the group.
 */
final class ReconcilerLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReconcilerLock.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AutoCloseable meterBinding;
  private final String group;
  private volatile boolean held;

  ReconcilerLock(
      Map<String, Object> consumerConfig,
      String group,
      String topic,
      Duration sessionTimeout,
      Optional<MeterRegistry> meters) {
    this.group = group;
    Map<String, Object> config = new HashMap<>(consumerConfig);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, group);
    config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
    config.put(
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
        (int) Math.max(500, sessionTimeout.toMillis() / 5));
    config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.meterBinding = KafkaClientMeters.bind(meters, consumer);
    consumer.subscribe(
        List.of(topic),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty() && held) {
              held = false;
              LOG.info("access reconciler: another registry instance writes ACLs now ({})", group);
            }
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            consumer.pause(partitions);
            if (!partitions.isEmpty()) {
              held = true;
              LOG.info("access reconciler: this registry instance writes ACLs ({})", group);
            }
          }

          @Override
          public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
          }
        });
  }

  /** Keeps the membership alive; returns at once. */
  void poll() {
    consumer.poll(Duration.ZERO);
  }

  /** Whether this instance is the writer now. */
  boolean held() {
    return held;
  }

  @Override
  public void close() {
    held = false;
    KafkaClientMeters.close(meterBinding);
    consumer.close(Duration.ofSeconds(5));
  }

  /** Wakes a poll up from another thread. */
  void wakeup() {
    consumer.wakeup();
  }
}
