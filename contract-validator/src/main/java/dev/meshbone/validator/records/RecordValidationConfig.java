package dev.meshbone.validator.records;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * Record validation's settings in the service, under {@code meshbone.validator.} (environment
 * variables {@code MESHBONE_VALIDATOR_MAX_RECORD_BYTES}, ...).
 */
@ConfigurationProperties("meshbone.validator")
public class RecordValidationConfig {
  private int maxRecordBytes = RecordValidationSettings.DEFAULT_MAX_RECORD_BYTES;
  private Duration statsFlushInterval = Duration.ofSeconds(1);
  private Duration statsEmitInterval = Duration.ofSeconds(1);
  private Duration provisionInterval = Duration.ofSeconds(2);
  private Duration provisionTimeout = Duration.ofSeconds(30);
  private boolean createProductTopics = true;

  /**
   * The most bytes key and value together may take; bigger records go to the DLQ as TOO_LARGE. Keep
   * it below the topics' max.message.bytes and the producer's max.request.size.
   */
  public int getMaxRecordBytes() {
    return maxRecordBytes;
  }

  public void setMaxRecordBytes(int maxRecordBytes) {
    this.maxRecordBytes = maxRecordBytes;
  }

  /** How often each stream task sends its per-product counts on to be summed. */
  public Duration getStatsFlushInterval() {
    return statsFlushInterval;
  }

  public void setStatsFlushInterval(Duration statsFlushInterval) {
    this.statsFlushInterval = statsFlushInterval;
  }

  /** How often mesh.products.stats gets the totals of the products that changed. */
  public Duration getStatsEmitInterval() {
    return statsEmitInterval;
  }

  public void setStatsEmitInterval(Duration statsEmitInterval) {
    this.statsEmitInterval = statsEmitInterval;
  }

  /** How often the provisioner looks for products and ingest topics whose topics are missing. */
  public Duration getProvisionInterval() {
    return provisionInterval;
  }

  public void setProvisionInterval(Duration provisionInterval) {
    this.provisionInterval = provisionInterval;
  }

  /** How long a stream thread waits for a new product's output topics before retrying later. */
  public Duration getProvisionTimeout() {
    return provisionTimeout;
  }

  public void setProvisionTimeout(Duration provisionTimeout) {
    this.provisionTimeout = provisionTimeout;
  }

  /**
   * Whether the validator creates each declared product's ingest, validated and dead-letter topics
   * (true, the default), whatever {@code meshbone.create-topics} says: that setting is about the
   * mesh's own topics, which an operator can declare ahead (KafkaTopic resources), while products
   * are declared at run time through Kafka. False leaves product topics to an operator, and a new
   * product's records wait in its ingest topic until they exist.
   */
  public boolean isCreateProductTopics() {
    return createProductTopics;
  }

  public void setCreateProductTopics(boolean createProductTopics) {
    this.createProductTopics = createProductTopics;
  }
}
