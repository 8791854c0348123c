package dev.meshbone.quality;

import dev.meshbone.events.ProductHealth;
import dev.meshbone.events.QualityAlert;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The topology's events as Micrometer counters (Prometheus names in brackets):
 *
 * <ul>
 *   <li>{@code meshbone.quality.accepted} {@code [meshbone_quality_accepted_total]} by {@code
 *       topic};
 *   <li>{@code meshbone.quality.refused} {@code [meshbone_quality_refused_total]} by {@code topic}
 *       and {@code reason} (a {@link Refusal});
 *   <li>{@code meshbone.quality.status.writes} by {@code state};
 *   <li>{@code meshbone.quality.alerts} by {@code slo} and {@code state} (RAISED, CLEARED).
 * </ul>
 */
@Singleton
public class QualityMetrics implements MonitorListener {
  private final MeterRegistry registry;
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> acceptedByTopic = new ConcurrentHashMap<>();

  public QualityMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void accepted(String topic) {
    // Once per accepted record: looked up by topic alone, no key built.
    acceptedByTopic
        .computeIfAbsent(topic, t -> registry.counter("meshbone.quality.accepted", "topic", t))
        .increment();
  }

  @Override
  public void refused(String topic, Refusal reason, String productId, String detail) {
    counter("meshbone.quality.refused", "topic", topic, "reason", reason.name()).increment();
  }

  @Override
  public void healthWritten(ProductHealth health) {
    counter("meshbone.quality.status.writes", "state", health.getState().name()).increment();
  }

  @Override
  public void alertWritten(QualityAlert alert) {
    counter("meshbone.quality.alerts", "slo", alert.getSlo(), "state", alert.getState().name())
        .increment();
  }

  private Counter counter(String name, String... tags) {
    String key = name + String.join("|", tags);
    return counters.computeIfAbsent(key, k -> registry.counter(name, tags));
  }
}
