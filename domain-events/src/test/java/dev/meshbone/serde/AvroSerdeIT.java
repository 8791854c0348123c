package dev.meshbone.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.example.orders.Order;
import com.example.orders.OrderStatus;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The serde through a real broker, configured by class name and properties exactly as Confluent's
 * serializers are; the registry is the local HTTP double.
 */
@WithKafka
class AvroSerdeIT {
  private static final Schema SUMMARY =
      new Schema.Parser()
          .parse(
              """
              {"type":"record","name":"OrderSummary","namespace":"com.example.orders","fields":[
                {"name":"id","type":"string"},
                {"name":"euros","type":"double"}]}
              """);

  private final FakeSchemaRegistry registry = FakeSchemaRegistry.start();

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  private static Order order(int i) {
    return Order.newBuilder()
        .setId("o-" + i)
        .setAmountCents(100L * i)
        .setPlacedAt(Instant.ofEpochMilli(1_700_000_000_000L + i))
        .setStatus(OrderStatus.PLACED)
        .build();
  }

  private Map<String, Object> producerConfig(KafkaBroker broker) {
    // As docs/serde.md shows it.
    var config = new HashMap<>(broker.producerConfig());
    config.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    config.put("value.serializer", "dev.meshbone.serde.KafkaAvroSerializer");
    config.put("schema.registry.url", registry.url());
    return config;
  }

  private Map<String, Object> consumerConfig(KafkaBroker broker, Map<String, Object> serde) {
    var config = new HashMap<>(broker.consumerConfig(KafkaBroker.unique("serde-it")));
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, KafkaAvroDeserializer.class.getName());
    config.put("schema.registry.url", registry.url());
    config.putAll(serde);
    return config;
  }

  private static <V> List<V> consume(KafkaConsumer<String, V> consumer, String topic, int count) {
    consumer.subscribe(List.of(topic));
    List<V> values = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
              return values.size() >= count;
            });
    return values;
  }

  @Test
  void shouldProduceAndConsumeSpecificRecords(KafkaBroker broker) {
    String topic = KafkaBroker.unique("sales.orders");
    broker.createTopics(2, topic);

    try (var producer = new KafkaProducer<String, Object>(producerConfig(broker))) {
      for (int i = 0; i < 100; i++) {
        producer.send(new ProducerRecord<>(topic, "o-" + i, order(i)));
      }
      producer.send(new ProducerRecord<>(topic, "gone", null));
      producer.flush();
    }

    var serde =
        Map.<String, Object>of(
            "specific.avro.reader", true, "specific.avro.trusted.packages", "com.example.orders");
    try (var consumer = new KafkaConsumer<String, Object>(consumerConfig(broker, serde))) {
      List<Object> values = consume(consumer, topic, 101);

      assertThat(values).hasSize(101).containsNull();
      assertThat(values.stream().filter(v -> v != null))
          .allSatisfy(v -> assertThat(v).isInstanceOf(Order.class))
          .contains(order(0), order(99));
    }
    assertThat(registry.requests())
        .extracting(FakeSchemaRegistry.Request::path)
        .containsExactly("/subjects/" + topic + "-value/versions", "/schemas/ids/1");
  }

  @Test
  void shouldSurfaceGarbageAsADeserializationErrorNamingTheProblem(KafkaBroker broker)
      throws Exception {
    String topic = KafkaBroker.unique("sales.orders");
    broker.createTopics(1, topic);
    var raw = new HashMap<>(broker.producerConfig());
    raw.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (var producer = new KafkaProducer<byte[], byte[]>(raw)) {
      producer.send(new ProducerRecord<>(topic, new byte[] {1}, new byte[] {0, 0, 0})).get();
    }

    try (var consumer = new KafkaConsumer<String, Object>(consumerConfig(broker, Map.of()))) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                try {
                  consumer.poll(Duration.ofMillis(200));
                  throw new AssertionError("no deserialization error yet");
                } catch (RecordDeserializationException e) {
                  assertThat(e.getCause())
                      .isInstanceOf(SerializationException.class)
                      .hasMessageContaining("shorter than the 5-byte header");
                  assertThat(e.offset()).isZero();
                }
              });
    }
  }

  @Test
  void shouldRunAStreamsTopologyOnTheSerdes(KafkaBroker broker) throws Exception {
    String input = KafkaBroker.unique("sales.orders");
    String output = KafkaBroker.unique("sales.order-summaries");
    broker.createTopics(1, input, output);
    try (var producer = new KafkaProducer<String, Object>(producerConfig(broker))) {
      for (int i = 1; i <= 10; i++) {
        producer.send(new ProducerRecord<>(input, "o-" + i, order(i)));
      }
    }

    // The input serde comes from default.value.serde, configured by Kafka Streams itself; the
    // output serde is configured by hand, as with Confluent's serdes.
    var props = new Properties();
    props.putAll(broker.clientConfig());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, KafkaBroker.unique("serde-it"));
    props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("serde-it").toString());
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, SpecificAvroSerde.class);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put("schema.registry.url", registry.url());
    props.put("specific.avro.trusted.packages", "com.example.orders");
    var summaries = new GenericAvroSerde();
    summaries.configure(Map.of("schema.registry.url", registry.url()), false);
    var builder = new StreamsBuilder();
    builder.<String, Order>stream(input, Consumed.as("orders"))
        .mapValues(
            order -> {
              GenericRecord summary = new GenericData.Record(SUMMARY);
              summary.put("id", order.getId());
              summary.put("euros", order.getAmountCents() / 100.0);
              return summary;
            },
            Named.as("summarize"))
        .to(output, Produced.<String, GenericRecord>as("summaries").withValueSerde(summaries));

    try (var streams = new KafkaStreams(builder.build(), props);
        var consumer = new KafkaConsumer<String, Object>(consumerConfig(broker, Map.of()))) {
      streams.start();
      List<Object> values = consume(consumer, output, 10);

      assertThat(values).extracting(v -> ((GenericRecord) v).get("euros")).contains(1.0, 10.0);
    }
  }
}
