package dev.meshbone.registry.products.kafka;

import dev.meshbone.runtime.KafkaClientMeters;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the end of some topics on a thread of its own: every partition, no consumer group, from
 * the moment it starts (read_committed, so it only sees what a transaction committed). Every
 * registry instance runs its own, so each sees every record, whichever instance or partition it
 * lands on. A handler that throws is logged and the tail goes on.
 */
public final class TopicTail implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);

  private final String name;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<String> topics;
  private final Consumer<ConsumerRecord<byte[], byte[]>> handler;
  private final CountDownLatch positioned = new CountDownLatch(1);
  private final AutoCloseable meterBinding;
  private final Thread thread;
  private volatile boolean running = true;

  public TopicTail(
      String name,
      Map<String, Object> clientConfig,
      List<String> topics,
      Consumer<ConsumerRecord<byte[], byte[]>> handler,
      Optional<MeterRegistry> meters) {
    this.name = name;
    this.topics = List.copyOf(topics);
    this.handler = handler;
    var config = new HashMap<>(clientConfig);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, name + "-" + System.identityHashCode(this));
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.meterBinding = KafkaClientMeters.bind(meters, consumer);
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  /**
   * Starts following and waits until the end of every partition is known, so that any record
   * produced after this returns is seen.
   */
  public void start(Duration timeout) {
    thread.start();
    try {
      if (!positioned.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{}: not positioned at the end of {} after {}", name, topics, timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
          partitions.add(new TopicPartition(topic, p.partition()));
        }
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      for (TopicPartition tp : partitions) {
        consumer.position(tp, Duration.ofSeconds(30));
      }
      positioned.countDown();
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          try {
            handler.accept(record);
          } catch (RuntimeException e) {
            LOG.warn(
                "{}: skipping record {}-{}@{}: {}",
                name,
                record.topic(),
                record.partition(),
                record.offset(),
                e.toString());
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      if (running) {
        LOG.error("{}: stopped following {}", name, topics, e);
      }
    } finally {
      positioned.countDown();
      KafkaClientMeters.close(meterBinding);
      consumer.close(Duration.ofSeconds(5));
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
