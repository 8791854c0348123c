package dev.meshbone.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.orders.Order;
import com.example.orders.OrderStatus;
import com.example.untrusted.Shipment;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The serializer, deserializer and serdes, against a local HTTP double of Confluent's registry. */
class KafkaAvroSerdeTest {
  private static final String TOPIC = "sales.orders";

  /** An older version of com.example.orders.Order: fewer fields, amount still an int. */
  private static final Schema ORDER_V1 =
      new Schema.Parser()
          .parse(
              """
              {"type":"record","name":"Order","namespace":"com.example.orders","fields":[
                {"name":"id","type":"string"},
                {"name":"amountCents","type":"int"},
                {"name":"placedAt","type":{"type":"long","logicalType":"timestamp-millis"}}]}
              """);

  private static final Schema USER =
      new Schema.Parser()
          .parse(
              """
              {"type":"record","name":"User","namespace":"com.example","fields":[
                {"name":"name","type":"string"},
                {"name":"age","type":["null","int"],"default":null}]}
              """);

  /** USER plus a field with a default. */
  private static final Schema USER_V2 =
      new Schema.Parser()
          .parse(
              """
              {"type":"record","name":"User","namespace":"com.example","fields":[
                {"name":"name","type":"string"},
                {"name":"age","type":["null","int"],"default":null},
                {"name":"country","type":"string","default":"NL"}]}
              """);

