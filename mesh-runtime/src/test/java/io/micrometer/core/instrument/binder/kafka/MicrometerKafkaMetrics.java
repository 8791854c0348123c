package io.micrometer.core.instrument.binder.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Micrometer's own Kafka binder over any metrics map, with its refresh on demand: the reference
 * that {@code dev.meshbone.runtime.KafkaMetersTest} compares meshbone's binder with.
 */
public final class MicrometerKafkaMetrics implements AutoCloseable {
  private final KafkaMetrics binder;
  private final MeterRegistry registry;

  public MicrometerKafkaMetrics(
      Supplier<Map<MetricName, ? extends Metric>> metrics, MeterRegistry registry) {
    this.binder = new KafkaMetrics(metrics);
    this.registry = registry;
    binder.bindTo(registry);
  }

  /** What Micrometer's binder does every minute. */
  public void refresh() {
    binder.checkAndBindMetrics(registry);
  }

  @Override
  public void close() {
    binder.close();
  }
}
