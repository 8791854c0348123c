package dev.meshbone.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.example.orders.Order;
import com.example.orders.OrderStatus;
import dev.meshbone.serde.ConfluentWireFormat;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK's Kafka paths on a real broker, with an HTTP double standing in for the registry:
 * publishing records to a product's ingest topic (and every way that can fail), and reading a
 * product's validated topic as a subscriber. The topics are made here, as contract-validator's
 * provisioner makes them in a mesh; deploy's MeshClientIT drives the same calls against the real
 * services.
 */
@WithKafka
class MeshClientKafkaIT {
  private final KafkaBroker broker;
  private RegistryDouble registry;
  private MeshClient mesh;
  private String domain;
  private String productId;

  MeshClientKafkaIT(KafkaBroker broker) {
    this.broker = broker;
  }

  @BeforeEach
  void start() {
    domain = "sdk" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    productId = domain + ".orders";
    registry = RegistryDouble.start();
    mesh = client(Duration.ofSeconds(20), broker.bootstrapServers());
  }

  private MeshClient client(Duration timeouts, String bootstrap) {
    var settings =
        MeshClientSettings.builder()
            .domain(domain)
            .bootstrapServers(bootstrap)
            .registryUrl(registry.url())
            .brokerTimeout(timeouts)
            .topicReadyTimeout(timeouts)
            .deliveryTimeout(timeouts.plusSeconds(1));
    broker
        .clientConfig()
        .forEach(
            (k, v) -> {
              if (!k.equals("bootstrap.servers")) {
                settings.kafka(k, v);
              }
            });
    return MeshClient.create(settings.build());
  }

  @AfterEach
  void stop() {
    mesh.close();
    registry.close();
  }

  private Schema orderSchema() {
    return Contract.of(Order.class).schema();
  }

  private Order order(String id, long cents) {
    return Order.newBuilder()
        .setId(id)
        .setAmountCents(cents)
        .setPlacedAt(Instant.parse("2026-11-24T10:00:00Z"))
        .setStatus(OrderStatus.PLACED)
        .build();
  }