  private final FakeSchemaRegistry registry = FakeSchemaRegistry.start();

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  private Map<String, Object> props(Object... keyValues) {
    Map<String, Object> props = new HashMap<>();
    props.put("schema.registry.url", registry.url());
    props.put("schema.registry.retries.wait.ms", 10);
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put((String) keyValues[i], keyValues[i + 1]);
    }
    return props;
  }

  private KafkaAvroSerializer serializer(Object... keyValues) {
    var serializer = new KafkaAvroSerializer();
    serializer.configure(props(keyValues), false);
    return serializer;
  }

  private KafkaAvroDeserializer deserializer(Object... keyValues) {
    var deserializer = new KafkaAvroDeserializer();
    deserializer.configure(props(keyValues), false);
    return deserializer;
  }

  private static GenericRecord user(String name, Integer age) {
    var user = new GenericData.Record(USER);
    user.put("name", name);
    user.put("age", age);
    return user;
  }

  private static Order order() {
    return Order.newBuilder()
        .setId("o-1")
        .setAmountCents(12_50)
        .setPlacedAt(Instant.ofEpochMilli(1_700_000_000_000L))
        .setStatus(OrderStatus.PLACED)
        .setTags(List.of("express"))
        .build();
  }

  private static GenericRecord orderV1() {
    var order = new GenericData.Record(ORDER_V1);
    order.put("id", "o-1");
    order.put("amountCents", 999);
    order.put("placedAt", 1_700_000_000_000L);
    return order;
  }

  // --- round trips ---

  @Test
  void shouldRoundTripAGenericRecordInTheConfluentWireFormat() {
    byte[] bytes = serializer().serialize(TOPIC, user("ada", 36));

    assertThat(bytes[0]).isZero();
    assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(1);
    assertThat(registry.requests().get(0).path())
        .isEqualTo("/subjects/sales.orders-value/versions");
    GenericRecord back = (GenericRecord) deserializer().deserialize(TOPIC, bytes);
    assertThat(back.getSchema()).isEqualTo(USER);
    assertThat(back.get("name")).isEqualTo(new Utf8("ada"));
    assertThat(back.get("age")).isEqualTo(36);
  }

  @Test
  void shouldRoundTripASpecificRecord() {
    byte[] bytes = serializer().serialize(TOPIC, order());

    Object back =
        deserializer(
                "specific.avro.reader",
                true,
                "specific.avro.trusted.packages",
                "com.example.orders")
            .deserialize(TOPIC, bytes);

    assertThat(back).isInstanceOf(Order.class).isEqualTo(order());
  }

  @Test
  void shouldWriteExactlyThePlainAvroBytesAfterTheHeader() throws Exception {
    byte[] bytes = serializer().serialize(TOPIC, order());

    var plain = new java.io.ByteArrayOutputStream();
    var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(plain, null);
    new org.apache.avro.specific.SpecificDatumWriter<>(Order.class).write(order(), encoder);
    encoder.flush();
    assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plain.toByteArray());
  }

  @Test
  void shouldReadASpecificRecordAsGenericByDefault() {
    byte[] bytes = serializer().serialize(TOPIC, order());

    GenericRecord back = (GenericRecord) deserializer().deserialize(TOPIC, bytes);

    assertThat(back).isNotInstanceOf(Order.class);
    assertThat(back.get("id").toString()).isEqualTo("o-1");
    assertThat(back.get("placedAt")).isEqualTo(1_700_000_000_000L);
  }

  @Test
  void shouldReadLogicalTypesAsJavaObjectsWhenTold() {
    byte[] bytes = serializer().serialize(TOPIC, order());

    GenericRecord back =
        (GenericRecord)
            deserializer("avro.use.logical.type.converters", true).deserialize(TOPIC, bytes);

    assertThat(back.get("placedAt")).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
  }

  @Test
  void shouldRegisterTheSchemaNonJavaClientsRegister() {
    serializer().serialize(TOPIC, order());

    assertThat(registry.requests().get(0).body()).doesNotContain("avro.java.string");
    String avsc = Order.getClassSchema().toString().replace(",\"avro.java.string\":\"String\"", "");
    assertThat(registry.register("sales.orders-value", avsc)).isEqualTo(1);
  }

  @Test
  void shouldSerializePrimitivesAsConfluentDoes() {
    var serializer = serializer();
    var deserializer = deserializer();

    assertThat(deserializer.deserialize("s", serializer.serialize("s", "key-1")))
        .isEqualTo("key-1");
    assertThat(deserializer.deserialize("l", serializer.serialize("l", 42L))).isEqualTo(42L);
    assertThat(deserializer.deserialize("i", serializer.serialize("i", 7))).isEqualTo(7);
    assertThat(deserializer.deserialize("b", serializer.serialize("b", true))).isEqualTo(true);
    assertThat(deserializer.deserialize("d", serializer.serialize("d", 1.5d))).isEqualTo(1.5d);
    assertThat(deserializer.deserialize("f", serializer.serialize("f", 2.5f))).isEqualTo(2.5f);
    assertThat((byte[]) deserializer.deserialize("y", serializer.serialize("y", new byte[] {1, 2})))
        .containsExactly(1, 2);
    assertThat(
            (byte[])
                deserializer.deserialize(
                    "y", serializer.serialize("y", ByteBuffer.wrap(new byte[] {4}))))
        .containsExactly(4);
    assertThat(registry.requests().get(0).body()).contains("\\\"string\\\"");
  }

  @Test
  void shouldReadAValueInPlaceFromABuffer() {
    byte[] bytes = serializer().serialize(TOPIC, order());
    byte[] padded = new byte[bytes.length + 7];
    System.arraycopy(bytes, 0, padded, 3, bytes.length);
    ByteBuffer buffer = ByteBuffer.wrap(padded, 3, bytes.length).slice();
    var deserializer =
        deserializer(
            "specific.avro.reader", true, "specific.avro.trusted.packages", "com.example.orders");

    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();

    assertThat(deserializer.deserialize(TOPIC, null, buffer)).isEqualTo(order());
    assertThat(deserializer.deserialize(TOPIC, null, direct)).isEqualTo(order());
    assertThat(deserializer.deserialize(TOPIC, null, (ByteBuffer) null)).isNull();
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, null, ByteBuffer.allocate(0)))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void shouldKeepNullAsNull() {
    assertThat(serializer().serialize(TOPIC, null)).isNull();
    assertThat(deserializer().deserialize(TOPIC, null)).isNull();
    assertThat(registry.requestCount()).isZero();
  }

  // --- subjects ---

  @Test
  void shouldRegisterKeysUnderTheKeySubject() {
    var serializer = new KafkaAvroSerializer();
    serializer.configure(props(), true);

    serializer.serialize(TOPIC, "o-1");

    assertThat(registry.requests().get(0).path()).isEqualTo("/subjects/sales.orders-key/versions");
  }

  @Test
  void shouldNameSubjectsByConfluentsStrategies() {
    serializer(
            "value.subject.name.strategy",
            "io.confluent.kafka.serializers.subject.RecordNameStrategy")
        .serialize(TOPIC, order());
    serializer("value.subject.name.strategy", "TopicRecordNameStrategy").serialize(TOPIC, order());

    assertThat(registry.requests().get(0).path())
        .isEqualTo("/subjects/com.example.orders.Order/versions");
    assertThat(registry.requests().get(1).path())
        .isEqualTo("/subjects/sales.orders-com.example.orders.Order/versions");
  }

  @Test
  void shouldTakeACustomStrategyClass() {
    serializer("value.subject.name.strategy", UpperCaseStrategy.class.getName())
        .serialize(TOPIC, order());

    assertThat(registry.requests().get(0).path()).isEqualTo("/subjects/SALES.ORDERS/versions");
  }

  /** A custom strategy, as users configure by class name. */
  public static final class UpperCaseStrategy implements SubjectNameStrategy {
    @Override
    public String subjectName(String topic, boolean isKey, Schema schema) {
      return topic.toUpperCase(java.util.Locale.ROOT);
    }
  }

  @Test
  void shouldRefuseAnUnknownStrategy() {
    assertThatThrownBy(() -> serializer("value.subject.name.strategy", "NoSuchStrategy"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("value.subject.name.strategy")
        .hasMessageContaining("RecordNameStrategy");
  }

  // --- registration modes ---

  @Test
  void shouldLookUpInsteadOfRegisteringWhenAutoRegisterIsOff() {
    int id = registry.register("sales.orders-value", USER.toString());

    byte[] bytes = serializer("auto.register.schemas", false).serialize(TOPIC, user("ada", null));

    assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(id);
    assertThat(registry.requests().get(0).path()).isEqualTo("/subjects/sales.orders-value");
  }

  @Test
  void shouldSayTheSchemaIsNotRegisteredWhenAutoRegisterIsOff() {
    var serializer = serializer("auto.register.schemas", "false");

    assertThatThrownBy(() -> serializer.serialize(TOPIC, user("ada", null)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("not registered under subject sales.orders-value")
        .hasMessageContaining("auto.register.schemas=false")
        .hasCauseInstanceOf(SchemaRegistryException.class);
  }

  @Test
  void shouldSayWhyTheRegistryRefusedASchema() {
    registry.register("sales.orders-value", USER.toString());
    Schema incompatible =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"com.example\","
                    + "\"fields\":[{\"name\":\"name\",\"type\":\"long\"}]}");
    var record = new GenericData.Record(incompatible);
    record.put("name", 1L);

    assertThatThrownBy(() -> serializer().serialize(TOPIC, record))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot register the schema of com.example.User")
        .hasMessageContaining("409");
  }

  @Test
  void shouldWriteUnderTheLatestVersionWhenTold() {
    registry.register("sales.orders-value", USER.toString());
    int latest = registry.register("sales.orders-value", USER_V2.toString());
    var serializer = serializer("auto.register.schemas", false, "use.latest.version", true);

    byte[] bytes = serializer.serialize(TOPIC, user("ada", 36));

    assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(latest);
    GenericRecord back = (GenericRecord) deserializer().deserialize(TOPIC, bytes);
    assertThat(back.getSchema()).isEqualTo(USER_V2);
    assertThat(back.get("name").toString()).isEqualTo("ada");
    assertThat(back.get("age")).isEqualTo(36);
    assertThat(back.get("country").toString()).isEqualTo("NL");
  }

  @Test
  void shouldProjectAGeneratedRecordOntoALatestVersionWithOtherFieldOrder() {
    Schema latest =
        new Schema.Parser()
            .parse(
                """
                {"type":"record","name":"Order","namespace":"com.example.orders","fields":[
                  {"name":"channel","type":"string","default":"web"},
                  {"name":"status","type":{"type":"enum","name":"OrderStatus",
                      "symbols":["SHIPPED","PLACED","UNKNOWN"],"default":"UNKNOWN"}},
                  {"name":"placedAt","type":{"type":"long","logicalType":"timestamp-millis"}},
                  {"name":"amountCents","type":"long"},
                  {"name":"id","type":"string"}]}
                """);
    int id = registry.register("sales.orders-value", latest.toString());
    var serializer = serializer("auto.register.schemas", false, "use.latest.version", true);

    byte[] bytes = serializer.serialize(TOPIC, order());

    assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(id);
    GenericRecord back = (GenericRecord) deserializer().deserialize(TOPIC, bytes);
    assertThat(back.get("channel").toString()).isEqualTo("web");
    assertThat(back.get("status").toString()).isEqualTo("PLACED");
    assertThat(back.get("placedAt")).isEqualTo(1_700_000_000_000L);
    assertThat(back.get("amountCents")).isEqualTo(1250L);
    assertThat(back.get("id").toString()).isEqualTo("o-1");
  }

  @Test
  void shouldRefuseARecordTheLatestVersionCannotRead() {
    Schema strict =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"com.example\","
                    + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"},"
                    + "{\"name\":\"email\",\"type\":\"string\"}]}");
    registry.register("sales.orders-value", strict.toString());
    var serializer = serializer("auto.register.schemas", false, "use.latest.version", true);

    assertThatThrownBy(() -> serializer.serialize(TOPIC, user("ada", null)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("latest.compatibility.strict")
        .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE");
  }

  @Test
  void shouldReadIntoTheLatestVersionWhenTold() {
    byte[] bytes = serializer().serialize(TOPIC, user("ada", 36));
    registry.register("sales.orders-value", USER_V2.toString());

    GenericRecord back =
        (GenericRecord) deserializer("use.latest.version", true).deserialize(TOPIC, bytes);

    assertThat(back.getSchema()).isEqualTo(USER_V2);
    assertThat(back.get("country").toString()).isEqualTo("NL");
  }

  @Test
  void shouldAskForTheLatestVersionAgainAfterItsTimeToLive() {
    registry.register("sales.orders-value", USER.toString());
    var serializer =
        serializer(
            "auto.register.schemas", false, "use.latest.version", true, "latest.cache.ttl.sec", 0);
    assertThat(ConfluentWireFormat.schemaId(serializer.serialize(TOPIC, user("a", 1))))
        .isEqualTo(1);

    int newer = registry.register("sales.orders-value", USER_V2.toString());

    assertThat(ConfluentWireFormat.schemaId(serializer.serialize(TOPIC, user("a", 1))))
        .isEqualTo(newer);
  }

  // --- schema evolution on read ---

  @Test
  void shouldReadAnOlderWriterIntoTheNewerClass() {
    byte[] bytes = serializer().serialize(TOPIC, orderV1());

    Order back =
        (Order)
            deserializer(
                    "specific.avro.reader",
                    true,
                    "specific.avro.trusted.packages",
                    "com.example.orders")
                .deserialize(TOPIC, bytes);

    assertThat(back.getId()).isEqualTo("o-1");
    assertThat(back.getAmountCents()).isEqualTo(999L);
    assertThat(back.getCurrency()).isEqualTo("EUR");
    assertThat(back.getStatus()).isEqualTo(OrderStatus.UNKNOWN);
    assertThat(back.getTags()).isEmpty();
    assertThat(back.getPlacedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
  }

  @Test
  void shouldRefuseAWriterSchemaTheConfiguredTypeCannotRead() {
    Schema renamed =
        new Schema.Parser()
            .parse(
                """
                {"type":"record","name":"LegacyOrder","namespace":"com.legacy","fields":[
                  {"name":"id","type":"string"},
                  {"name":"amountCents","type":"long"},
                  {"name":"placedAt","type":{"type":"long","logicalType":"timestamp-millis"}}]}
                """);
    var legacy = new GenericData.Record(renamed);
    legacy.put("id", "o-9");
    legacy.put("amountCents", 5L);
    legacy.put("placedAt", 0L);
    byte[] bytes = serializer().serialize(TOPIC, legacy);

    assertThatThrownBy(
            () -> deserializer("specific.avro.value.type", Order.class).deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("schema id 1 (com.legacy.LegacyOrder) cannot be read as")
        .hasMessageContaining("NAME_MISMATCH");
  }

  @Test
  void shouldReadAConfiguredTypeByItsClassName() {
    byte[] bytes = serializer().serialize(TOPIC, order());

    Object back =
        deserializer("specific.avro.value.type", "com.example.orders.Order")
            .deserialize(TOPIC, bytes);

    assertThat(back).isEqualTo(order());
  }

  @Test
  void shouldRefuseToInstantiateAClassFromAnUntrustedPackage() {
    byte[] bytes = serializer().serialize(TOPIC, Shipment.newBuilder().setId("s-1").build());

    assertThatThrownBy(
            () ->
                deserializer(
                        "specific.avro.reader",
                        true,
                        "specific.avro.trusted.packages",
                        "com.example.orders")
                    .deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("com.example.untrusted.Shipment")
        .hasMessageContaining("not trusted")
        .hasMessageContaining("specific.avro.trusted.packages");
  }

  @Test
  void shouldSayWhenNoGeneratedClassExists() {
    byte[] bytes = serializer().serialize(TOPIC, user("ada", 1));

    assertThatThrownBy(
            () ->
                deserializer(
                        "specific.avro.reader",
                        true,
                        "specific.avro.trusted.packages",
                        "com.example.orders")
                    .deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("no generated class com.example.User");
  }

  // --- garbage in ---

  @Test
  void shouldRefuseBytesThatAreNotTheWireFormat() {
    var deserializer = deserializer();

    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[0]))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 1}))
        .hasMessageContaining("shorter than the 5-byte header");
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, "{\"a\":1}".getBytes()))
        .hasMessageContaining("magic byte");
    assertThat(registry.requestCount()).isZero();
  }

  @Test
  void shouldRefuseAnUnknownSchemaId() {
    byte[] bytes = {0, 0, 0, 0x30, 0x39, 2, 'x'};

    assertThatThrownBy(() -> deserializer().deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("unknown schema id 12345")
        .hasMessageContaining("40403");
  }

  @Test
  void shouldRefuseATruncatedPayload() {
    byte[] bytes = serializer().serialize(TOPIC, order());
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);

    assertThatThrownBy(() -> deserializer().deserialize(TOPIC, truncated))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("truncated")
        .hasMessageContaining("schema id 1 (com.example.orders.Order)");
  }

  @Test
  void shouldRefuseTrailingBytes() {
    byte[] bytes = serializer().serialize(TOPIC, order());
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 2);

    assertThatThrownBy(() -> deserializer().deserialize(TOPIC, longer))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("2 bytes left after the Avro record of schema id 1");
  }

  @Test
  void shouldRefuseAPayloadThatIsNotAvroOfItsSchema() {
    serializer().serialize(TOPIC, order());
    // A string length of -1: malformed, not merely short.
    byte[] bytes = {0, 0, 0, 0, 1, 1};

    assertThatThrownBy(() -> deserializer().deserialize(TOPIC, bytes))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("schema id 1");
  }

  @Test
  void shouldAnswerRandomBytesWithASerializationExceptionOrARecord() {
    byte[] valid = serializer().serialize(TOPIC, order());
    var deserializer =
        deserializer(
            "specific.avro.reader", true, "specific.avro.trusted.packages", "com.example.orders");
    Random random = new Random(42);

    for (int i = 0; i < 5_000; i++) {
      byte[] bytes = Arrays.copyOf(valid, 1 + random.nextInt(valid.length + 8));
      // Keep the header of a known id, scramble the payload.
      for (int b = 5 + random.nextInt(Math.max(1, bytes.length)); b < bytes.length; b++) {
        bytes[b] = (byte) random.nextInt(256);
      }
      try {
        assertThat(deserializer.deserialize(TOPIC, bytes)).isInstanceOf(Order.class);
      } catch (SerializationException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }

  @Test
  void shouldRefuseAValueThatIsNotAvro() {
    assertThatThrownBy(() -> serializer().serialize(TOPIC, Map.of("a", 1)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot serialize a java.util");
  }

  @Test
  void shouldRefuseARecordThatDoesNotMatchItsSchema() {
    var broken = new GenericData.Record(USER);

    assertThatThrownBy(() -> serializer().serialize(TOPIC, broken))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot encode a com.example.User for topic sales.orders");
  }

  @Test
  void shouldKeepWorkingAfterARecordFailedHalfWay() {
    var serializer = serializer();
    var broken = new GenericData.Record(USER_V2);
    broken.put("name", "x");
    broken.put("age", 3);
    assertThatThrownBy(() -> serializer.serialize(TOPIC, broken))
        .isInstanceOf(SerializationException.class);

    byte[] bytes = serializer.serialize(TOPIC, user("ada", 36));

    assertThat(((GenericRecord) deserializer().deserialize(TOPIC, bytes)).get("name").toString())
        .isEqualTo("ada");
  }

  // --- hot path ---

  @Test
  void shouldDoNoIoAfterTheFirstRecordOfASchema() {
    var serializer = serializer();
    var deserializer =
        deserializer(
            "specific.avro.reader", true, "specific.avro.trusted.packages", "com.example.orders");
    deserializer.deserialize(TOPIC, serializer.serialize(TOPIC, order()));
    int requests = registry.requestCount();

    for (int i = 0; i < 1_000; i++) {
      deserializer.deserialize(TOPIC, serializer.serialize(TOPIC, order()));
    }

    assertThat(registry.requestCount()).isEqualTo(requests);
  }

  @Test
  void shouldCacheEachTopicsSubjectApart() {
    var serializer = serializer();

    serializer.serialize("a", order());
    serializer.serialize("b", order());
    serializer.serialize("a", order());

    assertThat(registry.requests())
        .extracting(FakeSchemaRegistry.Request::path)
        .containsExactly("/subjects/a-value/versions", "/subjects/b-value/versions");
  }

  @Test
  void shouldBeSafeToShareAcrossThreads() throws Exception {
    var serializer = serializer();
    var deserializer =
        deserializer(
            "specific.avro.reader", true, "specific.avro.trusted.packages", "com.example.orders");
    var genericDeserializer = deserializer();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 500; i++) {
                    Order order = Order.newBuilder(order()).setId("o-" + thread + "-" + i).build();
                    String topic = "t" + (i % 3);
                    assertThat(deserializer.deserialize(topic, serializer.serialize(topic, order)))
                        .isEqualTo(order);
                    GenericRecord user = user("u" + i, i);
                    assertThat(
                            genericDeserializer.deserialize(
                                topic, serializer.serialize(topic + "u", user)))
                        .hasToString(user.toString());
                  }
                }));
      }
      for (var future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // --- Kafka Streams serdes ---

  @Test
  void shouldRoundTripThroughTheGenericSerde() {
    try (var serde = new GenericAvroSerde()) {
      serde.configure(props(), false);

      GenericRecord back =
          serde
              .deserializer()
              .deserialize(TOPIC, serde.serializer().serialize(TOPIC, user("ada", 1)));

      assertThat(back.get("name").toString()).isEqualTo("ada");
    }
  }

  @Test
  void shouldRoundTripThroughTheSpecificSerde() {
    try (var serde = new SpecificAvroSerde<Order>()) {
      serde.configure(props("specific.avro.trusted.packages", "com.example.orders"), false);

      Order back =
          serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, order()));

      assertThat(back).isEqualTo(order());
    }
  }

  @Test
  void shouldReadOlderRecordsThroughTheSpecificSerdeOfAType() {
    byte[] bytes = serializer().serialize(TOPIC, orderV1());
    try (var serde = new SpecificAvroSerde<>(Order.class)) {
      serde.configure(props(), false);

      assertThat(serde.deserializer().deserialize(TOPIC, bytes).getCurrency()).isEqualTo("EUR");
    }
  }

  @Test
  void shouldWorkWithAGivenClientWithoutConfiguration() {
    var client = RestSchemaRegistryClient.fromConfig(props());
    var serde = new SpecificAvroSerde<>(client, Order.class);

    Order back =
        serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, order()));

    assertThat(back).isEqualTo(order());
  }

  @Test
  void shouldSayASerdeMustBeConfigured() {
    var serde = new GenericAvroSerde();

    assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, user("a", 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("schema.registry.url");
  }

  @Test
  void shouldRefuseToStartWithoutARegistryUrl() {
    assertThatThrownBy(() -> new KafkaAvroSerializer().configure(Map.of(), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url");
    assertThatThrownBy(
            () ->
                new KafkaAvroDeserializer()
                    .configure(
                        Map.of("schema.registry.url", "http://x:1", "specific.avro.reader", "yes"),
                        false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("specific.avro.reader");
  }
}
