package dev.meshbone.validator.records;

import static dev.meshbone.validator.records.Orders.confluent;

import dev.meshbone.events.ContractEntry;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.serde.MeshEventSerde;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.topics.DlqHeaders;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.ProductId;
import dev.meshbone.topics.TopicBootstrapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A product for integration tests with a unique domain, its contracts written straight to {@code
 * mesh.contracts} (as the contract section will), and a stream of records mixing every kind of good
 * and bad record, each carrying its sequence number in a {@code seq} header.
 */
final class MixedRecords {
  /** Every kind of record, and the DLQ reason it must get (null: valid). */
  enum Kind {
    VALID(null),
    RANDOM_BYTES("NOT_CONFLUENT_FORMAT"),
    WRONG_MAGIC("NOT_CONFLUENT_FORMAT"),
    UNKNOWN_ID("UNKNOWN_SCHEMA_ID"),
    OTHER_SUBJECT("SCHEMA_NOT_IN_SUBJECT"),
    TRUNCATED("DECODE_FAILED"),
    TRAILING("TRAILING_BYTES"),
    RULE_RANGE("RULE_VIOLATION"),
    NULL_VALUE("NULL_VALUE"),
    OVERSIZED("TOO_LARGE"),
    RULE_NESTED("RULE_VIOLATION");

    final String reason;

    Kind(String reason) {
      this.reason = reason;
    }
  }

  static final int PARTITIONS = 3;
  static final int MAX_RECORD_BYTES = 2_000;

  final ProductId product;
  final int orderId;
  final int shipmentId;
  final int unknownId;
  private final Random random = new Random(1);

