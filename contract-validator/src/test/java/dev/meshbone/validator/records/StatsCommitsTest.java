package dev.meshbone.validator.records;

import static dev.meshbone.validator.records.Orders.confluent;
import static dev.meshbone.validator.records.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.events.ProductStats;
import dev.meshbone.serde.MeshEventSerde;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.ProductId;
import dev.meshbone.validator.ValidatorTestConfig;
import dev.meshbone.validator.ValidatorTopology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The counts committed with their records: the real topology in TopologyTestDriver, whose tasks run
 * on the test thread, with that thread's producer hooked by {@link StatsCommits} (a {@link
 * MockProducer} standing in for the stream thread's transactional producer).
 */
class StatsCommitsTest {
  private static final int ORDER_ID = 11;
  private static final String TOPIC = RecordValidation.statsDeltasTopic("app");

  private final MeshTopics topics = MeshTopics.defaults();
  private final StatsCommits commits = new StatsCommits();
  private final List<ProductStats> heard = new ArrayList<>();
  private final MockProducer<byte[], byte[]> real =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private static final long NOW = 1_000_000L;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> ingest;

  /** Builds the topology, hooks the thread's producer, then starts the tasks, as Streams does. */
  private Producer<byte[], byte[]> start(boolean transactional) {
    var topology =
        ValidatorTopology.build(
            topics,
            RecordValidationSettings.defaults()
                .withStatsIntervals(Duration.ofMillis(100), Duration.ofSeconds(1))
                .withListener((product, delta) -> heard.add(delta))
                .withStatsCommits(commits));
    Producer<byte[], byte[]> producer =
        hook(commits, real, Thread.currentThread().getName(), transactional);
    driver = new TopologyTestDriver(topology, ValidatorTestConfig.streams("stats-commits"));
    driver
        .createInputTopic(
            topics.contracts.name(), new StringSerializer(), new ByteArraySerializer())
        .pipeInput(
            Orders.versionKey("sales.orders-value", 1),
            Orders.encode(
                Orders.version("sales.orders-value", 1, ORDER_ID, Orders.SCHEMA, Orders.RULES)));
    ingest =
        driver.createInputTopic(
            "sales.orders.ingest", new ByteArraySerializer(), new ByteArraySerializer());
    if (transactional) {
      real.initTransactions();
      producer.beginTransaction();
    }
    return producer;
  }

