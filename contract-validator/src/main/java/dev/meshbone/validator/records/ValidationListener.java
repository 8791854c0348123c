package dev.meshbone.validator.records;

import dev.meshbone.events.ProductStats;
import dev.meshbone.topics.ProductId;

/**
 * Told of the counts record validation flushes (a few times a second, per product with records
 * since the last flush), for metrics. Called on a stream thread: implementations must be quick and
 * thread-safe. The counts are those of processing, which exactly-once may repeat after a crash;
 * {@code mesh.products.stats} is the exact record.
 */
@FunctionalInterface
public interface ValidationListener {
  ValidationListener NONE = (product, delta) -> {};

  /**
   * @param delta the counts since the previous flush of this stream task: valid, invalid by reason,
   *     and the latest record times
   */
  void onCounts(ProductId product, ProductStats delta);
}