  MixedRecords() {
    String domain =
        "rv" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 45), 36);
    this.product = new ProductId(domain, "orders");
    // Ids are global in mesh.contracts, which tests share: stay clear of other tests' ids.
    int base = 1_000_000 + ThreadLocalRandom.current().nextInt(1_000_000_000);
    this.orderId = base;
    this.shipmentId = base + 1;
    this.unknownId = base + 2;
  }

  /** The kind of record number {@code i}: half valid, the other half each bad kind in turn. */
  static Kind kind(int i) {
    int slot = i % 20;
    return slot < 10 ? Kind.VALID : Kind.values()[slot - 9];
  }

  static Map<String, Long> expectedReasons(int n) {
    Map<String, Long> expected = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Kind k = kind(i);
      if (k.reason != null) {
        expected.merge(k.reason, 1L, Long::sum);
      }
    }
    return expected;
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

  /** Writes the product's contract, another domain's contract, and the product declaration. */
  void declare(KafkaBroker broker) throws Exception {
    declare(broker, () -> {});
  }

  /** {@link #declare(KafkaBroker)}, running {@code justBefore} right before the declaration. */
  void declare(KafkaBroker broker, Runnable justBefore) throws Exception {
    try (var admin = broker.admin()) {
      new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(30))
          .ensure(MeshTopics.defaults().all());
    }
    String other = product.domain() + "x.shipments-value";
    try (var producer =
        new KafkaProducer<>(
            broker.producerConfig(),
            new StringSerializer(),
            MeshEventSerde.of(ContractEntry.class))) {
      producer
          .send(
              new ProducerRecord<>(
                  "mesh.contracts",
                  Orders.versionKey(product.defaultValueSubject(), 1),
                  Orders.version(
                      product.defaultValueSubject(), 1, orderId, Orders.SCHEMA, Orders.RULES)))
          .get();
      producer
          .send(
              new ProducerRecord<>(
                  "mesh.contracts",
                  Orders.versionKey(other, 1),
                  Orders.version(other, 1, shipmentId, Orders.OTHER_SCHEMA, null)))
          .get();
    }
    try (var producer =
        new KafkaProducer<>(
            broker.producerConfig(),
            new StringSerializer(),
            MeshEventSerde.of(DataProductEvent.class))) {
      producer.partitionsFor("mesh.products");
      justBefore.run();
      producer
          .send(
              new ProducerRecord<>(
                  "mesh.products",
                  product.toString(),
                  Orders.product(product.toString(), null, LifecycleStatus.ACTIVE)))
          .get();
    }
  }

  /**
   * Deletes the product's three topics, so validators that later tests start (each reads every
   * ingest topic from the start) do not check these records again.
   */
  void deleteTopics(KafkaBroker broker) {
    try (var admin = broker.admin()) {
      admin.deleteTopics(List.of(ingest(), validated(), dlq())).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Best effort: a leftover topic costs later tests time, not correctness.
    }
  }

  /** The value of record {@code i}. */
  byte[] value(int i) {
    GenericRecord order = Orders.order();
    order.put("orderId", "ORD-" + i);
    return switch (kind(i)) {
      case VALID -> confluent(orderId, order);
      case RANDOM_BYTES -> {
        byte[] b = new byte[1 + random.nextInt(300)];
        random.nextBytes(b);
        b[0] = (byte) (1 + random.nextInt(255));
        yield b;
      }
      case WRONG_MAGIC -> {
        byte[] b = confluent(orderId, order);
        b[0] = 1;
        yield b;
      }
      case UNKNOWN_ID -> confluent(unknownId, order);
      case OTHER_SUBJECT -> confluent(shipmentId, Orders.shipment());
      case TRUNCATED -> {
        byte[] b = confluent(orderId, order);
        yield Arrays.copyOf(b, b.length - 3);
      }
      case TRAILING -> {
        byte[] b = confluent(orderId, order);
        yield Arrays.copyOf(b, b.length + 2);
      }
      case RULE_RANGE -> {
        order.put("amount", 12_000.5);
        yield confluent(orderId, order);
      }
      case NULL_VALUE -> null;
      case OVERSIZED -> {
        order.put("status", "x".repeat(MAX_RECORD_BYTES + 500));
        yield confluent(orderId, order);
      }
      case RULE_NESTED -> {
        order.put("customer", null);
        yield confluent(orderId, order);
      }
    };
  }

  static byte[] key(int i) {
    return i % 7 == 0 ? null : ("k" + i).getBytes(StandardCharsets.UTF_8);
  }

  static int partition(int i) {
    return i % PARTITIONS;
  }

  /** Produces records {@code from} (inclusive) to {@code to} (exclusive). */
  void produce(KafkaBroker broker, int from, int to) {
    try (var producer = new KafkaProducer<byte[], byte[]>(broker.producerConfig())) {
      for (int i = from; i < to; i++) {
        var headers =
            new RecordHeaders().add("seq", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(ingest(), partition(i), key(i), value(i), headers));
      }
      producer.flush();
    }
  }

  static int seq(ConsumerRecord<byte[], byte[]> r) {
    Header h = r.headers().lastHeader("seq");
    return Integer.parseInt(new String(h.value(), StandardCharsets.UTF_8));
  }

  static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Every committed record of the product topic and the DLQ, read until {@code expected}. */
  static final class Outputs {
    final List<ConsumerRecord<byte[], byte[]>> validated = new ArrayList<>();
    final List<ConsumerRecord<byte[], byte[]>> dlq = new ArrayList<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String validatedTopic;

    Outputs(KafkaBroker broker, MixedRecords records) {
      this.validatedTopic = records.validated();
      consumer = new KafkaConsumer<>(broker.consumerConfig(KafkaBroker.unique("rv-check")));
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
        (r.topic().equals(validatedTopic) ? validated : dlq).add(r);
      }
      return validated.size() + dlq.size();
    }

    Map<String, Long> reasons() {
      Map<String, Long> counts = new HashMap<>();
      for (var r : dlq) {
        counts.merge(header(r, DlqHeaders.REASON), 1L, Long::sum);
      }
      return counts;
    }

    void close() {
      consumer.close();
    }
  }
}
