package dev.meshbone.validator.records;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * Lets the validator's stream threads pick up a new product's ingest topic as soon as it is
 * created, instead of at their main consumer's next metadata refresh ({@code metadata.max.age.ms},
 * 10 s).
 *
 * <p>Record validation reads every ingest topic through one pattern subscription. A pattern
 * subscription learns of a new topic only when its consumer refreshes its metadata, and then
 * rebalances. When {@link ProductTopicProvisioner} has created a declared product's ingest topic,
 * it calls {@link #topicsCreated()}; each stream thread's main consumer then asks for a rebalance
 * ({@link Consumer#enforceRebalance}) at its next {@code poll}, on its own thread, as Kafka Streams
 * itself does for its probing rebalances. Before it rejoins, a pattern-subscribed consumer
 * refreshes its metadata and matches the pattern again, so the rejoin includes the new topic.
 *
 * <p>Nothing else changes: the same consumer, group protocol, assignor and exactly-once commits;
 * the timer refresh stays as the fallback (an ingest topic a domain created itself, a missed
 * signal). Kafka 4.3's own Streams rebalance protocol (KIP-1071, {@code group.protocol=streams})
 * would have the broker notice new topics, but it refuses pattern subscriptions ("not yet supported
 * with the Streams rebalance protocol").
 */
@Singleton
public class NewProductPickup implements KafkaClientSupplier {
  private final Set<PickupConsumer> consumers = ConcurrentHashMap.newKeySet();

  /**
   * Each stream thread's main consumer rebalances (and so re-matches the pattern) at its next poll.
   */
  public void topicsCreated() {
    consumers.forEach(c -> c.rejoin.set(true));
  }

  @Override
  public Admin getAdmin(Map<String, Object> config) {
    return Admin.create(config);
  }

  @Override
  public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Override
  public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The stream threads' main consumers. */
  @Override
  public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
    var consumer = new PickupConsumer(config, consumers);
    consumers.add(consumer);
    return consumer;
  }

  /** A main consumer that asks for a rebalance, on its own thread, when told to. */
  static final class PickupConsumer extends KafkaConsumer<byte[], byte[]> {
    final AtomicBoolean rejoin = new AtomicBoolean();
    private final Set<PickupConsumer> registry;

    PickupConsumer(Map<String, Object> config, Set<PickupConsumer> registry) {
      super(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      this.registry = registry;
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
      if (rejoin.getAndSet(false)) {
        enforceRebalance("a new product's ingest topic was created");
      }
      return super.poll(timeout);
    }

    @Override
    public void close(Duration timeout) {
      registry.remove(this);
      super.close(timeout);
    }

    @Override
    public void close(CloseOptions options) {
      registry.remove(this);
      super.close(options);
    }

    @Override
    public void close() {
      registry.remove(this);
      super.close();
    }
  }
}
