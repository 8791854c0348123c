package dev.meshbone.validator.records;

import static dev.meshbone.validator.records.Orders.confluent;
import static dev.meshbone.validator.records.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.ProductStats;
import dev.meshbone.serde.MeshEventSerde;
import dev.meshbone.topics.DlqHeaders;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.validator.ValidatorTestConfig;
import dev.meshbone.validator.ValidatorTopology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Record validation in the validator's real topology, one behaviour per test. */
class RecordValidationTest {
  private static final String SUBJECT = "sales.orders-value";
  private static final int ORDER_ID = 11;
  private static final int SHIPMENT_ID = 12;
  private static final int KEY_ID = 13;
  private static final int MAX_BYTES = 2_000;

  private final MeshTopics topics = MeshTopics.defaults();
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> contracts;
  private TestInputTopic<String, byte[]> products;
  private TestInputTopic<byte[], byte[]> ingest;
  private TestOutputTopic<byte[], byte[]> validated;
  private TestOutputTopic<byte[], byte[]> dlq;

  @BeforeEach
  void start() throws Exception {
    var props = ValidatorTestConfig.streams("record-validation");
    driver =
        new TopologyTestDriver(
            ValidatorTopology.build(
                topics,
                RecordValidationSettings.defaults()
                    .withMaxRecordBytes(MAX_BYTES)
                    .withStatsIntervals(Duration.ofMillis(100), Duration.ofSeconds(1))),
            props);
    contracts =
        driver.createInputTopic(
            topics.contracts.name(), new StringSerializer(), new ByteArraySerializer());
    products =
        driver.createInputTopic(
            topics.products.name(), new StringSerializer(), new ByteArraySerializer());
    ingest =
        driver.createInputTopic(
            "sales.orders.ingest", new ByteArraySerializer(), new ByteArraySerializer());
    validated =
        driver.createOutputTopic(
            "sales.orders", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    dlq =
        driver.createOutputTopic(
            "sales.orders.dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    register(SUBJECT, 1, ORDER_ID, Orders.RULES);
    contracts.pipeInput(
        Orders.versionKey("logistics.shipments-value", 1),
        Orders.encode(
            Orders.version(
                "logistics.shipments-value", 1, SHIPMENT_ID, Orders.OTHER_SCHEMA, null)));
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private void register(String subject, int version, int id, String rules) {
    contracts.pipeInput(
        Orders.versionKey(subject, version),
        Orders.encode(Orders.version(subject, version, id, Orders.SCHEMA, rules)));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(TestRecord<?, ?> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private TestRecord<byte[], byte[]> rejected(byte[] value, String expectedReason) {
    ingest.pipeInput(bytes("k"), value);
    assertThat(validated.isEmpty()).isTrue();
    TestRecord<byte[], byte[]> r = dlq.readRecord();
    assertThat(header(r, DlqHeaders.REASON))
        .as(header(r, DlqHeaders.MESSAGE))
        .isEqualTo(expectedReason);
    assertThat(dlq.isEmpty()).isTrue();
    return r;
  }

  @Test
  void shouldRouteValidRecordToProductTopicByteForByte() {
    byte[] value = confluent(ORDER_ID, order());
    var headers = new RecordHeaders().add("trace", bytes("t-1"));
    Instant at = Instant.parse("2026-03-01T10:00:00Z");

    ingest.pipeInput(new TestRecord<>(bytes("order-1"), value, headers, at));

    TestRecord<byte[], byte[]> out = validated.readRecord();
    assertThat(out.value()).isEqualTo(value);
    assertThat(out.key()).isEqualTo(bytes("order-1"));
    assertThat(out.getRecordTime()).isEqualTo(at);
    assertThat(header(out, "trace")).isEqualTo("t-1");
    assertThat(out.headers().toArray()).hasSize(1);
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void shouldRouteNullValueToDlq() {
    var r = rejected(null, "NULL_VALUE");
    assertThat(r.value()).isNull();
    assertThat(header(r, DlqHeaders.PART)).isEqualTo("value");
  }

  @Test
  void shouldRouteOversizedRecordToDlqCutToFitWithItsOriginalSize() {
    var big = order();
    big.put("status", "x".repeat(5_000));
    byte[] value = confluent(ORDER_ID, big);

    var r = rejected(value, "TOO_LARGE");

    assertThat(header(r, DlqHeaders.ORIGINAL_SIZE)).isEqualTo(Integer.toString(value.length));
    assertThat(r.value().length + r.key().length).isLessThanOrEqualTo(MAX_BYTES);
    assertThat(r.value()).isEqualTo(Arrays.copyOf(value, r.value().length));
  }

  @Test
  void shouldRouteRecordWithoutTheConfluentHeaderToDlq() {
    byte[] value = confluent(ORDER_ID, order());
    value[0] = 1;
    var r = rejected(value, "NOT_CONFLUENT_FORMAT");
    assertThat(header(r, DlqHeaders.MESSAGE)).contains("first byte is 0x01");
    assertThat(header(r, DlqHeaders.SCHEMA_ID)).isNull();
  }

  @Test
  void shouldRouteRecordTooShortForTheHeaderToDlq() {
    rejected(new byte[] {0, 0, 1}, "NOT_CONFLUENT_FORMAT");
  }

  @Test
  void shouldRouteRecordWithUnknownSchemaIdToDlq() {
    var r = rejected(confluent(999, order()), "UNKNOWN_SCHEMA_ID");
    assertThat(header(r, DlqHeaders.SCHEMA_ID)).isEqualTo("999");
    assertThat(header(r, DlqHeaders.SUBJECT)).isEqualTo(SUBJECT);
  }

  @Test
  void shouldRouteRecordWithAnotherSubjectsSchemaIdToDlq() {
    var r = rejected(confluent(SHIPMENT_ID, Orders.shipment()), "SCHEMA_NOT_IN_SUBJECT");
    assertThat(header(r, DlqHeaders.MESSAGE)).contains("logistics.shipments-value");
  }

  @Test
  void shouldRouteRecordWithSchemaIdOfDeletedVersionToDlq() {
    contracts.pipeInput(
        Orders.versionKey(SUBJECT, 1),
        Orders.encode(Orders.version(SUBJECT, 1, ORDER_ID, Orders.SCHEMA, Orders.RULES, true)));

    rejected(confluent(ORDER_ID, order()), "SCHEMA_DELETED");
  }

  @Test
  void shouldForgetPermanentlyDeletedVersion() {
    contracts.pipeInput(Orders.versionKey(SUBJECT, 1), (byte[]) null);

    rejected(confluent(ORDER_ID, order()), "UNKNOWN_SCHEMA_ID");
  }

  @Test
  void shouldRouteTruncatedRecordToDlq() {
    byte[] value = confluent(ORDER_ID, order());
    var r = rejected(Arrays.copyOf(value, value.length - 3), "DECODE_FAILED");
    assertThat(header(r, DlqHeaders.MESSAGE)).contains("ends early");
    assertThat(header(r, DlqHeaders.SCHEMA_ID)).isEqualTo(Integer.toString(ORDER_ID));
  }

  @Test
  void shouldRouteRecordWithTrailingBytesToDlq() {
    byte[] value = confluent(ORDER_ID, order());
    var r = rejected(Arrays.copyOf(value, value.length + 2), "TRAILING_BYTES");
    assertThat(header(r, DlqHeaders.MESSAGE)).startsWith("2 byte(s) follow");
  }

  @Test
  void shouldRouteRuleViolationToDlqNamingRuleAndField() {
    var order = order();
    order.put("amount", 12_000.5);

    var r = rejected(confluent(ORDER_ID, order), "RULE_VIOLATION");

    assertThat(header(r, DlqHeaders.RULE)).isEqualTo("amount-range");
    assertThat(header(r, DlqHeaders.FIELD)).isEqualTo("amount");
    assertThat(header(r, DlqHeaders.MESSAGE))
        .isEqualTo("amount is 12000.5, above the maximum 10000 (rule amount-range)");
  }

  @Test
  void shouldCheckAllowedValuesOfAnEnum() {
    var order = order();
    order.put(
        "currency", new GenericData.EnumSymbol(Orders.SCHEMA.getField("currency").schema(), "JPY"));
    var r = rejected(confluent(ORDER_ID, order), "RULE_VIOLATION");
    assertThat(header(r, DlqHeaders.RULE)).isEqualTo("currency-known");
  }

  @Test
  void shouldCheckPatternOfAString() {
    var order = order();
    order.put("orderId", "1001");
    var r = rejected(confluent(ORDER_ID, order), "RULE_VIOLATION");
    assertThat(header(r, DlqHeaders.RULE)).isEqualTo("order-id-format");
  }

  @Test
  void shouldCheckRequiredFieldInsideNullableRecord() {
    var order = order();
    order.put("customer", null);
    var r = rejected(confluent(ORDER_ID, order), "RULE_VIOLATION");
    assertThat(header(r, DlqHeaders.FIELD)).isEqualTo("customer.email");
    assertThat(header(r, DlqHeaders.MESSAGE)).contains("but customer is null");
  }

  @Test
  void shouldCheckEveryItemOfAnArray() {
    var order = order();
    @SuppressWarnings("unchecked")
    var lines = (List<GenericRecord>) order.get("lines");
    var bad = new GenericData.Record(lines.get(0).getSchema());
    bad.put("sku", "SKU-2");
    bad.put("qty", 0);
    order.put("lines", List.of(lines.get(0), bad));
    var r = rejected(confluent(ORDER_ID, order), "RULE_VIOLATION");
    assertThat(header(r, DlqHeaders.FIELD)).isEqualTo("lines.qty");
  }

  @Test
  void shouldRouteRecordsOfARetiredProductToDlq() {
    products.pipeInput(
        "sales.orders",
        MeshEventSerde.of(DataProductEvent.class)
            .serialize("", Orders.product("sales.orders", null, LifecycleStatus.RETIRED)));

    rejected(confluent(ORDER_ID, order()), "PRODUCT_RETIRED");
  }

  @Test
  void shouldRefuseRecordsUnderAContractWhoseRulesDoNotFitItsSchema() {
    register(
        SUBJECT,
        2,
        21,
        """
        {"domainRules":[{"name":"r","type":"MESH","params":{"field":"nope","required":"true"}}]}
        """);
    var r = rejected(confluent(21, order()), "CONTRACT_UNUSABLE");
    assertThat(header(r, DlqHeaders.MESSAGE)).contains("has no field nope");
  }

  @Test
  void shouldValidateAgainstTheSubjectTheProductDescriptorNames() {
    products.pipeInput(
        "sales.orders",
        MeshEventSerde.of(DataProductEvent.class)
            .serialize(
                "",
                Orders.product(
                    "sales.orders", "logistics.shipments-value", LifecycleStatus.ACTIVE)));

    ingest.pipeInput(bytes("k"), confluent(SHIPMENT_ID, Orders.shipment()));

    assertThat(validated.readRecord()).isNotNull();
    rejected(confluent(ORDER_ID, order()), "SCHEMA_NOT_IN_SUBJECT");
  }

  @Test
  void shouldCanonicalizeTheIngestTopicSubjectOfADescriptor() {
    products.pipeInput(
        "sales.orders",
        MeshEventSerde.of(DataProductEvent.class)
            .serialize(
                "",
                Orders.product(
                    "sales.orders", "sales.orders.ingest-value", LifecycleStatus.ACTIVE)));

    ingest.pipeInput(bytes("k"), confluent(ORDER_ID, order()));

    assertThat(validated.readRecord()).isNotNull();
  }

  @Test
  void shouldCheckTheKeyWhenTheContractDeclaresAKeySchema() {
    contracts.pipeInput(
        Orders.versionKey("sales.orders-key", 1),
        Orders.encode(Orders.version("sales.orders-key", 1, KEY_ID, Orders.KEY_SCHEMA, null)));
    byte[] value = confluent(ORDER_ID, order());

    ingest.pipeInput(confluent(KEY_ID, Orders.orderKey("ORD-1")), value);
    ingest.pipeInput(bytes("plain-key"), value);

    assertThat(validated.readRecordsToList()).hasSize(1);
    var r = dlq.readRecord();
    assertThat(header(r, DlqHeaders.REASON)).isEqualTo("NOT_CONFLUENT_FORMAT");
    assertThat(header(r, DlqHeaders.PART)).isEqualTo("key");
    assertThat(header(r, DlqHeaders.SUBJECT)).isEqualTo("sales.orders-key");
  }

  @Test
  void shouldRouteRecordWithoutKeyToDlqWhenTheContractDeclaresAKeySchema() {
    contracts.pipeInput(
        Orders.versionKey("sales.orders-key", 1),
        Orders.encode(Orders.version("sales.orders-key", 1, KEY_ID, Orders.KEY_SCHEMA, null)));

    ingest.pipeInput((byte[]) null, confluent(ORDER_ID, order()));

    assertThat(header(dlq.readRecord(), DlqHeaders.REASON)).isEqualTo("NULL_KEY");
  }

  @Test
  void shouldUseAContractRegisteredAfterTheStart() {
    rejected(confluent(31, order()), "UNKNOWN_SCHEMA_ID");

    register(SUBJECT, 2, 31, null);
    ingest.pipeInput(bytes("k"), confluent(31, order()));

    assertThat(validated.readRecord()).isNotNull();
  }

  @Test
  void shouldSkipAContractLogEntryThatCannotBeRead() {
    contracts.pipeInput("version:x-value:1", new byte[] {1, 2, 3});

    ingest.pipeInput(bytes("k"), confluent(ORDER_ID, order()));

    assertThat(validated.readRecord()).isNotNull();
  }

  @Test
  void shouldGiveTheSourceOfEveryDeadLetter() {
    ingest.pipeInput(bytes("a"), confluent(ORDER_ID, order()));
    ingest.pipeInput(bytes("b"), new byte[] {7});

    var r = dlq.readRecord();
    assertThat(header(r, DlqHeaders.SOURCE_TOPIC)).isEqualTo("sales.orders.ingest");
    assertThat(header(r, DlqHeaders.SOURCE_PARTITION)).isEqualTo("0");
    assertThat(header(r, DlqHeaders.SOURCE_OFFSET)).isEqualTo("1");
    assertThat(header(r, DlqHeaders.MESSAGE)).isNotBlank();
  }

  @Test
  void shouldReplaceDeadLetterHeadersAProducerSet() {
    var headers = new RecordHeaders().add(DlqHeaders.REASON, bytes("FORGED"));
    ingest.pipeInput(new TestRecord<>(bytes("k"), new byte[] {9}, headers, Instant.now()));

    var r = dlq.readRecord();
    assertThat(r.headers().headers(DlqHeaders.REASON)).hasSize(1);
    assertThat(header(r, DlqHeaders.REASON)).isEqualTo("NOT_CONFLUENT_FORMAT");
  }

  @Test
  void shouldPublishCumulativeCountsPerProductOnPunctuation() {
    var stats =
        driver.createOutputTopic(
            topics.productStats.name(),
            new StringDeserializer(),
            MeshEventSerde.of(ProductStats.class));
    Instant at = Instant.parse("2026-03-01T10:00:00Z");
    ingest.pipeInput(new TestRecord<>(bytes("a"), confluent(ORDER_ID, order()), null, at));
    ingest.pipeInput(new TestRecord<>(bytes("b"), new byte[] {1}, null, at.plusSeconds(1)));
    ingest.pipeInput(new TestRecord<>(bytes("c"), null, null, at.plusSeconds(2)));
    assertThat(stats.isEmpty()).isTrue();

    driver.advanceWallClockTime(Duration.ofMillis(200));
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    Map<String, ProductStats> latest =
        stats.readKeyValuesToList().stream()
            .collect(Collectors.toMap(kv -> kv.key, kv -> kv.value, (a, b) -> b));
    ProductStats s = latest.get("sales.orders");
    assertThat(s.getValid()).isEqualTo(1);
    assertThat(s.getInvalid()).isEqualTo(2);
    assertThat(s.getInvalidByReason())
        .containsOnly(Map.entry("NOT_CONFLUENT_FORMAT", 1L), Map.entry("NULL_VALUE", 1L));
    assertThat(s.getLastRecordAt()).isEqualTo(at.plusSeconds(2));
    assertThat(s.getLastValidAt()).isEqualTo(at);
  }

  @Test
  void shouldNotPublishCountsOfProductsWithoutNewRecords() {
    var stats =
        driver.createOutputTopic(
            topics.productStats.name(),
            new StringDeserializer(),
            MeshEventSerde.of(ProductStats.class));
    ingest.pipeInput(bytes("a"), confluent(ORDER_ID, order()));
    driver.advanceWallClockTime(Duration.ofMillis(200));
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertThat(stats.readRecordsToList()).isNotEmpty();

    driver.advanceWallClockTime(Duration.ofSeconds(5));

    assertThat(stats.isEmpty()).isTrue();
  }

  @Test
  void shouldNameEveryNodeAndStoreOfTheSection() {
    var builder = new org.apache.kafka.streams.StreamsBuilder();
    RecordValidation.addTo(builder, topics);
    String description = builder.build().describe().toString();

    assertThat(description).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
    assertThat(description)
        .contains("validate-record", "to-product-or-dlq", "sum-product-stats", "product-stats");
  }
}
