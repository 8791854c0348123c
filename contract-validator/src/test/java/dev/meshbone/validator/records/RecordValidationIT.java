package dev.meshbone.validator.records;

import static dev.meshbone.validator.records.MixedRecords.header;
import static dev.meshbone.validator.records.MixedRecords.seq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshbone.events.ProductStats;
import dev.meshbone.serde.MeshEventSerde;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import dev.meshbone.topics.DlqHeaders;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.ProductId;
import dev.meshbone.topics.TopicBootstrapper;
import dev.meshbone.validator.ValidatorApp;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Record validation in the running validator service, on a real broker, on the record path the
 * service takes by default (the loop, {@link RecordLoop}); {@link RecordValidationStreamsIT} runs
 * the same tests on the path in Kafka Streams.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordValidationIT {
  private static final int N = 10_000;

  private KafkaBroker broker;
  private ApplicationContext service;

  @BeforeAll
  void startService(KafkaBroker broker) throws Exception {
    this.broker = broker;
    Map<String, Object> props = new HashMap<>();
    broker.clientConfig().forEach((k, v) -> props.put("kafka." + k, v));
    props.put("micronaut.server.port", -1);
    // The validator sees a new product's topics at its next metadata refresh (10 s by default).
    props.put("kafka.streams.consumer.metadata.max.age.ms", 1000);
    // The services refuse to start without a credential source unless told to run open.
    props.put("meshbone.security.enabled", false);
    props.put("kafka.streams.application.id", KafkaBroker.unique("rv-it"));
    props.put("meshbone.state-dir", Files.createTempDirectory("rv-it").toString());
    props.put("meshbone.validator.max-record-bytes", MixedRecords.MAX_RECORD_BYTES);
    props.put("meshbone.validator.provision-interval", "500ms");
    recordPath().ifPresent(path -> props.put("meshbone.validator.record-path", path));
    // As on a managed cluster: the mesh's topics are the operator's (KafkaTopic resources), and the
    // validator still creates every product's topics, or new products would stall.
    try (var admin = broker.admin()) {
      new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(30))
          .ensure(MeshTopics.defaults().all());
    }
    props.put("meshbone.create-topics", false);
    service = ValidatorApp.start(props);
  }

  /** The record path to run ({@code meshbone.validator.record-path}); empty for the default. */
  java.util.Optional<String> recordPath() {
    return java.util.Optional.empty();
  }

  /**
   * Topics this class made, deleted once the validator is closed: deleting a topic the running
   * validator has written to in an open transaction can leave its producer retrying
   * AddPartitionsToTxn for the deleted partition forever (KAFKA-20077), stalling every later
   * commit. Deleted at all because every later validator on this shared broker would re-read them.
   */
  private final List<String> madeTopics = new ArrayList<>();

  @AfterAll
  void stopService() throws Exception {
    try {
      if (service != null) {
        service.close();
      }
    } finally {
      try (var admin = broker.admin()) {
        var existing = new HashSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
        existing.retainAll(madeTopics);
        admin.deleteTopics(existing).all().get(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void shouldRouteTenThousandMixedRecordsEachOnceInOrder() throws Exception {
    var records = new MixedRecords();
    madeTopics.addAll(List.of(records.ingest(), records.validated(), records.dlq()));
    records.declare(broker);
    awaitTopics(records.ingest(), records.validated(), records.dlq());

    records.produce(broker, 0, N);

    var out = new MixedRecords.Outputs(broker, records);
    try {
      await().atMost(Duration.ofMinutes(3)).until(() -> out.poll() >= N);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .until(() -> out.poll() == N);

      assertThat(out.validated).hasSize(N / 2);
      assertThat(out.reasons()).isEqualTo(MixedRecords.expectedReasons(N));
      Set<Integer> seen = new HashSet<>();
      out.validated.forEach(r -> seen.add(seq(r)));
      out.dlq.forEach(r -> seen.add(seq(r)));
      assertThat(seen).hasSize(N);

      for (var r : out.validated) {
        int i = seq(r);
        assertThat(MixedRecords.kind(i)).isEqualTo(MixedRecords.Kind.VALID);
        assertThat(r.value()).isEqualTo(records.value(i));
        assertThat(r.key()).isEqualTo(MixedRecords.key(i));
        assertThat(r.partition()).isEqualTo(MixedRecords.partition(i));
      }
      for (var r : out.dlq) {
        int i = seq(r);
        assertThat(header(r, DlqHeaders.REASON)).isEqualTo(MixedRecords.kind(i).reason);
        assertThat(r.partition()).isEqualTo(MixedRecords.partition(i));
        assertThat(header(r, DlqHeaders.SOURCE_TOPIC)).isEqualTo(records.ingest());
        assertThat(header(r, DlqHeaders.SOURCE_PARTITION))
            .isEqualTo(Integer.toString(r.partition()));
        assertThat(header(r, DlqHeaders.MESSAGE)).isNotBlank();
      }
      assertOrderedPerPartition(out.validated);
      assertOrderedPerPartition(out.dlq);
    } finally {
      out.close();
    }

    assertStatsAndMetrics(records);
  }

  private void assertStatsAndMetrics(MixedRecords records) throws Exception {
    ProductStats stats = awaitStats(records.product, N);
    assertThat(stats.getValid()).isEqualTo(N / 2);
    assertThat(stats.getInvalidByReason()).isEqualTo(MixedRecords.expectedReasons(N));
    assertThat(stats.getLastValidAt()).isNotNull();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(metric(records.product, "valid", "NONE")).isEqualTo(N / 2.0));
    assertThat(metric(records.product, "invalid", "TOO_LARGE")).isEqualTo(N / 20.0);
  }

  @Test
  void shouldPickUpANewIngestTopicWithoutARestart() throws Exception {
    var product = new ProductId("rv" + Long.toString(System.nanoTime() % (1L << 40), 36), "late");
    madeTopics.addAll(
        List.of(
            DomainTopics.ingest(product),
            DomainTopics.validated(product),
            DomainTopics.dlq(product)));
    // Wider than any ingest topic at the start (MixedRecords has 3 partitions): nothing of the
    // section may be sized by the topics the pattern matched then.
    broker.createTopics(MixedRecords.PARTITIONS + 1, DomainTopics.ingest(product));
    long created = System.nanoTime();
    try (var producer = new KafkaProducer<byte[], byte[]>(broker.producerConfig())) {
      producer
          .send(new ProducerRecord<>(DomainTopics.ingest(product), 1, null, new byte[] {42}))
          .get();
    }

    awaitTopics(DomainTopics.dlq(product));
    try (var consumer =
        new KafkaConsumer<byte[], byte[]>(broker.consumerConfig(KafkaBroker.unique("late")))) {
      var dlq =
          List.of(
              new TopicPartition(DomainTopics.dlq(product), 0),
              new TopicPartition(DomainTopics.dlq(product), 1));
      consumer.assign(dlq);
      consumer.seekToBeginning(dlq);
      List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                return !got.isEmpty();
              });
      System.out.printf(
          "a new ingest topic's first record reached its DLQ %d ms after the topic was created%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - created));
      assertThat(got.get(0).partition()).isEqualTo(1);
      assertThat(header(got.get(0), DlqHeaders.REASON)).isEqualTo("NOT_CONFLUENT_FORMAT");
    }
    assertThat(awaitStats(product, 1).getInvalidByReason())
        .isEqualTo(Map.of("NOT_CONFLUENT_FORMAT", 1L));
  }

  /**
   * A domain that makes its ingest topic itself and declares the product right after: the outputs
   * get the ingest topic's partition count (not the validator's default), though the provisioner's
   * last listing of every topic, up to a provision-interval old, did not show it.
   */
  @Test
  void shouldGiveTheOutputsOfADomainsOwnIngestTopicItsPartitionCount() throws Exception {
    var records = new MixedRecords();
    madeTopics.addAll(List.of(records.ingest(), records.validated(), records.dlq()));
    int partitions = MixedRecords.PARTITIONS + 2;
    // The declaration right after the topic: before the provisioner's next listing (500 ms here)
    // or the stream threads' next metadata refresh (1 s) could show the topic.
    records.declare(broker, () -> broker.createTopics(partitions, records.ingest()));

    awaitTopics(records.validated(), records.dlq());
    try (var admin = broker.admin()) {
      var outputs =
          admin.describeTopics(List.of(records.validated(), records.dlq())).allTopicNames().get();
      assertThat(outputs.values()).allSatisfy(d -> assertThat(d.partitions()).hasSize(partitions));
    }
  }

  /**
   * A product declared while another product's records stream in: both products' records are each
   * routed once, in order per partition; the joining product's pickup (a rebalance of the ingest
   * sub-topology) neither loses nor repeats the busy product's records.
   */
  @Test
  void shouldValidateANewProductsRecordsWhileAnotherProductIsUnderLoad() throws Exception {
    int busyCount = 2_000;
    int lateCount = 500;
    var busy = new MixedRecords();
    var late = new MixedRecords();
    for (var r : List.of(busy, late)) {
      madeTopics.addAll(List.of(r.ingest(), r.validated(), r.dlq()));
    }
    busy.declare(broker);
    awaitTopics(busy.ingest(), busy.validated(), busy.dlq());

    var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
    Thread load =
        new Thread(
            () -> {
              try {
                for (int from = 0; from < busyCount; from += 500) {
                  busy.produce(broker, from, from + 500);
                }
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            "busy-product");
    load.start();
    late.declare(broker);
    awaitTopics(late.ingest(), late.validated(), late.dlq());
    late.produce(broker, 0, lateCount);
    load.join(TimeUnit.MINUTES.toMillis(2));
    assertThat(failure.get()).isNull();

    assertEachRoutedOnceInOrder(busy, busyCount);
    assertEachRoutedOnceInOrder(late, lateCount);
  }

  /**
   * Rebalances one after the other while records stream in (as new products' pickups cause them): a
   * commit the group refuses mid-rebalance is aborted and its records read again, so each is still
   * routed once, in order, and counted once.
   */
  @Test
  void shouldRouteEachRecordOnceThroughRebalancesWhileRecordsFlow() throws Exception {
    int n = 3_000;
    var records = new MixedRecords();
    madeTopics.addAll(List.of(records.ingest(), records.validated(), records.dlq()));
    records.declare(broker);
    awaitTopics(records.ingest(), records.validated(), records.dlq());

    var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
    Thread load =
        new Thread(
            () -> {
              try {
                // Paced (not a wait for anything): the records keep coming for the whole time
                // the rebalances below are forced, so transactions are open when they happen.
                for (int from = 0; from < n; from += 100) {
                  records.produce(broker, from, from + 100);
                  Thread.sleep(20);
                }
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            "rebalanced-product");
    load.start();
    var pickup = service.getBean(NewProductPickup.class);
    // A rebalance of the ingest consumers every 150 ms while the load runs (pacing, not a wait).
    while (load.isAlive()) {
      pickup.topicsCreated();
      Thread.sleep(150);
    }
    assertThat(failure.get()).isNull();

    assertEachRoutedOnceInOrder(records, n);
    ProductStats stats = awaitStats(records.product, n);
    assertThat(stats.getValid()).isEqualTo(n / 2);
    assertThat(stats.getInvalidByReason()).isEqualTo(MixedRecords.expectedReasons(n));
  }

  private void assertEachRoutedOnceInOrder(MixedRecords records, int n) {
    var out = new MixedRecords.Outputs(broker, records);
    try {
      await().atMost(Duration.ofMinutes(2)).until(() -> out.poll() >= n);
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(10))
          .until(() -> out.poll() == n);
      assertThat(out.validated).hasSize(n / 2);
      assertThat(out.reasons()).isEqualTo(MixedRecords.expectedReasons(n));
      Set<Integer> seen = new HashSet<>();
      out.validated.forEach(r -> seen.add(seq(r)));
      out.dlq.forEach(r -> seen.add(seq(r)));
      assertThat(seen).hasSize(n);
      assertOrderedPerPartition(out.validated);
      assertOrderedPerPartition(out.dlq);
    } finally {
      out.close();
    }
  }

  private static void assertOrderedPerPartition(List<ConsumerRecord<byte[], byte[]>> records) {
    Map<Integer, Integer> last = new HashMap<>();
    for (var r : records) {
      int s = seq(r);
      Integer before = last.put(r.partition(), s);
      assertThat(before == null || before < s)
          .as("partition %d: seq %d after %d", r.partition(), s, before)
          .isTrue();
    }
  }

  private void awaitTopics(String... names) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              try (var admin = broker.admin()) {
                return admin.listTopics().names().get().containsAll(List.of(names));
              }
            });
  }

  private ProductStats awaitStats(ProductId product, long total) {
    try (var consumer =
        new KafkaConsumer<>(
            broker.consumerConfig(KafkaBroker.unique("rv-stats")),
            new StringDeserializer(),
            MeshEventSerde.of(ProductStats.class))) {
      var parts =
          consumer.partitionsFor("mesh.products.stats").stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      var latest = new ProductStats[1];
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                  if (r.key().equals(product.toString())) {
                    latest[0] = r.value();
                  }
                }
                return latest[0] != null && latest[0].getValid() + latest[0].getInvalid() == total;
              });
      return latest[0];
    }
  }

  /** The value of the records counter for the product, from the service's /prometheus. */
  private double metric(ProductId product, String outcome, String reason) throws Exception {
    int port = service.getBean(EmbeddedServer.class).getPort();
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/prometheus"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Pattern line = Pattern.compile("meshbone_validator_records_total\\{([^}]*)\\} ([0-9.eE+-]+)");
    Matcher m = line.matcher(body);
    while (m.find()) {
      String labels = m.group(1);
      if (labels.contains("product=\"" + product + "\"")
          && labels.contains("outcome=\"" + outcome + "\"")
          && labels.contains("reason=\"" + reason + "\"")) {
        return Double.parseDouble(m.group(2));
      }
    }
    return -1;
  }
}
