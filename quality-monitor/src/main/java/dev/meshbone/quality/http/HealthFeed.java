package dev.meshbone.quality.http;

import dev.meshbone.events.ProductHealth;
import dev.meshbone.runtime.KafkaClientMeters;
import dev.meshbone.runtime.KafkaSettings;
import dev.meshbone.topics.MeshTopics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The live feed of health changes behind the server-sent-events stream: a consumer of {@code
 * mesh.quality.status} (committed records only) on every partition, from the end, with no group.
 * Every instance tails the whole topic, so a dashboard connected to any instance sees every
 * product's changes; that is why the stream is fed from the topic and not from the local state,
 * which holds only this instance's partitions.
 *
 * <p>Subscribers that cannot keep up lose changes rather than slow the feed; the dashboard reloads
 * the full list when it reconnects.
 */
@Singleton
public class HealthFeed {
  private static final Logger LOG = LoggerFactory.getLogger(HealthFeed.class);

  /** One change: the product's new health, or null when it is no longer monitored. */
  public record Change(String productId, ProductHealth health) {}

  private final MeshTopics topics;
  private final Map<String, Object> consumerConfig;
  private final Sinks.Many<Change> sink = Sinks.many().multicast().directBestEffort();
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile boolean running = true;
  private volatile boolean live;
  private Thread thread;
  private AutoCloseable meterBinding = () -> {};

  private final Optional<MeterRegistry> meters;

  public HealthFeed(MeshTopics topics, KafkaSettings kafka, Optional<MeterRegistry> meters) {
    this.meters = meters;
    this.topics = topics;
    var config = new HashMap<>(kafka.consumer());
    config.putIfAbsent(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Never create the status topic by reading it: the service creates it compacted at start.
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.consumerConfig = config;
  }

  /** Whether the feed is positioned on the topic, so every change from now on is streamed. */
  public boolean isLive() {
    return live;
  }

  /** Changes from now on. */
  public Flux<Change> changes() {
    return sink.asFlux();
  }

  @EventListener
  void onStartup(StartupEvent event) {
    thread = new Thread(this::run, "quality-health-feed");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    var valueSerde = topics.qualityStatus.valueSerde();
    try (var c =
        new KafkaConsumer<>(
            consumerConfig, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer = c;
      meterBinding = KafkaClientMeters.bind(meters, c);
      List<TopicPartition> partitions = awaitPartitions(c);
      if (partitions.isEmpty()) {
        return;
      }
      c.assign(partitions);
      c.seekToEnd(partitions);
      partitions.forEach(c::position); // resolve the end now: changes from here on are streamed
      live = true;
      while (running) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofSeconds(1))) {
          ProductHealth health = null;
          if (r.value() != null) {
            try {
              health = valueSerde.deserializer().deserialize(r.topic(), r.value());
            } catch (RuntimeException e) {
              LOG.warn("skipping an undecodable status record of {}: {}", r.key(), e.getMessage());
              continue;
            }
          }
          if (r.key() != null) {
            sink.tryEmitNext(new Change(r.key(), health));
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      if (running) {
        LOG.error("the health feed stopped; the live stream gets no more changes", e);
      }
    } finally {
      KafkaClientMeters.close(meterBinding);
      sink.tryEmitComplete();
    }
  }

  private List<TopicPartition> awaitPartitions(KafkaConsumer<String, byte[]> c) {
    String topic = topics.qualityStatus.name();
    while (running) {
      try {
        var infos = c.partitionsFor(topic, Duration.ofSeconds(5));
        if (infos != null && !infos.isEmpty()) {
          return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        }
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        LOG.debug("waiting for {}: {}", topic, e.getMessage());
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of();
      }
    }
    return List.of();
  }

  @PreDestroy
  void close() {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    if (thread != null) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
