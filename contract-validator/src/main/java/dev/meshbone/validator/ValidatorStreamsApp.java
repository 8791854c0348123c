package dev.meshbone.validator;

import dev.meshbone.runtime.StreamsApp;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.TopicSpec;
import dev.meshbone.validator.control.ControlConfig;
import dev.meshbone.validator.control.ControlMetrics;
import dev.meshbone.validator.control.ControlSettings;
import dev.meshbone.validator.records.ProductTopicProvisioner;
import dev.meshbone.validator.records.RecordValidationConfig;
import dev.meshbone.validator.records.RecordValidationSettings;
import dev.meshbone.validator.records.ValidationMetrics;
import io.micronaut.context.env.Environment;
import io.micronaut.core.value.PropertyResolver;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** contract-validator as the shared runtime runs it. */
@Singleton
public class ValidatorStreamsApp implements StreamsApp {
  /** The default {@code application.id}; {@code kafka.streams.application.id} overrides it. */
  public static final String APPLICATION_ID = "meshbone-contract-validator";

  private static final Logger LOG = LoggerFactory.getLogger(ValidatorStreamsApp.class);
  private final MeshTopics topics;
  private final RecordValidationSettings records;
  private final ControlSettings control;

  public ValidatorStreamsApp(
      MeshTopics topics,
      RecordValidationConfig recordConfig,
      ControlConfig controlConfig,
      Environment environment,
      ProductTopicProvisioner productTopics,
      ValidationMetrics metrics,
      ControlMetrics controlMetrics) {
    this.topics = topics;
    this.control = controlSettings(controlConfig, environment).withListener(controlMetrics);
    this.records =
        new RecordValidationSettings(
            recordConfig.getMaxRecordBytes(),
            recordConfig.getStatsFlushInterval(),
            recordConfig.getStatsEmitInterval(),
            productTopics,
            metrics);
  }

  /**
   * The control settings under {@code meshbone.validator.control.}, or else their deprecated {@code
   * kafka.streams.meshbone.control.*} names (with a warning), or else the defaults.
   */
  static ControlSettings controlSettings(ControlConfig config, PropertyResolver properties) {
    var legacy = new HashMap<String, Object>();
    for (String name :
        List.of(
            ControlSettings.LEGACY_MAX_CLOCK_SKEW_MS_CONFIG,
            ControlSettings.LEGACY_REMEMBERED_EVENT_IDS_CONFIG)) {
      properties
          .getProperty(name, String.class)
          .ifPresent(
              value -> {
                LOG.warn(
                    "{} is deprecated; set {} instead",
                    name,
                    name.contains("skew")
                        ? ControlSettings.MAX_CLOCK_SKEW_CONFIG + " (a duration, e.g. 5m)"
                        : ControlSettings.REMEMBERED_EVENT_IDS_CONFIG);
                legacy.put(name, value);
              });
    }
    return ControlSettings.resolve(
        config.getMaxClockSkew(), config.getRememberedEventIds(), legacy);
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
    return ValidatorTopology.build(topics, records, control);
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
