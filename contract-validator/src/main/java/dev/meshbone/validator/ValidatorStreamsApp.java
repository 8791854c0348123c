package dev.meshbone.validator;

import dev.meshbone.runtime.StreamsApp;
import dev.meshbone.runtime.StreamsCompanion;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.TopicSpec;
import dev.meshbone.validator.control.ControlMetrics;
import dev.meshbone.validator.control.ControlSettings;
import dev.meshbone.validator.records.ContractCatalog;
import dev.meshbone.validator.records.NewProductPickup;
import dev.meshbone.validator.records.ProductTopicProvisioner;
import dev.meshbone.validator.records.RecordLoop;
import dev.meshbone.validator.records.RecordPath;
import dev.meshbone.validator.records.RecordValidationSettings;
import dev.meshbone.validator.records.StatsCommits;
import dev.meshbone.validator.records.ValidationMetrics;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/** contract-validator as the shared runtime runs it. */
@Singleton
public class ValidatorStreamsApp implements StreamsApp {
  /** The default {@code application.id}; {@code kafka.streams.application.id} overrides it. */
  public static final String APPLICATION_ID = "meshbone-contract-validator";

  /**
   * The validator's own Streams settings, which {@code kafka.streams.*} overrides; public so the
   * TopologyTestDriver tests run with them too ({@code MeshStreams.streamsConfig}).
   */
  public static final Map<String, Object> STREAMS_DEFAULTS =
      Map.of(
          StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
          StreamsConfig.EXACTLY_ONCE_V2,
          StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
          20,
          // An idle stream thread waits this long in poll before it commits what it just
          // processed; at the default 100 ms a contract decision took about 115 ms to be
          // committed, at 10 ms 40. (Contract decisions now ask for their commit at once.)
          StreamsConfig.POLL_MS_CONFIG,
          10,
          // A task takes whatever it has fetched instead of waiting for the partitions it has not
          // (Kafka Streams' default, 0, holds a task while any partition has records on the broker
          // not fetched yet). A record-validation task reads partition p of every product's ingest
          // topic: with 1,000 products one product's fetch held the rest, and each record cost a
          // pass over every empty partition (Streams formats a log line for each, logged or not).
          // Records of different products have no order between them; the control check's best
          // effort order of a product's events and its quality events is in ControlEvents.
          StreamsConfig.MAX_TASK_IDLE_MS_CONFIG,
          -1L,
          // Pattern subscriptions (every product's ingest topic, every domain's control topics)
          // see a new topic at the main consumer's next metadata refresh, then rebalance: a new
          // product is picked up within about 10 s, without a restart. A declared product's
          // ingest topic is picked up at once (NewProductPickup); this is the fallback.
          StreamsConfig.consumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG),
          10_000);

  private final MeshTopics topics;
  private final RecordValidationSettings records;
  private final ControlSettings control;
  private final NewProductPickup pickup;
  // Each stream thread's producer commits the per-product counts with the records they count.
  private final StatsCommits statsCommits = new StatsCommits();
  private final RecordPath recordPath;
  // With the record loop: the catalog the topology's global stores fill for it.
  private volatile ContractCatalog loopCatalog;

  public ValidatorStreamsApp(
      MeshTopics topics,
      RecordValidationSettings records,
      ControlSettings control,
      ProductTopicProvisioner productTopics,
      NewProductPickup pickup,
      ValidationMetrics metrics,
      ControlMetrics controlMetrics,
      RecordPath recordPath) {
    this.topics = topics;
    this.recordPath = recordPath;
    this.pickup = pickup;
    this.control = control.withListener(controlMetrics);
    this.records =
        records
            .withOutputTopics(productTopics)
            .withListener(metrics)
            .withStatsCommits(statsCommits);
  }

  @Override
  public String name() {
    return "contract-validator";
  }

  @Override
  public String applicationId() {
    return APPLICATION_ID;
  }

  @Override
  public Topology topology() {
    return topology(APPLICATION_ID);
  }

  @Override
  public Topology topology(String applicationId) {
    if (recordPath == RecordPath.STREAMS) {
      return ValidatorTopology.build(topics, records, control);
    }
    var forLoop =
        ValidatorTopology.buildForLoop(
            topics, records, control, RecordLoop.countsTopic(applicationId));
    loopCatalog = forLoop.catalog();
    return forLoop.topology();
  }

  @Override
  public Collection<? extends TopicSpec<?, ?>> ownTopics(String applicationId) {
    return recordPath == RecordPath.LOOP
        ? List.of(RecordLoop.countsTopicSpec(applicationId, topics.productStats))
        : List.of();
  }

  @Override
  public Optional<StreamsCompanion> companion(
      String applicationId, Properties streamsConfig, KafkaStreams streams) {
    if (recordPath == RecordPath.STREAMS) {
      return Optional.empty();
    }
    return Optional.of(
        RecordLoop.forStreams(
            applicationId,
            streamsConfig,
            pickup::getConsumer,
            topics.productStats,
            loopCatalog,
            records,
            () ->
                switch (streams.state()) {
                  case ERROR, PENDING_ERROR, NOT_RUNNING -> false;
                  default -> true;
                }));
  }

  @Override
  public Optional<KafkaClientSupplier> clientSupplier(String applicationId) {
    KafkaClientSupplier stats = statsCommits.clientSupplier(applicationId);
    // On the Streams path: producers that commit the counts with the records, main consumers that
    // rebalance as soon as a new product's ingest topic exists. With the record loop the producers
    // have no counts to send (nothing attached them) and the consumers are plain.
    return Optional.of(
        new KafkaClientSupplier() {
          @Override
          public Admin getAdmin(Map<String, Object> config) {
            return stats.getAdmin(config);
          }

          @Override
          public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
            return stats.getProducer(config);
          }

          @Override
          public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
            // With the record loop the topology reads no ingest topic: a new one is the loop's
            // consumer's to rebalance for, not the stream threads'.
            return recordPath == RecordPath.STREAMS
                ? pickup.getConsumer(config)
                : pickup.getRestoreConsumer(config);
          }

          @Override
          public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
            return pickup.getRestoreConsumer(config);
          }

          @Override
          public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
            return pickup.getGlobalConsumer(config);
          }
        });
  }

  @Override
  public Collection<? extends TopicSpec<?, ?>> topics() {
    return topics.all();
  }

  @Override
  public Map<String, Object> streamsDefaults() {
    return STREAMS_DEFAULTS;
  }
}
