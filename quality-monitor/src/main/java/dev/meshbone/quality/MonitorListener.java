package dev.meshbone.quality;

import dev.meshbone.events.ProductHealth;
import dev.meshbone.events.QualityAlert;

/**
 * What the topology tells the world beside its output topics: input accepted or refused (with the
 * reason), health written, alerts raised and cleared. The service counts these as metrics; tests
 * count them in memory. Called on stream threads: implementations must be thread-safe and quick.
 */
public interface MonitorListener {
  /** A listener that ignores everything. */
  MonitorListener NONE = new MonitorListener() {};

  /** A record of {@code topic} was accepted. */
  default void accepted(String topic) {}

  /**
   * A record of {@code topic} was refused.
   *
   * @param productId the product it was about, if known (else null)
   * @param detail what exactly was wrong, for the log
   */
  default void refused(String topic, Refusal reason, String productId, String detail) {}

  /** A product's health was written to {@code mesh.quality.status}. */
  default void healthWritten(ProductHealth health) {}

  /** An alert was written to {@code mesh.quality.alerts}. */
  default void alertWritten(QualityAlert alert) {}
}