  private List<ConsumerRecord<byte[], byte[]>> read(String topic, int count) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<byte[], byte[]>(broker.consumerConfig(KafkaBroker.unique("read")))) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= count;
              });
    }
    return records;
  }

  @Test
  void shouldPublishAGenericRecordToTheIngestTopicInTheConfluentFormat() throws Exception {
    registry.product(productId).addSchema(productId + "-value", 31, orderSchema());
    broker.createTopics(3, productId + ".ingest");
    GenericRecord order = new GenericData.Record(orderSchema());
    order.put("id", "o-1");
    order.put("amountCents", 1250L);
    order.put("currency", "EUR");
    order.put("placedAt", 1_700_000_000_000L);
    order.put(
        "status", new GenericData.EnumSymbol(orderSchema().getField("status").schema(), "PLACED"));
    order.put("tags", List.of());
    order.put("note", null);

    PublishResult result = mesh.publish("orders", "o-1", order).get();

    assertThat(result.topic()).isEqualTo(productId + ".ingest");
    assertThat(result.schemaId()).isEqualTo(31);
    assertThat(result.offset()).isZero();
    var record = read(productId + ".ingest", 1).get(0);
    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("o-1");
    assertThat(ConfluentWireFormat.schemaId(record.value())).isEqualTo(31);
    var decoded =
        new GenericDatumReader<GenericRecord>(orderSchema())
            .read(
                null,
                DecoderFactory.get()
                    .binaryDecoder(record.value(), 5, record.value().length - 5, null));
    assertThat(decoded.get("amountCents")).isEqualTo(1250L);
    // The schema was looked up under the product's subject, never registered.
    assertThat(registry.requests("POST", "/subjects/" + productId + "-value")).hasSize(1);
    assertThat(registry.requests("POST", "/subjects/" + productId + "-value/versions")).isEmpty();
  }

  @Test
  void shouldKeepTheOrderOfOneKeysRecords() throws Exception {
    registry.product(productId).addSchema(productId + "-value", 32, orderSchema());
    broker.createTopics(3, productId + ".ingest");

    var futures = new ArrayList<java.util.concurrent.CompletableFuture<PublishResult>>();
    for (int i = 0; i < 50; i++) {
      futures.add(mesh.publish(productId, "customer-7", order("o-" + i, i)));
    }
    mesh.flush();

    List<Long> offsets = new ArrayList<>();
    for (var f : futures) {
      offsets.add(f.get().offset());
    }
    assertThat(offsets).isSorted().doesNotHaveDuplicates();
    assertThat(futures.stream().map(f -> f.join().partition()).distinct()).hasSize(1);
  }

  @Test
  void shouldFailWithContractNotRegisteredForASchemaTheContractDoesNotHave() {
    Schema other =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"Other\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}");
    registry.product(productId).addSchema(productId + "-value", 33, orderSchema());
    broker.createTopics(1, productId + ".ingest");
    GenericRecord record = new GenericData.Record(other);
    record.put("x", 1);

    assertThatThrownBy(() -> mesh.publish("orders", "k", record).join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(ContractNotRegisteredException.class)
        .hasMessageContaining("is not a registered version of the contract of " + productId)
        .hasMessageContaining("register it first");
  }

  @Test
  void shouldFailWithUnknownProductForAProductTheRegistryDoesNotKnow() {
    assertThatThrownBy(() -> mesh.publish("orders", "k", order("o", 1)).join())
        .cause()
        .isInstanceOf(UnknownProductException.class)
        .hasMessageContaining(productId + " is not in the mesh registry");
  }

  @Test
  void shouldFailWithBrokerUnavailableWhenKafkaCannotBeReached() throws Exception {
    int freePort;
    try (var socket = new ServerSocket(0)) {
      freePort = socket.getLocalPort();
    }
    registry.product(productId);
    try (var offline = client(Duration.ofSeconds(2), "127.0.0.1:" + freePort)) {
      assertThatThrownBy(() -> offline.publish("orders", "k", order("o", 1)).join())
          .cause()
          .isInstanceOfSatisfying(
              BrokerUnavailableException.class, e -> assertThat(e.isRetriable()).isTrue())
          .hasMessageContaining("127.0.0.1:" + freePort)
          .hasMessageContaining("did not answer in time");
    }
  }

  @Test
  void shouldSayWhichTopicDidNotAppearWhenTheMeshNeverMadeIt() {
    registry.product(productId);
    try (var impatient = client(Duration.ofSeconds(1), broker.bootstrapServers())) {
      assertThatThrownBy(() -> impatient.publish("orders", "k", order("o", 1)).join())
          .cause()
          .isInstanceOf(BrokerUnavailableException.class)
          .hasMessageContaining(
              "topic " + productId + ".ingest of " + productId + " did not appear")
          .hasMessageContaining("contract-validator");
    }
  }

  @Test
  void shouldFailWithRecordEncodingForSomethingThatIsNotARecord() {
    assertThatThrownBy(() -> mesh.publish("orders", "k", "just text").join())
        .cause()
        .isInstanceOf(UnknownProductException.class); // the product is checked first
    registry.product(productId);
    broker.createTopics(1, productId + ".ingest");
    assertThatThrownBy(() -> mesh.publish("orders", "k", "just text").join())
        .cause()
        .isInstanceOf(RecordEncodingException.class)
        .hasMessageContaining("is an Avro record");
  }

  @Test
  void shouldReadValidatedRecordsIntoAGeneratedClassAndCommitWhatWasRead() throws Exception {
    registry.product(productId).addSchema(productId + "-value", 34, orderSchema());
    broker.createTopics(2, productId);
    // The validated topic holds the ingest bytes unchanged: write them as the validator would.
    try (var producer = new KafkaProducer<byte[], byte[]>(broker.producerConfig())) {
      for (int i = 0; i < 5; i++) {
        producer.send(
            new ProducerRecord<>(
                productId,
                ("o-" + i).getBytes(StandardCharsets.UTF_8),
                confluent(34, order("o-" + i, 100L * i))));
      }
    }

    List<ProductRecord<Order>> records = new ArrayList<>();
    try (ProductConsumer<Order> consumer = mesh.consume(productId, Order.class, "billing")) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                records.addAll(consumer.poll(Duration.ofMillis(200)));
                return records.size() >= 5;
              });
    }
    assertThat(records)
        .extracting(r -> r.value().getId())
        .containsExactlyInAnyOrder("o-0", "o-1", "o-2", "o-3", "o-4");
    assertThat(records.get(0).schemaId()).isEqualTo(34);
    assertThat(records.get(0).productId()).isEqualTo(productId);

    // The same group starts after what was read.
    try (ProductConsumer<Order> again = mesh.consume(productId, Order.class, "billing")) {
      assertThat(again.poll(Duration.ofSeconds(2))).isEmpty();
    }
  }

  @Test
  void shouldStopAtARecordItCannotReadAndNotSkipIt() throws Exception {
    registry.product(productId).addSchema(productId + "-value", 35, orderSchema());
    broker.createTopics(1, productId);
    try (var producer = new KafkaProducer<byte[], byte[]>(broker.producerConfig())) {
      producer.send(new ProducerRecord<>(productId, null, confluent(35, order("good", 1))));
      producer.send(new ProducerRecord<>(productId, null, new byte[] {0, 0, 0, 0, 99, 1}));
    }

    try (ProductConsumer<Order> consumer = mesh.consume(productId, Order.class, "strict")) {
      List<ProductRecord<Order>> first = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                first.addAll(consumer.poll(Duration.ofMillis(200)));
                return !first.isEmpty();
              });
      assertThat(first).extracting(r -> r.value().getId()).containsExactly("good");
      assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(1)))
          .isInstanceOf(RecordEncodingException.class)
          .hasMessageContaining(productId + "-0@1");
      assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(1)))
          .isInstanceOf(RecordEncodingException.class);
    }
  }

  @Test
  void shouldReadTheOwnersDeadLettersWithTheirReasons() throws Exception {
    registry.product(productId);
    broker.createTopics(1, productId + ".dlq");
    var record =
        new ProducerRecord<byte[], byte[]>(
            productId + ".dlq", "o-9".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 1});
    record.headers().add("mesh.dlq.reason", "RULE_VIOLATION".getBytes(StandardCharsets.UTF_8));
    record
        .headers()
        .add("mesh.dlq.message", "amountCents -5 is below 0".getBytes(StandardCharsets.UTF_8));
    record.headers().add("mesh.dlq.rule", "positive".getBytes(StandardCharsets.UTF_8));
    record.headers().add("mesh.dlq.field", "amountCents".getBytes(StandardCharsets.UTF_8));
    record
        .headers()
        .add("mesh.dlq.source.topic", (productId + ".ingest").getBytes(StandardCharsets.UTF_8));
    record.headers().add("mesh.dlq.source.partition", "2".getBytes(StandardCharsets.UTF_8));
    record.headers().add("mesh.dlq.source.offset", "17".getBytes(StandardCharsets.UTF_8));
    try (var producer = new KafkaProducer<byte[], byte[]>(broker.producerConfig())) {
      producer.send(record).get();
    }

    List<ProductRecord<DeadLetter>> letters = new ArrayList<>();
    try (ProductConsumer<DeadLetter> dlq = mesh.deadLetters("orders", "dlq-watch")) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                letters.addAll(dlq.poll(Duration.ofMillis(200)));
                return !letters.isEmpty();
              });
    }
    DeadLetter letter = letters.get(0).value();
    assertThat(letter.key()).isEqualTo("o-9");
    assertThat(letter.reason()).isEqualTo("RULE_VIOLATION");
    assertThat(letter.rule()).isEqualTo("positive");
    assertThat(letter.field()).isEqualTo("amountCents");
    assertThat(letter.sourceTopic()).isEqualTo(productId + ".ingest");
    assertThat(letter.sourcePartition()).isEqualTo(2);
    assertThat(letter.sourceOffset()).isEqualTo(17);
    assertThat(letter)
        .hasToString("RULE_VIOLATION positive (amountCents): amountCents -5 is below 0");
  }

  private static byte[] confluent(int id, Order order) throws Exception {
    ByteBuffer avro = order.toByteBuffer();
    // Order.toByteBuffer is single-object encoded (10-byte header); the product topics hold the
    // Confluent format: magic 0, the id, Avro binary.
    byte[] body = new byte[avro.remaining() - 10];
    avro.position(10);
    avro.get(body);
    byte[] bytes = new byte[5 + body.length];
    ConfluentWireFormat.writeHeader(id, bytes, 0);
    System.arraycopy(body, 0, bytes, 5, body.length);
    return bytes;
  }
}
