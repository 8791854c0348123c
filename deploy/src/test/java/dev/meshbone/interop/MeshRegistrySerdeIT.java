package dev.meshbone.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meshbone.events.ChangeType;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.Owner;
import dev.meshbone.events.ProductDescriptor;
import dev.meshbone.registry.RegistryApp;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.serde.CompatibilityResult;
import dev.meshbone.serde.ConfluentWireFormat;
import dev.meshbone.serde.KafkaAvroDeserializer;
import dev.meshbone.serde.KafkaAvroSerializer;
import dev.meshbone.serde.RestSchemaRegistryClient;
import dev.meshbone.serde.SchemaRegistryException;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import dev.meshbone.validator.ValidatorApp;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * meshbone's Java serde ({@code dev.meshbone.serde}) against meshbone's own schema registry API,
 * with contract-validator deciding every registration, and records crossing a real broker: the
 * serde's REST client and wire format speak what mesh-registry serves.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeshRegistrySerdeIT {
  private KafkaBroker broker;
  private Path stateDir;
  private ApplicationContext validator;
  private ApplicationContext registry;
  private String registryUrl;
  private String domain;

  @BeforeAll
  void startServices(KafkaBroker broker) throws IOException {
    this.broker = broker;
    stateDir = Files.createTempDirectory("serde-interop-it");
    validator = ValidatorApp.start(settings("validator"));
    registry = RegistryApp.start(settings("registry"));
    awaitRunning(validator);
    awaitRunning(registry);
    registryUrl = "http://localhost:" + registry.getBean(EmbeddedServer.class).getPort();
  }

  @AfterAll
  void stopServices() {
    if (registry != null) {
      registry.close();
    }
    if (validator != null) {
      validator.close();
    }
  }

  @BeforeEach
  void newDomain() {
    domain = "sd" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  /** The serde's settings as a domain service has them: the registry, and the domain as user. */
  private Map<String, Object> serde(Object... more) {
    Map<String, Object> props = new HashMap<>();
    props.put("schema.registry.url", registryUrl);
    props.put("basic.auth.credentials.source", "USER_INFO");
    props.put("basic.auth.user.info", domain + ":secret");
    for (int i = 0; i < more.length; i += 2) {
      props.put((String) more[i], more[i + 1]);
    }
    return props;
  }

  private Map<String, Object> producerConfig(Map<String, Object> serde) {
    var config = new HashMap<>(broker.producerConfig());
    config.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    config.put("value.serializer", "dev.meshbone.serde.KafkaAvroSerializer");
    config.putAll(serde);
    return config;
  }

  private <V> List<V> consume(String topic, int count, Map<String, Object> serde) {
    var config = new HashMap<>(broker.consumerConfig(KafkaBroker.unique("serde-interop")));
    config.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    config.put("value.deserializer", "dev.meshbone.serde.KafkaAvroDeserializer");
    config.putAll(serde);
    List<V> values = new ArrayList<>();
    try (var consumer = new KafkaConsumer<String, V>(config)) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return values.size() >= count;
              });
    }
    return values;
  }

  private DataProductEvent event(int i) {
    return DataProductEvent.newBuilder()
        .setEventId("e-" + i)
        .setProductId(domain + ".orders")
        .setDomain(domain)
        .setType(ChangeType.UPDATED)
        .setOccurredAt(Instant.ofEpochMilli(1_700_000_000_000L + i))
        .setDescriptor(
            ProductDescriptor.newBuilder()
                .setName("Orders")
                .setOwner(Owner.newBuilder().setTeam("orders").build())
                .setTags(List.of("sales"))
                .build())
        .build();
  }

  private Schema order(String extraField) {
    return new Schema.Parser()
        .parse(
            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\""
                + domain
                + "\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
                + "{\"name\":\"amount\",\"type\":\"long\"}"
                + (extraField == null ? "" : "," + extraField)
                + "]}");
  }

  @Test
  void shouldRoundTripGeneratedRecordsThroughTheMeshRegistry() {
    String topic = domain + ".product-log";
    broker.createTopics(2, topic);

    try (var producer = new KafkaProducer<String, Object>(producerConfig(serde()))) {
      for (int i = 0; i < 20; i++) {
        producer.send(new ProducerRecord<>(topic, "k" + i, event(i)));
      }
    }
    List<Object> values = consume(topic, 20, serde("specific.avro.reader", true));

    assertThat(values).hasSize(20).contains(event(0), event(19));
    try (var client = RestSchemaRegistryClient.fromConfig(serde())) {
      var latest = client.latest(topic + "-value");
      assertThat(latest.version()).isEqualTo(1);
      assertThat(latest.schema().toString()).doesNotContain("avro.java.string");
    }
  }

  @Test
  void shouldSendAndReadWithTheSettingsTheSerdePageShows() {
    String topic = domain + ".order-events";
    broker.createTopics(1, topic);
    Properties producerProps = SerdeSnippets.producer(broker.bootstrapServers(), registryUrl);
    producerProps.putAll(broker.clientConfig());
    Properties consumerProps = SerdeSnippets.consumer(broker.bootstrapServers(), registryUrl);
    consumerProps.putAll(broker.clientConfig());
    consumerProps.put("group.id", KafkaBroker.unique("serde-page"));
    consumerProps.put("auto.offset.reset", "earliest");

    try (var producer = new KafkaProducer<String, DataProductEvent>(producerProps)) {
      producer.send(new ProducerRecord<>(topic, "k1", event(1))).get();
    } catch (Exception e) {
      throw new AssertionError("the serde page's producer settings failed to send", e);
    }
    List<DataProductEvent> read = new ArrayList<>();
    try (var consumer = new KafkaConsumer<String, DataProductEvent>(consumerProps)) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
                return !read.isEmpty();
              });
    }

    assertThat(read).containsExactly(event(1));
  }

  @Test
  void shouldGiveTheGeneratedClassTheIdOfItsAvscText() {
    try (var client = RestSchemaRegistryClient.fromConfig(serde());
        var serializer = new KafkaAvroSerializer()) {
      serializer.configure(serde(), false);

      byte[] bytes = serializer.serialize(domain + ".products", event(1));
      Schema avsc =
          new Schema.Parser()
              .parse(
                  DataProductEvent.getClassSchema()
                      .toString()
                      .replace(",\"avro.java.string\":\"String\"", ""));
      int fromAvsc = client.register(domain + ".other-value", avsc, false);

      assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(fromAvsc);
    }
  }

  @Test
  void shouldReadEvolvedGenericRecordsAndWriteUnderTheLatestVersion() {
    String topic = domain + ".orders";
    broker.createTopics(1, topic);
    Schema v1 = order(null);
    Schema v2 = order("{\"name\":\"currency\",\"type\":\"string\",\"default\":\"EUR\"}");
    GenericRecord first = new GenericData.Record(v1);
    first.put("id", "o-1");
    first.put("amount", 10L);
    GenericRecord second = new GenericData.Record(v2);
    second.put("id", "o-2");
    second.put("amount", 20L);
    second.put("currency", "USD");

    try (var producer = new KafkaProducer<String, Object>(producerConfig(serde()))) {
      producer.send(new ProducerRecord<>(topic, "o-1", first));
      producer.send(new ProducerRecord<>(topic, "o-2", second));
      // A producer still on v1, writing under the latest version (v2) without registering.
      producer.flush();
    }
    try (var latestProducer =
        new KafkaProducer<String, Object>(
            producerConfig(serde("auto.register.schemas", false, "use.latest.version", true)))) {
      GenericRecord third = new GenericData.Record(v1);
      third.put("id", "o-3");
      third.put("amount", 30L);
      latestProducer.send(new ProducerRecord<>(topic, "o-3", third));
    }

    List<Object> asWritten = consume(topic, 3, serde());
    List<Object> asLatest = consume(topic, 3, serde("use.latest.version", true));

    assertThat(asWritten)
        .extracting(r -> ((GenericRecord) r).getSchema().getFields().size())
        .containsExactly(2, 3, 3);
    assertThat(asLatest)
        .extracting(r -> r.toString())
        .containsExactly(
            "{\"id\": \"o-1\", \"amount\": 10, \"currency\": \"EUR\"}",
            "{\"id\": \"o-2\", \"amount\": 20, \"currency\": \"USD\"}",
            "{\"id\": \"o-3\", \"amount\": 30, \"currency\": \"EUR\"}");
  }

  @Test
  void shouldRegisterAProductsIngestTopicUnderItsCanonicalSubject() {
    String topic = domain + ".orders.ingest";
    GenericRecord record = new GenericData.Record(order(null));
    record.put("id", "o-1");
    record.put("amount", 1L);

    try (var serializer = new KafkaAvroSerializer();
        var client = RestSchemaRegistryClient.fromConfig(serde())) {
      serializer.configure(serde(), false);
      byte[] bytes = serializer.serialize(topic, record);

      assertThat(client.latest(domain + ".orders-value").id())
          .isEqualTo(ConfluentWireFormat.schemaId(bytes));
      try (var deserializer = new KafkaAvroDeserializer()) {
        deserializer.configure(serde(), false);
        assertThat(deserializer.deserialize(topic, bytes)).hasToString(record.toString());
      }
    }
  }

  @Test
  void shouldCarryTheRegistrysRefusalsAndAnswers() {
    String subject = domain + ".orders-value";
    try (var client = RestSchemaRegistryClient.fromConfig(serde())) {
      int id = client.register(subject, order(null), false);
      Schema incompatible = order("{\"name\":\"currency\",\"type\":\"string\"}");

      assertThat(client.lookup(subject, order(null), false).id()).isEqualTo(id);
      assertThat(client.version(subject, 1).id()).isEqualTo(id);
      assertThat(client.schemaById(id)).isEqualTo(order(null));
      CompatibilityResult result = client.testCompatibility(subject, incompatible);
      assertThat(result.compatible()).isFalse();
      assertThat(result.messages()).anyMatch(m -> m.contains("READER_FIELD_MISSING_DEFAULT_VALUE"));
      assertThatThrownBy(() -> client.register(subject, incompatible, false))
          .isInstanceOfSatisfying(
              SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(409));
      assertThatThrownBy(() -> client.schemaById(Integer.MAX_VALUE))
          .isInstanceOfSatisfying(
              SchemaRegistryException.class,
              e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
      assertThatThrownBy(() -> client.latest(domain + ".nothing-value"))
          .isInstanceOfSatisfying(
              SchemaRegistryException.class,
              e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
    }
  }

  @Test
  void shouldRefuseToWriteAnotherDomainsSubject() {
    GenericRecord record = new GenericData.Record(order(null));
    record.put("id", "o-1");
    record.put("amount", 1L);
    try (var serializer = new KafkaAvroSerializer()) {
      serializer.configure(serde("basic.auth.user.info", "intruder:secret"), false);

      assertThatThrownBy(() -> serializer.serialize(domain + ".orders", record))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("cannot register the schema")
          .hasCauseInstanceOf(SchemaRegistryException.class)
          .satisfies(
              e -> assertThat(((SchemaRegistryException) e.getCause()).status()).isEqualTo(403));
    }
  }

  private Map<String, Object> settings(String service) {
    var settings = new HashMap<String, Object>();
    settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
    broker.clientConfig().forEach((k, v) -> settings.put("kafka." + k, v));
    settings.put("kafka.streams.application.id", KafkaBroker.unique(service));
    settings.put("meshbone.state-dir", stateDir.resolve(service).toString());
    settings.put("micronaut.server.port", -1);
    // The validator sees a new product's topics at its next metadata refresh (10 s by default).
    settings.put("kafka.streams.consumer.metadata.max.age.ms", 1000);
    // The services refuse to start without a credential source unless told to run open.
    settings.put("meshbone.security.enabled", false);
    return settings;
  }

  private static void awaitRunning(ApplicationContext context) {
    var streams = context.getBean(MeshStreams.class).streams();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> streams.state() == KafkaStreams.State.RUNNING);
  }
}
