package dev.meshbone.quality;

import dev.meshbone.events.ProductHealth;
import dev.meshbone.quality.internal.MonitorProcessor;
import dev.meshbone.quality.internal.MonitorProcessor.Input;
import dev.meshbone.quality.internal.StateSerdes;
import dev.meshbone.quality.state.MonitorState;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.TopicSpec;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The quality monitor's topology: per product, windowed SLO figures, health and alerts.
 *
 * <p>Inputs, all keyed by product id and co-partitioned (one partition count, see {@link
 * MeshTopics}), so one task holds everything about a product and no repartition is needed:
 *
 * <ul>
 *   <li>{@code mesh.products}: which products exist and their service levels; RETIRED (or deleted)
 *       products stop being monitored (their alerts clear, their status is deleted).
 *   <li>{@code mesh.quality}: the domains' validated quality events; pass rate per check and
 *       overall over hopping windows in event time ({@code occurredAt}) with a grace period.
 *   <li>{@code mesh.products.stats}: the validator's cumulative counts; their deltas give volume
 *       and rejection rate in the same windows, {@code lastValidAt} a successful update.
 *   <li>{@code mesh.issues}: mesh-registry's decisions on product issues; an issue OPEN for longer
 *       than its severity's response SLO ({@link ResponseSlos}) breaches the product's {@code
 *       response} SLO.
 * </ul>
 *
 * <p>Outputs: {@code mesh.quality.status} (compacted), a {@link ProductHealth} each time what it
 * says changes (state, reasons or figures; timestamps alone are no change), a tombstone when a
 * product is retired; {@code mesh.quality.alerts}, a {@code QualityAlert} RAISED and CLEARED per
 * SLO, with hysteresis. Every product is evaluated again on wall-clock punctuation, so a silent
 * product turns STALE without any new event.
 *
 * <p>Bad input (undecodable bytes, null keys or values, invalid or mismatching product ids, unknown
 * or retired products, timestamps far ahead, events later than the grace period, NaN or negative
 * values) is refused with a {@link Refusal} reported to the {@link MonitorListener} and logged; the
 * stream goes on.
 *
 * <p>Stream time, which moves the windows, is the largest event time accepted in the task (its
 * partition), kept in {@value #STREAM_TIME_STORE} so it survives restarts.
 */
public final class QualityTopology {
  /** Per-product monitor state: service levels, window slices, alert tracks. */
  public static final String STATE_STORE = "quality-monitor-state";

  /** Per-product last written {@link ProductHealth}; the store the HTTP API queries. */
  public static final String HEALTH_STORE = "quality-health";

  /** Per-product list of recent health changes (changes of state), oldest first. */
  public static final String HISTORY_STORE = "quality-health-history";

  /** The task's stream time. */
  public static final String STREAM_TIME_STORE = "quality-stream-time";

  public static final String QUALITY_SOURCE = "quality-events-source";
  public static final String PRODUCTS_SOURCE = "products-source";
  public static final String STATS_SOURCE = "product-stats-source";
  public static final String ISSUES_SOURCE = "product-issues-source";
  public static final String QUALITY_PROCESSOR = "monitor-quality-events";
  public static final String PRODUCTS_PROCESSOR = "monitor-products";
  public static final String STATS_PROCESSOR = "monitor-product-stats";
  public static final String ISSUES_PROCESSOR = "monitor-product-issues";
  public static final String STATUS_SINK = "quality-status-sink";
  public static final String ALERTS_SINK = "quality-alerts-sink";

  private QualityTopology() {}

  /** The topology with the default settings and no listener. */
  public static Topology build(MeshTopics topics) {
    return build(topics, QualitySettings.defaults(), MonitorListener.NONE);
  }

  public static Topology build(
      MeshTopics topics, QualitySettings settings, MonitorListener listener) {
    var topology = new Topology();
    source(topology, QUALITY_SOURCE, topics.quality);
    source(topology, PRODUCTS_SOURCE, topics.products);
    source(topology, STATS_SOURCE, topics.productStats);
    source(topology, ISSUES_SOURCE, topics.issues);

    addProcessor(
        topology,
        QUALITY_PROCESSOR,
        QUALITY_SOURCE,
        Input.QUALITY,
        topics.quality.name(),
        settings,
        listener);
    addProcessor(
        topology,
        PRODUCTS_PROCESSOR,
        PRODUCTS_SOURCE,
        Input.PRODUCTS,
        topics.products.name(),
        settings,
        listener);
    addProcessor(
        topology,
        STATS_PROCESSOR,
        STATS_SOURCE,
        Input.STATS,
        topics.productStats.name(),
        settings,
        listener);

    addProcessor(
        topology,
        ISSUES_PROCESSOR,
        ISSUES_SOURCE,
        Input.ISSUES,
        topics.issues.name(),
        settings,
        listener);

    String[] processors = {
      QUALITY_PROCESSOR, PRODUCTS_PROCESSOR, STATS_PROCESSOR, ISSUES_PROCESSOR
    };
    topology.addStateStore(stateStore(), processors);
    topology.addStateStore(healthStore(topics), processors);
    topology.addStateStore(historyStore(), processors);
    topology.addStateStore(streamTimeStore(), processors);

    topology.addSink(
        STATUS_SINK,
        topics.qualityStatus.name(),
        topics.qualityStatus.keySerde().serializer(),
        topics.qualityStatus.valueSerde().serializer(),
        processors);
    topology.addSink(
        ALERTS_SINK,
        topics.qualityAlerts.name(),
        topics.qualityAlerts.keySerde().serializer(),
        topics.qualityAlerts.valueSerde().serializer(),
        processors);
    return topology;
  }

  private static void source(Topology topology, String name, TopicSpec<String, ?> spec) {
    // Values as bytes: the processors decode them and refuse what does not decode.
    topology.addSource(
        name, spec.keySerde().deserializer(), Serdes.ByteArray().deserializer(), spec.name());
  }

  private static void addProcessor(
      Topology topology,
      String name,
      String source,
      Input input,
      String topic,
      QualitySettings settings,
      MonitorListener listener) {
    var wiring =
        new MonitorProcessor.Wiring(
            topic,
            STATE_STORE,
            HEALTH_STORE,
            HISTORY_STORE,
            STREAM_TIME_STORE,
            STATUS_SINK,
            ALERTS_SINK);
    topology.addProcessor(
        name, () -> new MonitorProcessor(input, wiring, settings, listener), source);
  }

  private static StoreBuilder<KeyValueStore<String, MonitorState>> stateStore() {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(STATE_STORE),
            Serdes.String(),
            StateSerdes.monitorState())
        .withCachingEnabled();
  }

  private static StoreBuilder<KeyValueStore<String, ProductHealth>> healthStore(MeshTopics topics) {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(HEALTH_STORE),
            Serdes.String(),
            topics.qualityStatus.valueSerde())
        .withCachingEnabled();
  }

  private static StoreBuilder<KeyValueStore<String, List<ProductHealth>>> historyStore() {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(HISTORY_STORE), Serdes.String(), StateSerdes.history());
  }

  private static StoreBuilder<KeyValueStore<String, Long>> streamTimeStore() {
    return Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(STREAM_TIME_STORE), Serdes.String(), Serdes.Long())
        .withCachingEnabled(); // one changelog record per commit, not one per event
  }
}
