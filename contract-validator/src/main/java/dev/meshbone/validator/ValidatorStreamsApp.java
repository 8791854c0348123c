package dev.meshbone.validator;

import dev.meshbone.runtime.StreamsApp;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.TopicSpec;
import dev.meshbone.validator.records.ProductTopicProvisioner;
import dev.meshbone.validator.records.RecordValidationConfig;
import dev.meshbone.validator.records.RecordValidationSettings;
import dev.meshbone.validator.records.ValidationMetrics;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/** contract-validator as the shared runtime runs it. */
@Singleton
public class ValidatorStreamsApp implements StreamsApp {
  private final MeshTopics topics;
  private final RecordValidationSettings records;

  public ValidatorStreamsApp(
      MeshTopics topics,
      RecordValidationConfig recordConfig,
      ProductTopicProvisioner productTopics,
      ValidationMetrics metrics) {
    this.topics = topics;
    this.records =
        new RecordValidationSettings(
            recordConfig.getMaxRecordBytes(),
            recordConfig.getStatsFlushInterval(),
            recordConfig.getStatsEmitInterval(),
            productTopics,
            metrics);
  }

  @Override
  public String name() {
    return "contract-validator";
  }

  @Override
  public String applicationId() {
    return "meshbone-contract-validator";
  }

  @Override
  public Topology topology() {
    return ValidatorTopology.build(topics, records);
  }

  @Override
  public Collection<? extends TopicSpec<?, ?>> topics() {
    return topics.all();
  }

  @Override
  public Map<String, Object> streamsDefaults() {
    return Map.of(
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        StreamsConfig.EXACTLY_ONCE_V2,
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
        20,
        // An idle stream thread waits this long in poll before it commits what it just processed;
        // at the default 100 ms a contract decision took about 115 ms to be committed, at 10 ms 40.
        StreamsConfig.POLL_MS_CONFIG,
        10,
        // Pattern subscriptions (every product's ingest topic, every domain's control topics) see
        // a new topic at the main consumer's next metadata refresh, then rebalance: a new product
        // is picked up within about 10 s, without a restart.
        StreamsConfig.consumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG),
        10_000);
  }
}
