package dev.meshbone.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.MicrometerKafkaMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.common.metrics.stats.WindowedCount;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KafkaMeters} registers what Micrometer's own Kafka binder registers (same names, tags and
 * meter types, same values), for real clients and for per-partition metrics that come and go; a
 * state store's id tag aside, on purpose.
 */
class KafkaMetersTest {
  private static final String FETCH = "consumer-fetch-manager-metrics";

  private final Metrics metrics = new Metrics();
  private final MeterRegistry micrometers = registry();
  private final MeterRegistry ours = registry();

  @AfterEach
  void closeMetrics() {
    metrics.close();
  }

  private static MeterRegistry registry() {
    var registry = new SimpleMeterRegistry();
    registry.config().commonTags("service", "test");
    return registry;
  }

  @Test
  void shouldBindAConsumersMetricsAsMicrometerDoes() {
    var props = clientProps();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "kafka-meters-test");
    try (var consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      assertSameMeters(consumer::metrics);
      consumer.close(Duration.ZERO);
    }
  }

  @Test
  void shouldBindAProducersMetricsAsMicrometerDoes() {
    try (var producer =
        new KafkaProducer<>(clientProps(), new ByteArraySerializer(), new ByteArraySerializer())) {
      assertSameMeters(producer::metrics);
      producer.close(Duration.ZERO);
    }
  }

  @Test
  void shouldBindAStreamsClientsMetricsAsMicrometerDoes(@TempDir Path stateDir) {
    var builder = new StreamsBuilder();
    builder.stream("kafka-meters-test-in").to("kafka-meters-test-out");
    var props = clientProps();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "kafka-meters-test-" + System.nanoTime());
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
    var streams = new KafkaStreams(builder.build(), props);
    try {
      assertSameMeters(streams::metrics);
    } finally {
      streams.close(Duration.ZERO);
    }
  }

  @Test
  void shouldFollowPartitionsThatComeAndGoAsMicrometerDoes() {
    appInfo();
    clientMetrics();
    try (var theirs = new MicrometerKafkaMetrics(metrics::metrics, micrometers);
        var mine = new KafkaMeters(metrics::metrics)) {
      mine.bindTo(ours);
      // Only the client-wide records-lag-max so far: bound.
      assertSameIds();
      assertSameValues();
      assertThat(ids(ours))
          .anyMatch(
              id ->
                  id.equals(
                      "kafka.consumer.fetch.manager.records.lag.max[client.id=c1,"
                          + " kafka.version=4.3.1-test, service=test] GAUGE"));

      for (int p = 0; p < 6; p++) {
        partition("orders", p);
      }
      refresh(theirs, mine);
      // The per-partition records-lag-max replaces the client-wide one.
      assertSameIds();
      assertThat(ids(ours))
          .filteredOn(id -> id.startsWith("kafka.consumer.fetch.manager.records.lag.max["))
          .hasSize(6)
          .allMatch(id -> id.contains("partition="));

      for (int p = 6; p < 12; p++) {
        partition("payments", p);
      }
      metrics.removeSensor(sensorName("orders", 0));
      metrics.removeSensor(sensorName("orders", 3));
      refresh(theirs, mine);
      assertSameIds();
      assertSameValues();
      assertThat(ids(ours))
          .filteredOn(id -> id.startsWith("kafka.consumer.fetch.manager.records.lag["))
          .hasSize(10);

      // Every partition gone: the client-wide one comes back.
      for (int p = 0; p < 12; p++) {
        metrics.removeSensor(sensorName(p < 6 ? "orders" : "payments", p));
      }
      refresh(theirs, mine);
      assertSameIds();
      assertThat(ids(ours))
          .filteredOn(id -> id.startsWith("kafka.consumer.fetch.manager.records.lag"))
          .containsExactly(
              "kafka.consumer.fetch.manager.records.lag.max[client.id=c1, kafka.version=4.3.1-test,"
                  + " service=test] GAUGE");
    }
    assertThat(ours.getMeters()).isEmpty();
    assertThat(micrometers.getMeters()).isEmpty();
  }

  @Test
  void shouldBindManyPartitionsOfOneMeter() {
    appInfo();
    clientMetrics();
    try (var mine = new KafkaMeters(metrics::metrics)) {
      mine.bindTo(ours);
      for (int p = 0; p < 20_000; p++) {
        lag("big", p).record(p);
      }
      mine.refresh();
      assertThat(lagMeters()).hasSize(20_000);
      assertThat(
              ours.find("kafka.consumer.fetch.manager.records.lag")
                  .tag("partition", "1234")
                  .gauge()
                  .value())
          .isEqualTo(1234.0);

      for (int p = 0; p < 20_000; p += 2) {
        metrics.removeSensor(sensorName("big", p));
      }
      for (int p = 20_000; p < 20_100; p++) {
        lag("big", p).record(p);
      }
      mine.refresh();
      assertThat(lagMeters())
          .hasSize(10_100)
          .allMatch(
              m ->
                  Integer.parseInt(m.getId().getTag("partition")) % 2 == 1
                      || Integer.parseInt(m.getId().getTag("partition")) >= 20_000);
      // No per-partition records-lag-max here: the client-wide one stays.
      assertThat(ours.find("kafka.consumer.fetch.manager.records.lag.max").meters()).hasSize(1);
    }
    assertThat(ours.getMeters()).isEmpty();
  }

  private List<Meter> lagMeters() {
    return ours.find("kafka.consumer.fetch.manager.records.lag").meters().stream().toList();
  }

  private static Properties clientProps() {
    var props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "kafka-meters-test");
    return props;
  }

  private void assertSameMeters(Supplier<Map<MetricName, ? extends Metric>> supplier) {
    try (var theirs = new MicrometerKafkaMetrics(supplier, micrometers);
        var mine = new KafkaMeters(supplier)) {
      mine.bindTo(ours);
      assertThat(ids(ours)).hasSizeGreaterThan(20);
      assertSameIds();
      refresh(theirs, mine);
      assertSameIds();
    }
    assertThat(ours.getMeters()).isEmpty();
  }

  private static void refresh(MicrometerKafkaMetrics theirs, KafkaMeters mine) {
    theirs.refresh();
    mine.refresh();
  }

  private void assertSameIds() {
    assertThat(ids(ours)).isEqualTo(ids(micrometers));
  }

  /** The same values, read through the same metrics (rates aside: they move with the clock). */
  private void assertSameValues() {
    for (Meter meter : ours.getMeters()) {
      if (meter.getId().getName().endsWith("rate")) {
        continue;
      }
      Meter other = micrometers.get(meter.getId().getName()).tags(meter.getId().getTags()).meter();
      assertThat(other.getId().getTags()).isEqualTo(meter.getId().getTags());
      assertThat(value(meter)).as(meter.getId().toString()).isEqualTo(value(other));
    }
  }

  private static double value(Meter meter) {
    return meter.measure().iterator().next().getValue();
  }

  /** Name, tags and type of every meter: what /prometheus shows of them. */
  private static Set<String> ids(MeterRegistry registry) {
    return registry.getMeters().stream()
        .map(Meter::getId)
        .map(
            id ->
                id.getName()
                    + id.getTags().stream().map(t -> t.getKey() + "=" + t.getValue()).toList()
                    + " "
                    + id.getType())
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  /**
   * Kafka Streams names a state store's id tag after its kind; Micrometer's binder passes that on,
   * and Prometheus then refuses the meters of every kind but the first. Ours: one label set.
   */
  @Test
  void shouldGiveTheMetersOfStoresOfEveryKindOneSetOfTags() {
    var prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List<Meter.Id> refused = new ArrayList<>();
    prometheus.config().onMeterRegistrationFailed((id, reason) -> refused.add(id));
    for (String kind : List.of("rocksdb", "in-memory", "rocksdb-window")) {
      var tags = Map.of("thread-id", "t1", "task-id", "0_0", kind + "-state-id", kind + "-store");
      Sensor puts = metrics.sensor(kind + ".puts");
      puts.add(metrics.metricName("put-rate", "stream-state-metrics", "", tags), new Rate());
      puts.add(
          metrics.metricName("put-total", "stream-state-metrics", "", tags), new CumulativeCount());
    }
    try (var mine = new KafkaMeters(metrics::metrics)) {
      mine.bindTo(prometheus);
      assertThat(refused).isEmpty();
      assertThat(prometheus.find("kafka.stream.state.put.rate").meters())
          .extracting(m -> m.getId().getTag("store.type") + "/" + m.getId().getTag("state.id"))
          .containsExactlyInAnyOrder(
              "rocksdb/rocksdb-store",
              "in-memory/in-memory-store",
              "rocksdb-window/rocksdb-window-store");
      assertThat(prometheus.scrape())
          .contains(
              "kafka_stream_state_put_total{kafka_version=",
              "state_id=\"in-memory-store\"",
              "store_type=\"rocksdb-window\"");
    }
  }

  private void appInfo() {
    var tags = Map.of("client-id", "c1");
    metrics.addMetric(
        metrics.metricName("version", "app-info", "", tags),
        (Gauge<String>) (c, now) -> "4.3.1-test");
    metrics.addMetric(
        metrics.metricName("commit-id", "app-info", "", tags), (Gauge<String>) (c, now) -> "abc");
    metrics.addMetric(
        metrics.metricName("start-time-ms", "app-info", "", tags), (Gauge<Long>) (c, now) -> 17L);
  }

  /** Client-wide metrics of every kind Micrometer tells apart. */
  private void clientMetrics() {
    var tags = Map.of("client-id", "c1");
    Sensor fetched = metrics.sensor("fetched");
    fetched.add(metrics.metricName("records-consumed-total", FETCH, "", tags), new CumulativeSum());
    fetched.add(metrics.metricName("fetch-total", FETCH, "", tags), new CumulativeCount());
    fetched.add(metrics.metricName("records-consumed-rate", FETCH, "", tags), new Rate());
    fetched.add(metrics.metricName("fetch-windowed-total", FETCH, "", tags), new WindowedCount());
    fetched.add(metrics.metricName("records-lag-max", FETCH, "", tags), new Max());
    fetched.record(3);
    fetched.record(5);
    metrics.addMetric(
        metrics.metricName("connection-creation-total", "consumer-metrics", "", tags),
        (Gauge<Long>) (c, now) -> 4L);
    metrics.addMetric(
        metrics.metricName("last-poll-seconds-ago", "consumer-metrics", "", tags),
        (Gauge<Integer>) (c, now) -> 2);
    metrics.addMetric(
        metrics.metricName("state", "consumer-metrics", "", tags),
        (Gauge<String>) (c, now) -> "stable");
    metrics.addMetric(
        metrics.metricName("null-valued", "consumer-metrics", "", tags),
        (Gauge<Long>) (c, now) -> null);
  }

  private void partition(String topic, int partition) {
    Sensor lag = lag(topic, partition);
    var tags = partitionTags(topic, partition);
    lag.add(metrics.metricName("records-lag-max", FETCH, "", tags), new Max());
    lag.add(metrics.metricName("records-lag-avg", FETCH, "", tags), new Avg());
    lag.record(partition * 10.0);
  }

  private Sensor lag(String topic, int partition) {
    Sensor lag = metrics.sensor(sensorName(topic, partition));
    lag.add(
        metrics.metricName("records-lag", FETCH, "", partitionTags(topic, partition)), new Value());
    return lag;
  }

  private static Map<String, String> partitionTags(String topic, int partition) {
    Map<String, String> tags = new HashMap<>();
    tags.put("client-id", "c1");
    tags.put("topic", topic);
    tags.put("partition", Integer.toString(partition));
    return new TreeMap<>(tags);
  }

  private static String sensorName(String topic, int partition) {
    return topic + "-" + partition + ".records-lag";
  }
}
