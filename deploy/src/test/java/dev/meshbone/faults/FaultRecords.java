package dev.meshbone.faults;

import static dev.meshbone.validator.records.Orders.confluent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshbone.events.ContractEntry;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.ProductStats;
import dev.meshbone.serde.MeshEventSerde;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.topics.DlqHeaders;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.ProductId;
import dev.meshbone.topics.TopicBootstrapper;
import dev.meshbone.validator.records.Orders;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A product with a unique domain whose contract (value and key schema, with data rules) is written
 * straight to {@code mesh.contracts}, and a stream of records of every good and bad kind, each
 * carrying its sequence number in a {@code seq} header. Record {@code i} is always the same record,
 * so a producer may send a range again.
 */
final class FaultRecords {
  /** Every kind of record, and the DLQ reason and part it must get (null: valid). */
  enum Kind {
    VALID(null),
    RANDOM_BYTES("NOT_CONFLUENT_FORMAT"),
    EMPTY_VALUE("NOT_CONFLUENT_FORMAT"),
    SHORT_HEADER("NOT_CONFLUENT_FORMAT"),
    WRONG_MAGIC("NOT_CONFLUENT_FORMAT"),
    UNKNOWN_ID("UNKNOWN_SCHEMA_ID"),
    OTHER_SUBJECT("SCHEMA_NOT_IN_SUBJECT"),
    TRUNCATED("DECODE_FAILED"),
    HUGE_LENGTH("DECODE_FAILED"),
    TRAILING("TRAILING_BYTES"),
    RULE_RANGE("RULE_VIOLATION"),
    RULE_NESTED("RULE_VIOLATION"),
    NULL_VALUE("NULL_VALUE"),
    OVERSIZED("TOO_LARGE"),
    NULL_KEY("NULL_KEY"),
    GARBAGE_KEY("NOT_CONFLUENT_FORMAT");

    final String reason;

    Kind(String reason) {
      this.reason = reason;
    }

    String part() {
      return this == NULL_KEY || this == GARBAGE_KEY ? DlqHeaders.PART_KEY : DlqHeaders.PART_VALUE;
    }
  }

  static final List<Kind> BAD = Arrays.stream(Kind.values()).filter(k -> k != Kind.VALID).toList();
  static final int PARTITIONS = 3;
  static final int MAX_RECORD_BYTES = 2_000;

  final ProductId product;
  final int orderId;
  final int keyId;
  final int shipmentId;
  final int unknownId;

  /** True: every record is bad; false: half valid, the other half each bad kind in turn. */
  private final boolean garbageOnly;