  private Producer<byte[], byte[]> hook(
      StatsCommits hook, MockProducer<byte[], byte[]> producer, String thread, boolean tx) {
    return hook.wrap(producer, thread, tx, TOPIC, () -> NOW);
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  private void pipe(String key, byte[] value, Instant at) {
    ingest.pipeInput(new TestRecord<>(key.getBytes(StandardCharsets.UTF_8), value, null, at));
  }

  private List<ProductRecord> deltasSent() {
    var out = new ArrayList<ProductRecord>();
    for (ProducerRecord<byte[], byte[]> r : real.history()) {
      if (r.topic().equals(TOPIC)) {
        out.add(
            new ProductRecord(
                new StringDeserializer().deserialize(TOPIC, r.key()),
                MeshEventSerde.of(ProductStats.class).deserializer().deserialize(TOPIC, r.value()),
                r.partition(),
                r.timestamp()));
      }
    }
    return out;
  }

  record ProductRecord(String key, ProductStats value, Integer partition, Long timestamp) {}

  @Test
  void shouldSendTheCountsOfTheTransactionJustBeforeItCommits() {
    Producer<byte[], byte[]> producer = start(true);
    Instant at = Instant.parse("2026-03-01T10:00:00Z");
    pipe("a", confluent(ORDER_ID, order()), at);
    pipe("b", confluent(ORDER_ID, order()), at.plusSeconds(1));
    pipe("c", new byte[] {1}, at.plusSeconds(2));
    assertThat(deltasSent()).isEmpty();

    producer.commitTransaction();

    assertThat(real.transactionCommitted()).isTrue();
    var sent = deltasSent();
    assertThat(sent).hasSize(1);
    ProductRecord delta = sent.get(0);
    assertThat(delta.key()).isEqualTo("sales.orders");
    // As Streams' own sink sends to the repartition topic: the producer picks the partition.
    assertThat(delta.partition()).isNull();
    assertThat(delta.timestamp()).isEqualTo(NOW);
    assertThat(delta.value().getValid()).isEqualTo(2);
    assertThat(delta.value().getInvalid()).isEqualTo(1);
    assertThat(delta.value().getInvalidByReason())
        .containsOnly(Map.entry("NOT_CONFLUENT_FORMAT", 1L));
    assertThat(delta.value().getLastRecordAt()).isEqualTo(at.plusSeconds(2));
    assertThat(delta.value().getLastValidAt()).isEqualTo(at.plusSeconds(1));
    assertThat(heard).containsExactly(delta.value());
  }

  @Test
  void shouldSendTheCountsWithStreamsFlushBeforeTheCommitAndTellTheListenerAfterIt() {
    Producer<byte[], byte[]> producer = start(true);
    pipe("a", confluent(ORDER_ID, order()), Instant.now());

    producer.flush();

    assertThat(real.uncommittedRecords()).anyMatch(r -> r.topic().equals(TOPIC));
    assertThat(heard).isEmpty();

    producer.commitTransaction();

    assertThat(deltasSent()).hasSize(1);
    assertThat(heard).hasSize(1);
  }

  @Test
  void shouldDropTheCountsOfAnAbortedTransaction() {
    Producer<byte[], byte[]> producer = start(true);
    pipe("a", confluent(ORDER_ID, order()), Instant.now());
    pipe("b", null, Instant.now());

    producer.abortTransaction();
    producer.beginTransaction();
    pipe("c", confluent(ORDER_ID, order()), Instant.now());
    producer.commitTransaction();

    var sent = deltasSent();
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).value().getValid()).isEqualTo(1);
    assertThat(sent.get(0).value().getInvalid()).isZero();
    assertThat(heard).hasSize(1);
  }

  @Test
  void shouldSendNothingWhenNoRecordWasCountedSinceTheLastCommit() {
    Producer<byte[], byte[]> producer = start(true);
    pipe("a", confluent(ORDER_ID, order()), Instant.now());
    producer.commitTransaction();
    producer.beginTransaction();

    producer.commitTransaction();

    assertThat(deltasSent()).hasSize(1);
  }

  @Test
  void shouldForgetUncommittedCountsWhenTheThreadGetsANewProducer() {
    start(true);
    pipe("a", confluent(ORDER_ID, order()), Instant.now());

    // After a fencing, or for a replacement thread: the old transaction never committed.
    var next = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    Producer<byte[], byte[]> producer = hook(commits, next, Thread.currentThread().getName(), true);
    next.initTransactions();
    producer.beginTransaction();
    producer.commitTransaction();

    assertThat(next.history()).isEmpty();
  }

  @Test
  void shouldSendTheCountsOnFlushUnderAtLeastOnce() {
    Producer<byte[], byte[]> producer = start(false);
    pipe("a", confluent(ORDER_ID, order()), Instant.now());
    pipe("b", null, Instant.now());

    producer.flush();

    var sent = deltasSent();
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).value().getValid()).isEqualTo(1);
    assertThat(sent.get(0).value().getInvalidByReason()).containsOnly(Map.entry("NULL_VALUE", 1L));
    assertThat(real.flushed()).isTrue();
  }

  @Test
  void shouldNotSendCountsOnAPunctuationWhenTheThreadsProducerIsHooked() {
    start(true);
    var stats =
        driver.createOutputTopic(
            topics.productStats.name(),
            new StringDeserializer(),
            MeshEventSerde.of(ProductStats.class));
    pipe("a", confluent(ORDER_ID, order()), Instant.now());

    driver.advanceWallClockTime(Duration.ofSeconds(5));

    assertThat(stats.isEmpty()).isTrue();
    assertThat(heard).isEmpty();
  }

  @Test
  void shouldLeaveAnotherThreadsCountsAlone() {
    start(true);
    var other =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    Producer<byte[], byte[]> otherThread = hook(commits, other, "another-StreamThread-2", true);
    other.initTransactions();
    otherThread.beginTransaction();
    pipe("a", confluent(ORDER_ID, order()), Instant.now());

    otherThread.commitTransaction();

    assertThat(other.history()).isEmpty();
    assertThat(commits.forCurrentThread()).isNotNull();
  }

  @Test
  void shouldNameTheRepartitionTopicAsStreamsDoes() {
    var builder = new StreamsBuilder();
    RecordValidation.addTo(builder, topics);
    String sinkTopic = null;
    for (TopologyDescription.Subtopology sub : builder.build().describe().subtopologies()) {
      for (TopologyDescription.Node node : sub.nodes()) {
        if (node instanceof TopologyDescription.Sink sink
            && sink.topic() != null
            && sink.topic().contains(RecordValidation.STATS_DELTAS)) {
          sinkTopic = sink.topic();
        }
      }
    }

    assertThat("app-" + sinkTopic).isEqualTo(RecordValidation.statsDeltasTopic("app"));
  }

  @Test
  void shouldKeepAProductsCountsApartFromAnothers() {
    var counts = new StatsCounts();
    var orders = counts.cell(new ProductId("sales", "orders"));
    var shipments = counts.cell(new ProductId("logistics", "shipments"));
    orders.valid(10);
    orders.invalid(RejectReason.NULL_VALUE, 20);
    shipments.valid(5);
    var drained = new ArrayList<ProductStats>();

    counts.drain(99, (product, delta) -> drained.add(delta));
    counts.drain(100, (product, delta) -> drained.add(delta));

    assertThat(drained).hasSize(2);
    assertThat(drained.get(0).getProductId()).isEqualTo("sales.orders");
    assertThat(drained.get(0).getValid()).isEqualTo(1);
    assertThat(drained.get(0).getInvalid()).isEqualTo(1);
    assertThat(drained.get(1).getProductId()).isEqualTo("logistics.shipments");
    assertThat(drained.get(1).getUpdatedAt()).isEqualTo(Instant.ofEpochMilli(99));
    assertThat(counts.cell(new ProductId("sales", "orders"))).isSameAs(orders);
  }
}
