package dev.meshbone.validator.records;

import dev.meshbone.events.ProductStats;
import dev.meshbone.topics.ProductId;

/**
 * Told of record validation's counts, for metrics: with {@link StatsCommits}, the counts of each
 * transaction a stream thread commits, once it committed (under at-least-once, once flushed);
 * without it, each task's counts every {@code statsFlushInterval}. Called on a stream thread:
 * implementations must be quick and thread-safe. They are this instance's figures and start at zero
 * with it; {@code mesh.products.stats} is the record across instances and restarts.
 */
@FunctionalInterface
public interface ValidationListener {
  ValidationListener NONE = (product, delta) -> {};

  /**
   * @param delta the counts since the previous commit of this stream thread (or flush of this
   *     task): valid, invalid by reason, and the latest record times
   */
  void onCounts(ProductId product, ProductStats delta);
}
