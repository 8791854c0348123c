package dev.meshbone.validator.records;

import dev.meshbone.topics.ProductId;

/**
 * Makes sure a product's validated and dead-letter topics exist before record validation writes to
 * them: a send to a missing topic would block the stream thread, then fail its task. Called from a
 * stream thread the first time it sees an ingest topic, so it must be quick when the topics are
 * already there.
 */
@FunctionalInterface
public interface OutputTopics {
  /** For tests and setups where something else has created every product's topics. */
  OutputTopics ASSUME_PRESENT = product -> {};

  /**
   * Returns once {@code <id>} and {@code <id>.dlq} exist.
   *
   * @throws org.apache.kafka.common.errors.TimeoutException if they cannot be made to exist in
   *     time; Kafka Streams then retries the task later, so no record is lost or skipped
   */
  void ensureOutputs(ProductId product);
}
