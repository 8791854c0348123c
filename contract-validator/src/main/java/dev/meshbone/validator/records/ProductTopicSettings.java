package dev.meshbone.validator.records;

import dev.meshbone.topics.DomainTopics;
import java.time.Duration;

/**
 * How {@link ProductTopicProvisioner} makes declared products' topics exist, under {@code
 * meshbone.validator.} ({@link RecordValidationConfig} binds them; defaults in {@link #DEFAULTS}).
 *
 * @param provisionInterval {@code provision-interval} (2 s): how often the provisioner looks for
 *     products and ingest topics whose topics are missing
 * @param provisionTimeout {@code provision-timeout} (30 s): how long a stream thread waits for a
 *     new product's output topics before retrying later; also how long the provisioner counts a
 *     topic it made as existing before the broker shows it
 * @param pickupInterval {@code pickup-interval} (1 s): the least time between two prompt pickups of
 *     new ingest topics by record validation ({@link NewProductPickup}: each is a rebalance, so
 *     products declared in bulk are picked up together: a new ingest topic after a calm goes at
 *     once, topics appearing one after the other wait until none appeared for half an interval, at
 *     most five intervals, see {@link PickupSchedule}); zero turns prompt pickup off, and new
 *     ingest topics are seen at the stream threads' next metadata refresh
 * @param createProductTopics {@code create-product-topics} (true): whether the validator creates
 *     each declared product's ingest, validated and dead-letter topics, whatever {@code
 *     meshbone.create-topics} says: that setting is about the mesh's own topics, which an operator
 *     can declare ahead (KafkaTopic resources), while products are declared at run time through
 *     Kafka. False leaves product topics to an operator, and a new product's records wait in its
 *     ingest topic until they exist.
 * @param productPartitions {@code product-partitions} (3, {@link
 *     DomainTopics#DEFAULT_PRODUCT_PARTITIONS}): the partitions of each topic the provisioner
 *     creates for a declared product whose ingest topic does not exist yet (the outputs of an
 *     ingest topic a domain created follow its count). Each partition is a log the broker keeps
 *     open (a file handle, two memory-mapped indexes) and recovers after a crash; on a one-broker
 *     mesh with one stream thread more than one partition a product buys no parallelism.
 */
public record ProductTopicSettings(
    Duration provisionInterval,
    Duration provisionTimeout,
    Duration pickupInterval,
    boolean createProductTopics,
    int productPartitions) {
  /** The defaults, the one place they are written. */
  public static final ProductTopicSettings DEFAULTS =
      new ProductTopicSettings(
          Duration.ofSeconds(2),
          Duration.ofSeconds(30),
          Duration.ofSeconds(1),
          true,
          DomainTopics.DEFAULT_PRODUCT_PARTITIONS);

  public ProductTopicSettings {
    positive("provision-interval", provisionInterval);
    positive("provision-timeout", provisionTimeout);
    if (pickupInterval == null || pickupInterval.isNegative()) {
      throw new IllegalArgumentException(
          "meshbone.validator.pickup-interval must be zero or positive, not " + pickupInterval);
    }
    if (productPartitions < 1) {
      throw new IllegalArgumentException(
          "meshbone.validator.product-partitions must be at least 1, not " + productPartitions);
    }
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(
          "meshbone.validator." + name + " must be positive, not " + d);
    }
  }
}