  FaultRecords(boolean garbageOnly) {
    this.garbageOnly = garbageOnly;
    String domain =
        "fl" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 45), 36);
    this.product = new ProductId(domain, "orders");
    // Ids are global in mesh.contracts, which tests share: stay clear of other tests' ids.
    int base = 1_000_000 + ThreadLocalRandom.current().nextInt(1_000_000_000);
    this.orderId = base;
    this.keyId = base + 1;
    this.shipmentId = base + 2;
    this.unknownId = base + 3;
  }

  Kind kind(int i) {
    if (garbageOnly) {
      return BAD.get(i % BAD.size());
    }
    int slot = i % (2 * BAD.size());
    return slot < BAD.size() ? Kind.VALID : BAD.get(slot - BAD.size());
  }

  Map<String, Long> expectedReasons(int n) {
    Map<String, Long> expected = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Kind k = kind(i);
      if (k.reason != null) {
        expected.merge(k.reason, 1L, Long::sum);
      }
    }
    return expected;
  }

  long expectedValid(int n) {
    long valid = 0;
    for (int i = 0; i < n; i++) {
      valid += kind(i) == Kind.VALID ? 1 : 0;
    }
    return valid;
  }

  String ingest() {
    return DomainTopics.ingest(product);
  }

  String validated() {
    return DomainTopics.validated(product);
  }

  String dlq() {
    return DomainTopics.dlq(product);
  }

  /**
   * Writes the product's value and key contracts and another domain's contract, creates the
   * product's topics, then declares the product (so a running validator finds its topics there and
   * creates none of its own).
   */
  void declare(KafkaBroker broker) throws Exception {
    declare(broker, (short) 1);
  }

  /** As {@link #declare(KafkaBroker)}, every topic with this replication factor. */
  void declare(KafkaBroker broker, short replicationFactor) throws Exception {
    try (var admin = broker.admin()) {
      new TopicBootstrapper(admin, replicationFactor, Duration.ofSeconds(30))
          .ensure(MeshTopics.defaults().all());
    }
    String other = product.domain() + "x.shipments-value";
    String keySubject = product + "-key";
    try (var producer =
        new KafkaProducer<>(
            broker.producerConfig(),
            new StringSerializer(),
            MeshEventSerde.of(ContractEntry.class))) {
      String valueSubject = product.defaultValueSubject();
      producer
          .send(
              new ProducerRecord<>(
                  "mesh.contracts",
                  Orders.versionKey(valueSubject, 1),
                  Orders.version(valueSubject, 1, orderId, Orders.SCHEMA, Orders.RULES)))
          .get();
      producer
          .send(
              new ProducerRecord<>(
                  "mesh.contracts",
                  Orders.versionKey(keySubject, 1),
                  Orders.version(keySubject, 1, keyId, Orders.KEY_SCHEMA, null)))
          .get();
      producer
          .send(
              new ProducerRecord<>(
                  "mesh.contracts",
                  Orders.versionKey(other, 1),
                  Orders.version(other, 1, shipmentId, Orders.OTHER_SCHEMA, null)))
          .get();
    }
    try (var admin = broker.admin()) {
      admin
          .createTopics(
              List.of(ingest(), validated(), dlq()).stream()
                  .map(name -> new NewTopic(name, PARTITIONS, replicationFactor))
                  .toList())
          .all()
          .get(30, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () ->
                  admin
                          .describeTopics(List.of(ingest(), validated(), dlq()))
                          .allTopicNames()
                          .get(5, TimeUnit.SECONDS)
                          .size()
                      == 3);
    }
    try (var producer =
        new KafkaProducer<>(
            broker.producerConfig(),
            new StringSerializer(),
            MeshEventSerde.of(DataProductEvent.class))) {
      producer
          .send(
              new ProducerRecord<>(
                  "mesh.products",
                  product.toString(),
                  Orders.product(product.toString(), null, LifecycleStatus.ACTIVE)))
          .get();
    }
  }

  /** Deletes the product's three topics, so validators that later tests start skip them. */
  void deleteTopics(KafkaBroker broker) {
    try (var admin = broker.admin()) {
      admin.deleteTopics(List.of(ingest(), validated(), dlq())).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Best effort: a leftover topic costs later tests time, not correctness.
    }
  }

  /** The value of record {@code i}. */
  byte[] value(int i) {
    Random random = new Random(i);
    GenericRecord order = Orders.order();
    order.put("orderId", "ORD-" + i);
    return switch (kind(i)) {
      case VALID, NULL_KEY, GARBAGE_KEY -> confluent(orderId, order);
      case RANDOM_BYTES -> {
        byte[] b = new byte[1 + random.nextInt(300)];
        random.nextBytes(b);
        b[0] = (byte) (1 + random.nextInt(255));
        yield b;
      }
      case EMPTY_VALUE -> new byte[0];
      case SHORT_HEADER -> new byte[] {0, 0, (byte) random.nextInt(256)};
      case WRONG_MAGIC -> {
        byte[] b = confluent(orderId, order);
        b[0] = (byte) (1 + random.nextInt(255));
        yield b;
      }
      case UNKNOWN_ID -> confluent(unknownId, order);
      case OTHER_SUBJECT -> confluent(shipmentId, Orders.shipment());
      case TRUNCATED -> {
        byte[] b = confluent(orderId, order);
        yield Arrays.copyOf(b, 5 + random.nextInt(b.length - 5));
      }
      case HUGE_LENGTH -> {
        // The header, then a string length of about a gigabyte and a few bytes.
        var out = new ByteArrayOutputStream();
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(4).putInt(orderId).array());
        out.writeBytes(new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07});
        out.writeBytes("ORD-1".getBytes(StandardCharsets.UTF_8));
        yield out.toByteArray();
      }
      case TRAILING -> {
        byte[] b = confluent(orderId, order);
        yield Arrays.copyOf(b, b.length + 1 + random.nextInt(10));
      }
      case RULE_RANGE -> {
        order.put("amount", 12_000.5);
        yield confluent(orderId, order);
      }
      case RULE_NESTED -> {
        order.put("customer", null);
        yield confluent(orderId, order);
      }
      case NULL_VALUE -> null;
      case OVERSIZED -> {
        order.put("status", "x".repeat(MAX_RECORD_BYTES + random.nextInt(5_000)));
        yield confluent(orderId, order);
      }
    };
  }

  /** The key of record {@code i}. */
  byte[] key(int i) {
    return switch (kind(i)) {
      case NULL_KEY -> null;
      case GARBAGE_KEY -> ("k" + i).getBytes(StandardCharsets.UTF_8);
      default -> confluent(keyId, Orders.orderKey("ORD-" + i));
    };
  }

  static int partition(int i) {
    return i % PARTITIONS;
  }

  /** Record {@code i} as it goes to the ingest topic. */
  ProducerRecord<byte[], byte[]> record(int i) {
    var headers =
        new RecordHeaders().add("seq", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(ingest(), partition(i), key(i), value(i), headers);
  }

  /**
   * Sends records {@code from} (inclusive) to {@code to} (exclusive), flushes, and fails if the
   * broker did not take one of them.
   */
  void produce(Producer<byte[], byte[]> producer, int from, int to) {
    var failed = new java.util.concurrent.atomic.AtomicReference<Exception>();
    for (int i = from; i < to; i++) {
      producer.send(
          record(i),
          (metadata, e) -> {
            if (e != null) {
              failed.compareAndSet(null, e);
            }
          });
    }
    producer.flush();
    if (failed.get() != null) {
      throw new IllegalStateException("a record was not sent: " + failed.get(), failed.get());
    }
  }

  /** Waits until every partition of the ingest topic has a leader this producer knows. */
  void awaitLeaders(Producer<byte[], byte[]> producer) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                producer.partitionsFor(ingest()).size() == PARTITIONS
                    && producer.partitionsFor(ingest()).stream().allMatch(p -> p.leader() != null));
  }

  static int seq(ConsumerRecord<byte[], byte[]> r) {
    Header h = r.headers().lastHeader("seq");
    return Integer.parseInt(new String(h.value(), StandardCharsets.UTF_8));
  }

  static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /**
   * Every committed record of the product topic and the DLQ, kept as (seq, partition, reason, part)
   * so that a hundred thousand records take little memory.
   */
  static final class Outputs implements AutoCloseable {
    record Out(int seq, int partition, String reason, String part, String message) {}

    final List<Out> validated = new ArrayList<>();
    final List<Out> dlq = new ArrayList<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String validatedTopic;

    Outputs(KafkaBroker broker, FaultRecords records) {
      this.validatedTopic = records.validated();
      var config = new HashMap<>(broker.consumerConfig(KafkaBroker.unique("faults-check")));
      config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
      consumer = new KafkaConsumer<>(config);
      var parts = new ArrayList<TopicPartition>();
      for (int p = 0; p < PARTITIONS; p++) {
        parts.add(new TopicPartition(records.validated(), p));
        parts.add(new TopicPartition(records.dlq(), p));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
    }

    /** Polls once; returns how many records have been read in all. */
    int poll() {
      for (var r : consumer.poll(Duration.ofMillis(200))) {
        boolean valid = r.topic().equals(validatedTopic);
        var out =
            new Out(
                seq(r),
                r.partition(),
                valid ? null : header(r, DlqHeaders.REASON),
                valid ? null : header(r, DlqHeaders.PART),
                valid ? null : header(r, DlqHeaders.MESSAGE));
        (valid ? validated : dlq).add(out);
      }
      return validated.size() + dlq.size();
    }

    /**
     * Reads until {@code n} records are there and no more come for three seconds, then checks that
     * each of records 0..n-1 is there exactly once, in the product topic if valid or the DLQ with
     * its reason and part if not, and in order within each output partition.
     */
    void assertExactlyOnce(FaultRecords records, int n, Duration within) {
      await().atMost(within).until(() -> poll() >= n);
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30)).until(() -> poll() == n);
      var seen = new BitSet(n);
      for (var out : validated) {
        assertThat(seen.get(out.seq())).as("record %d seen twice", out.seq()).isFalse();
        seen.set(out.seq());
        assertThat(records.kind(out.seq())).as("record %d", out.seq()).isEqualTo(Kind.VALID);
      }
      for (var out : dlq) {
        assertThat(seen.get(out.seq())).as("record %d seen twice", out.seq()).isFalse();
        seen.set(out.seq());
        Kind kind = records.kind(out.seq());
        assertThat(out.reason())
            .as("reason of record %d (%s): %s", out.seq(), kind, out.message())
            .isEqualTo(kind.reason);
        assertThat(out.part()).as("part of record %d (%s)", out.seq(), kind).isEqualTo(kind.part());
        assertThat(out.message()).as("message of record %d", out.seq()).isNotBlank();
      }
      assertThat(seen.cardinality()).isEqualTo(n);
      assertOrdered(validated);
      assertOrdered(dlq);
    }

    private static void assertOrdered(List<Out> outs) {
      Map<Integer, Integer> last = new HashMap<>();
      for (var out : outs) {
        Integer before = last.put(out.partition(), out.seq());
        assertThat(before == null || before < out.seq())
            .as("record %d after %d in partition %d", out.seq(), before, out.partition())
            .isTrue();
      }
    }

    /**
     * Waits for {@code mesh.products.stats} (read_committed) to count as many records for the
     * product as were read here, then checks that they are the same counts: valid, invalid, and
     * invalid by reason. Call after {@link #assertExactlyOnce}: the statistics commit with the
     * records they count, so a crash neither loses nor repeats a count.
     */
    void assertStatsMatch(KafkaBroker broker, FaultRecords records, Duration within) {
      var config = new HashMap<>(broker.consumerConfig(KafkaBroker.unique("faults-stats")));
      String topic = MeshTopics.defaults().productStats.name();
      String product = records.product.toString();
      var latest = new ProductStats[1];
      long total = validated.size() + dlq.size();
      try (var consumer =
          new KafkaConsumer<>(
              config, new StringDeserializer(), MeshEventSerde.of(ProductStats.class))) {
        var parts =
            consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        try {
          await()
              .atMost(within)
              .until(
                  () -> {
                    for (var r : consumer.poll(Duration.ofMillis(200))) {
                      if (product.equals(r.key()) && r.value() != null) {
                        latest[0] = r.value();
                      }
                    }
                    return latest[0] != null
                        && latest[0].getValid() + latest[0].getInvalid() >= total;
                  });
        } catch (ConditionTimeoutException e) {
          // Counts lost: the checks below say which.
        }
      }
      ProductStats stats = latest[0];
      assertThat(stats).as("statistics of %s", product).isNotNull();
      assertThat(stats.getValid()).as("valid in the stats").isEqualTo(validated.size());
      assertThat(stats.getInvalid()).as("invalid in the stats").isEqualTo(dlq.size());
      assertThat(stats.getInvalidByReason()).as("invalid by reason").isEqualTo(reasons());
    }

    Map<String, Long> reasons() {
      Map<String, Long> counts = new HashMap<>();
      for (var r : dlq) {
        counts.merge(String.valueOf(r.reason()), 1L, Long::sum);
      }
      return counts;
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
