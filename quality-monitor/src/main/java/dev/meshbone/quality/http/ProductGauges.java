package dev.meshbone.quality.http;

import dev.meshbone.events.HealthState;
import dev.meshbone.quality.QualitySettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-product gauges for Prometheus, tagged {@code product} and {@code domain}:
 *
 * <ul>
 *   <li>{@code meshbone_quality_product_state{state="..."}}: 1 for the product's current state, 0
 *       for the others (one series per state);
 *   <li>{@code meshbone_quality_product_pass_rate}, {@code _volume}, {@code _rejection_rate}: the
 *       figures (NaN while unknown);
 *   <li>{@code meshbone_quality_product_staleness_seconds}: time since the last successful update,
 *       live at scrape time;
 *   <li>{@code meshbone_quality_products{state}}: how many of this instance's products are in each
 *       state.
 * </ul>
 *
 * <p>Each instance exports the products whose partitions it holds, read from its local state every
 * {@code meshbone.quality.metrics-refresh}, so across instances each product is exported once (by
 * its current owner) and {@code sum by (state)} over instances is the whole mesh.
 */
@Singleton
public class ProductGauges {
  private static final Logger LOG = LoggerFactory.getLogger(ProductGauges.class);

  private final MeterRegistry registry;
  private final HealthQueries queries;
  private final QualitySettings settings;
  private final Map<String, HealthView> current = new ConcurrentHashMap<>();
  private final Map<String, List<Meter>> meters = new HashMap<>();
  private final Map<String, Long> byState = new ConcurrentHashMap<>();
  private ScheduledExecutorService scheduler;

  public ProductGauges(MeterRegistry registry, HealthQueries queries, QualitySettings settings) {
    this.registry = registry;
    this.queries = queries;
    this.settings = settings;
    for (HealthState s : HealthState.values()) {
      byState.put(s.name(), 0L);
      Gauge.builder("meshbone.quality.products", byState, m -> m.getOrDefault(s.name(), 0L))
          .tag("state", s.name())
          .description("products of this instance in each health state")
          .register(registry);
    }
  }

  @EventListener
  void onStartup(StartupEvent event) {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              var t = new Thread(r, "quality-gauges");
              t.setDaemon(true);
              return t;
            });
    long period = settings.metricsRefresh().toMillis();
    scheduler.scheduleWithFixedDelay(this::refreshQuietly, period, period, TimeUnit.MILLISECONDS);
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      LOG.debug("gauges not refreshed: {}", e.getMessage()); // starting or rebalancing
    }
  }

  /** Reads the local products and (un)registers their gauges. */
  synchronized void refresh() {
    var seen = new HashMap<String, HealthView>();
    for (HealthView view : queries.localAll(null, null)) {
      seen.put(view.productId(), view);
    }
    current.putAll(seen);
    for (String id : new ArrayList<>(meters.keySet())) {
      if (!seen.containsKey(id)) {
        meters.remove(id).forEach(registry::remove);
        current.remove(id);
      }
    }
    for (String id : seen.keySet()) {
      meters.computeIfAbsent(id, this::register);
    }
    var counts = new HashMap<String, Long>();
    for (HealthState s : HealthState.values()) {
      counts.put(s.name(), 0L);
    }
    seen.values().forEach(v -> counts.merge(v.state(), 1L, Long::sum));
    byState.putAll(counts);
  }

  private List<Meter> register(String id) {
    HealthView first = current.get(id);
    Tags tags = Tags.of("product", id, "domain", first.domain());
    var list = new ArrayList<Meter>();
    for (HealthState s : HealthState.values()) {
      list.add(
          Gauge.builder(
                  "meshbone.quality.product.state",
                  current,
                  m -> m.containsKey(id) && m.get(id).state().equals(s.name()) ? 1 : 0)
              .tags(tags.and("state", s.name()))
              .description("1 for the product's current health state")
              .register(registry));
    }
    list.add(
        Gauge.builder("meshbone.quality.product.pass.rate", current, m -> figure(m, id, "pass"))
            .tags(tags)
            .register(registry));
    list.add(
        Gauge.builder("meshbone.quality.product.volume", current, m -> figure(m, id, "volume"))
            .tags(tags)
            .register(registry));
    list.add(
        Gauge.builder(
                "meshbone.quality.product.rejection.rate", current, m -> figure(m, id, "reject"))
            .tags(tags)
            .register(registry));
    list.add(
        Gauge.builder(
                "meshbone.quality.product.staleness.seconds", current, m -> figure(m, id, "stale"))
            .tags(tags)
            .register(registry));
    return list;
  }

  private static double figure(Map<String, HealthView> m, String id, String which) {
    HealthView v = m.get(id);
    if (v == null) {
      return Double.NaN;
    }
    Number n =
        switch (which) {
          case "pass" -> v.passRate();
          case "volume" -> v.volume();
          case "reject" -> v.rejectionRate();
          default ->
              v.lastUpdateAt() == null
                  ? null
                  : (System.currentTimeMillis() - Instant.parse(v.lastUpdateAt()).toEpochMilli())
                      / 1000.0;
        };
    return n == null ? Double.NaN : n.doubleValue();
  }

  @PreDestroy
  void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}
