package dev.meshbone.runtime;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's own metrics of a client or a Kafka Streams instance as Micrometer meters: the same meters
 * (names, tags, counter or gauge) as Micrometer 1.15's {@code KafkaClientMetrics} and {@code
 * KafkaStreamsMetrics}, so {@code /prometheus} reads the same, but bound in linear time.
 *
 * <p>Micrometer's binder, whenever the set of Kafka metrics changes (each new partition adds
 * per-partition metrics such as {@code records-lag}), compares every metric with every registered
 * meter of its name: quadratic in the partitions, a third of a service's CPU while products were
 * onboarded. This one re-binds only when the set of metric names changed, groups the metrics by
 * meter name in one pass, registers the new ones and removes the vanished ones.
 *
 * <p>The rules are Micrometer's: meter name {@code kafka.<group>.<name>} without {@code -metrics},
 * dashes turned to dots in names and tag keys; a {@code kafka.version} tag; metrics of the {@code
 * app-info} and {@code kafka-metrics-count} groups and those whose value is not a number skipped
 * (but {@code app-info}'s {@code start-time-ms} bound at {@link #bindTo}); a function counter for a
 * cumulative sum or count (or, for a metric that is no measurable, a name ending in {@code total}),
 * else a gauge; and among the meters of one name only those with the most tags kept, since
 * Prometheus wants one label set per name (Kafka has, e.g., a client-wide and a per-partition
 * {@code records-lag-max}). Values are read through the latest metrics map, like Micrometer's.
 *
 * <p>One difference, on purpose: Kafka Streams tags a state store's metrics with a key naming the
 * store's kind ({@code rocksdb-state-id}, {@code in-memory-state-id}, ...), so one meter name (say
 * {@code kafka.stream.state.put.rate}) had as many label sets as kinds of store, and Prometheus
 * refused all but the first kind's meters, with a warning at every start. Here such a tag is {@code
 * state.id}, with the kind in {@code store.type} ({@code rocksdb}, {@code in-memory}, ...): one
 * label set, every store's meters.
 *
 * <p>The metrics are checked at {@link #bindTo} and then every {@value #REFRESH_SECONDS} s on one
 * daemon thread that all bindings share. {@link #close} stops that and removes the meters.
 */
public final class KafkaMeters implements MeterBinder, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaMeters.class);
  static final long REFRESH_SECONDS = 60;
  private static final String APP_INFO = "app-info";
  private static final String METRICS_COUNT = "kafka-metrics-count";
  private static final String VERSION_TAG = "kafka.version";
  private static final String STATE_GROUP = "stream-state-metrics";
  private static final String STATE_ID = "-state-id";

  private static final ScheduledThreadPoolExecutor SCHEDULER = scheduler();

  private final Supplier<Map<MetricName, ? extends Metric>> metricsSupplier;
  private final AtomicReference<Map<MetricName, ? extends Metric>> metrics =
      new AtomicReference<>(Map.of());

  // Guarded by this.
  private MeterRegistry registry;
  private List<Tag> commonTags = List.of();
  private String kafkaVersion = "unknown";
  private Set<MetricName> boundNames = Set.of();
  private final Set<Meter.Id> registered = new HashSet<>();
  private ScheduledFuture<?> refresher;
  private boolean closed;
  private boolean warnedOnce;

  public KafkaMeters(Supplier<Map<MetricName, ? extends Metric>> metrics) {
    this.metricsSupplier = metrics;
  }

  /** A binding of {@code metrics} to {@code registry}, bound already; close it with the client. */
  public static KafkaMeters bind(
      Supplier<Map<MetricName, ? extends Metric>> metrics, MeterRegistry registry) {
    var binding = new KafkaMeters(metrics);
    binding.bindTo(registry);
    return binding;
  }

  private static ScheduledThreadPoolExecutor scheduler() {
    var executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "meshbone-kafka-meters");
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    if (this.registry != null) {
      throw new IllegalStateException("already bound");
    }
    this.registry = registry;
    this.commonTags = commonTags(registry);
    Map<MetricName, ? extends Metric> current = metricsSupplier.get();
    metrics.set(current);
    MetricName startTime = null;
    for (var e : current.entrySet()) {
      MetricName name = e.getKey();
      if (APP_INFO.equals(name.group())) {
        if ("version".equals(name.name())) {
          kafkaVersion = (String) e.getValue().metricValue();
        } else if ("start-time-ms".equals(name.name())) {
          startTime = name;
        }
      }
    }
    if (startTime != null) {
      Metric metric = current.get(startTime);
      registered.add(register(metric, meterName(startTime), ownTags(startTime)).getId());
    }
    refresh();
    refresher =
        SCHEDULER.scheduleAtFixedRate(
            this::refresh, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * The registry's common tags: what a meter registered without tags gets (Micrometer has no API
   * for them, and its binder finds them the same way).
   */
  private static List<Tag> commonTags(MeterRegistry registry) {
    Meter.Id id =
        Meter.builder("delete.this", Meter.Type.OTHER, List.of()).register(registry).getId();
    registry.remove(id);
    return id.getTags();
  }

  /** Re-reads the metrics; binds new ones and unbinds vanished ones if the set changed. */
  synchronized void refresh() {
    if (closed || registry == null) {
      return;
    }
    try {
      Map<MetricName, ? extends Metric> current = metricsSupplier.get();
      metrics.set(current);
      if (boundNames.equals(current.keySet())) {
        return;
      }
      for (MetricName gone : boundNames) {
        if (!current.containsKey(gone)) {
          Meter.Id id = fullId(gone);
          registry.remove(id);
          registered.remove(id);
        }
      }
      boundNames = new HashSet<>(current.keySet());
      bindAll(current);
    } catch (RuntimeException e) {
      LOG.warn("Failed to bind Kafka metrics", e);
    }
  }

  private record Candidate(MetricName name, Metric metric, List<Tag> tags, Meter.Id id) {}

  private void bindAll(Map<MetricName, ? extends Metric> current) {
    // The metrics to bind, by meter name, with the most tags any of them has.
    Map<String, List<Candidate>> byMeter = new HashMap<>();
    Map<String, Integer> mostTags = new HashMap<>();
    current.forEach(
        (name, metric) -> {
          if (!(metric.metricValue() instanceof Number)
              || APP_INFO.equals(name.group())
              || METRICS_COUNT.equals(name.group())) {
            return;
          }
          String meterName = meterName(name);
          List<Tag> tags = ownTags(name);
          var candidate = new Candidate(name, metric, tags, fullId(meterName, tags));
          byMeter.computeIfAbsent(meterName, k -> new ArrayList<>()).add(candidate);
          mostTags.merge(meterName, tagCount(tags), Math::max);
        });
    // The meters already registered under those names (this binding's or any other's): those with
    // fewer tags than a metric to bind go; metrics with fewer tags than one of them are not bound.
    Map<String, List<Meter.Id>> existing = new HashMap<>();
    Map<String, Integer> mostRegistered = new HashMap<>();
    for (Meter meter : registry.getMeters()) {
      Meter.Id id = meter.getId();
      if (mostTags.containsKey(id.getName())) {
        existing.computeIfAbsent(id.getName(), k -> new ArrayList<>()).add(id);
        mostRegistered.merge(id.getName(), id.getTags().size(), Math::max);
      }
    }
    byMeter.forEach(
        (meterName, candidates) -> {
          int mostToBind = mostTags.get(meterName);
          int most = Math.max(mostToBind, mostRegistered.getOrDefault(meterName, 0));
          Set<Meter.Id> present = new HashSet<>();
          for (Meter.Id id : existing.getOrDefault(meterName, List.of())) {
            if (id.getTags().size() < mostToBind) {
              registry.remove(id);
              registered.remove(id);
            } else {
              present.add(id);
            }
          }
          for (Candidate c : candidates) {
            if (tagCount(c.tags()) == most && !present.contains(c.id())) {
              bind(c, meterName);
            }
          }
        });
  }

  private void bind(Candidate c, String meterName) {
    try {
      registered.add(register(c.metric(), meterName, c.tags()).getId());
    } catch (RuntimeException e) {
      // Once at WARN, then at DEBUG: a meter that cannot register fails again at every change.
      if (warnedOnce) {
        LOG.debug("Failed to bind meter {} {}", meterName, c.tags(), e);
      } else {
        warnedOnce = true;
        LOG.warn("Failed to bind meter {} {} (later failures at DEBUG)", meterName, c.tags(), e);
      }
    }
  }

  private Meter register(Metric metric, String meterName, List<Tag> tags) {
    MetricName name = metric.metricName();
    if (isCounter(metric, meterName)) {
      return FunctionCounter.builder(meterName, metrics, m -> value(m, name))
          .tags(tags)
          .description(name.description())
          .register(registry);
    }
    return Gauge.builder(meterName, metrics, m -> value(m, name))
        .tags(tags)
        .description(name.description())
        .register(registry);
  }

  private static double value(
      AtomicReference<Map<MetricName, ? extends Metric>> metrics, MetricName name) {
    Metric metric = metrics.get().get(name);
    return metric != null && metric.metricValue() instanceof Number n
        ? n.doubleValue()
        : Double.NaN;
  }

  /**
   * Micrometer's rule: a cumulative sum or count counts; a metric that is no measurable by name.
   */
  static boolean isCounter(Metric metric, String meterName) {
    if (metric instanceof KafkaMetric km && km.isMeasurable()) {
      Class<?> type = km.measurable().getClass();
      return type == CumulativeSum.class || type == CumulativeCount.class;
    }
    return meterName.endsWith("total");
  }

  static String meterName(MetricName name) {
    return ("kafka." + name.group() + "." + name.name()).replace("-metrics", "").replace('-', '.');
  }

  /** The metric's tags and {@code kafka.version}, without the registry's common tags. */
  private List<Tag> ownTags(MetricName name) {
    List<Tag> tags = new ArrayList<>(name.tags().size() + 2);
    boolean state = STATE_GROUP.equals(name.group());
    name.tags()
        .forEach(
            (key, value) -> {
              if (state && key.endsWith(STATE_ID) && key.length() > STATE_ID.length()) {
                tags.add(Tag.of("state.id", value));
                tags.add(Tag.of("store.type", key.substring(0, key.length() - STATE_ID.length())));
              } else {
                tags.add(Tag.of(key.replace('-', '.'), value));
              }
            });
    tags.add(Tag.of(VERSION_TAG, kafkaVersion));
    return tags;
  }

  /** How many tags Micrometer counts for a meter: its own and the registry's common ones. */
  private int tagCount(List<Tag> ownTags) {
    return ownTags.size() + commonTags.size();
  }

  private Meter.Id fullId(MetricName name) {
    return fullId(meterName(name), ownTags(name));
  }

  /** The id the registry gives a meter: its own tags over the common ones. */
  private Meter.Id fullId(String meterName, List<Tag> ownTags) {
    return new Meter.Id(meterName, Tags.of(commonTags).and(ownTags), null, null, Meter.Type.OTHER);
  }

  /** Stops refreshing and removes the meters this binding registered. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (refresher != null) {
      refresher.cancel(false);
    }
    if (registry != null) {
      registered.forEach(registry::remove);
      registered.clear();
    }
  }
}
