package dev.meshbone.validator.records;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Binds record validation's settings under {@code meshbone.validator.} (environment variables
 * {@code MESHBONE_VALIDATOR_MAX_RECORD_BYTES}, ...) and maps them once to {@link
 * RecordValidationSettings} and {@link ProductTopicSettings}; unset properties keep their {@code
 * DEFAULTS}.
 */
@ConfigurationProperties("meshbone.validator")
public class RecordValidationConfig {
  private int maxRecordBytes = RecordValidationSettings.DEFAULTS.maxRecordBytes();
  private Duration statsFlushInterval = RecordValidationSettings.DEFAULTS.statsFlushInterval();
  private Duration statsEmitInterval = RecordValidationSettings.DEFAULTS.statsEmitInterval();
  private Duration provisionInterval = ProductTopicSettings.DEFAULTS.provisionInterval();
  private Duration provisionTimeout = ProductTopicSettings.DEFAULTS.provisionTimeout();
  private Duration pickupInterval = ProductTopicSettings.DEFAULTS.pickupInterval();
  private boolean createProductTopics = ProductTopicSettings.DEFAULTS.createProductTopics();
  private int productPartitions = ProductTopicSettings.DEFAULTS.productPartitions();
  private RecordPath recordPath = RecordPath.DEFAULT;

  /** {@code loop} or {@code streams} (see {@link RecordPath}). */
  public void setRecordPath(String recordPath) {
    this.recordPath = RecordPath.parse(recordPath);
  }

  public void setMaxRecordBytes(int maxRecordBytes) {
    this.maxRecordBytes = maxRecordBytes;
  }

  public void setStatsFlushInterval(Duration statsFlushInterval) {
    this.statsFlushInterval = statsFlushInterval;
  }

  public void setStatsEmitInterval(Duration statsEmitInterval) {
    this.statsEmitInterval = statsEmitInterval;
  }

  public void setProvisionInterval(Duration provisionInterval) {
    this.provisionInterval = provisionInterval;
  }

  public void setPickupInterval(Duration pickupInterval) {
    this.pickupInterval = pickupInterval;
  }

  public void setProvisionTimeout(Duration provisionTimeout) {
    this.provisionTimeout = provisionTimeout;
  }

  public void setCreateProductTopics(boolean createProductTopics) {
    this.createProductTopics = createProductTopics;
  }

  public void setProductPartitions(int productPartitions) {
    this.productPartitions = productPartitions;
  }

  /** Record validation's settings, checked; topics assumed present and no listener. */
  public RecordValidationSettings toSettings() {
    return RecordValidationSettings.DEFAULTS
        .withMaxRecordBytes(maxRecordBytes)
        .withStatsIntervals(statsFlushInterval, statsEmitInterval);
  }

  /** The product topic provisioner's settings, checked. */
  public ProductTopicSettings toProductTopicSettings() {
    return new ProductTopicSettings(
        provisionInterval,
        provisionTimeout,
        pickupInterval,
        createProductTopics,
        productPartitions);
  }

  @Factory
  static class SettingsFactory {
    @Singleton
    RecordValidationSettings recordValidationSettings(RecordValidationConfig config) {
      return config.toSettings();
    }

    @Singleton
    RecordPath recordPath(RecordValidationConfig config) {
      return config.recordPath;
    }

    @Singleton
    ProductTopicSettings productTopicSettings(RecordValidationConfig config) {
      return config.toProductTopicSettings();
    }
  }
}
