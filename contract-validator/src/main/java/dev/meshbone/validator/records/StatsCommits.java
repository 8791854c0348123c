package dev.meshbone.validator.records;

import dev.meshbone.events.ProductStats;
import dev.meshbone.topics.TopicSpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * Makes record validation's per-product counts commit in the same transaction as the records they
 * count. Give {@link #clientSupplier} to the {@code KafkaStreams} that runs the topology built with
 * these settings ({@link RecordValidationSettings#withStatsCommits}); each stream thread's producer
 * then sends the counts its tasks gathered since the last commit to the statistics' repartition
 * topic just before it commits (see {@link StatsCommittingProducer}).
 *
 * <p>How a processor finds its thread's counts: Kafka Streams names a stream thread {@code
 * <client.id>-StreamThread-<n>} and its producer's client id {@code
 * <client.id>-StreamThread-<n>-producer}, and runs the processors' {@code init} and {@code process}
 * and the producer's commit on that thread. A processor on a thread without a hooked producer
 * (TopologyTestDriver, a {@code KafkaStreams} built without this supplier) sends its counts every
 * {@code statsFlushInterval} instead, as a punctuation: counts not yet sent are then lost on a
 * crash.
 */
public final class StatsCommits {
  /** No hook: every task sends its counts every {@code statsFlushInterval}. */
  public static final StatsCommits NONE = new StatsCommits(false);

  static final String PRODUCER_SUFFIX = "-producer";

  private final boolean enabled;
  private final Map<String, StatsCounts> threads = new ConcurrentHashMap<>();
  private volatile TopicSpec<String, ProductStats> stats;
  private volatile ValidationListener listener = ValidationListener.NONE;

  /** A hook for one topology and one {@code KafkaStreams}. */
  public StatsCommits() {
    this(true);
  }

  private StatsCommits(boolean enabled) {
    this.enabled = enabled;
  }

  /** Called by {@link RecordValidation#addTo} with what the deltas need. */
  void attach(TopicSpec<String, ProductStats> stats, ValidationListener listener) {
    if (enabled) {
      this.stats = stats;
      this.listener = listener;
    }
  }

  /** Whether this hooks producers at all (not {@link #NONE}). */
  boolean enabled() {
    return enabled;
  }

  /** The counts of the calling stream thread, or null when its producer is not hooked. */
  StatsCounts forCurrentThread() {
    return enabled ? threads.get(Thread.currentThread().getName()) : null;
  }

  /**
   * Kafka Streams' own clients, except that each stream thread's producer sends the thread's counts
   * before each commit, to {@code <applicationId>-product-stats-deltas-repartition}.
   */
  public KafkaClientSupplier clientSupplier(String applicationId) {
    if (!enabled) {
      throw new IllegalStateException("StatsCommits.NONE hooks no producer");
    }
    String topic = RecordValidation.statsDeltasTopic(applicationId);
    return new KafkaClientSupplier() {
      @Override
      public Admin getAdmin(Map<String, Object> config) {
        return Admin.create(config);
      }

      @Override
      public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        return hooked(config, topic);
      }

      @Override
      public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        return consumer(config);
      }

      @Override
      public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
        return consumer(config);
      }

      @Override
      public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
        return consumer(config);
      }
    };
  }

  private Producer<byte[], byte[]> hooked(Map<String, Object> config, String topic) {
    var producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    TopicSpec<String, ProductStats> spec = stats;
    String clientId = String.valueOf(config.get(CommonClientConfigs.CLIENT_ID_CONFIG));
    if (spec == null || !clientId.endsWith(PRODUCER_SUFFIX)) {
      // Not a stream thread's producer, or no topology attached: nothing to send.
      return producer;
    }
    return wrap(
        producer,
        clientId.substring(0, clientId.length() - PRODUCER_SUFFIX.length()),
        config.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG) != null,
        topic,
        System::currentTimeMillis);
  }

  /**
   * Wraps the producer of the stream thread called {@code thread}. A new producer for a thread (its
   * first, one after fencing, or a replacement thread's) starts with no counts: those of the
   * producer before it were not committed.
   */
  Producer<byte[], byte[]> wrap(
      Producer<byte[], byte[]> producer,
      String thread,
      boolean transactional,
      String topic,
      LongSupplier clock) {
    StatsCounts counts = threads.computeIfAbsent(thread, t -> new StatsCounts());
    counts.discard();
    TopicSpec<String, ProductStats> spec = stats;
    return new StatsCommittingProducer(
        producer,
        counts,
        topic,
        spec.keySerde().serializer(),
        spec.valueSerde().serializer(),
        listener,
        transactional,
        clock);
  }

  private static Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
