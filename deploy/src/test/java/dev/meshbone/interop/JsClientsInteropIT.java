package dev.meshbone.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshbone.registry.RegistryApp;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import dev.meshbone.validator.ValidatorApp;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Confluent's own JavaScript clients, {@code @confluentinc/schemaregistry} and {@code
 * @kafkajs/confluent-schema-registry} (installed from npm by the build, see {@code
 * src/test/js/package.json}), against meshbone's schema registry API, with contract-validator
 * deciding every write; and records in the Confluent wire format crossing a real broker between
 * the JavaScript serde and plain Java in both directions.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsClientsInteropIT {
  private static final Path SCRIPTS = Path.of("src/test/js");
  private static final ObjectMapper JSON = new ObjectMapper();

  private KafkaBroker broker;
  private Path stateDir;
  private ApplicationContext validator;
  private ApplicationContext registry;
  private String registryUrl;
  private final HttpClient http = HttpClient.newHttpClient();

  private String domain;

  /** A second registry with security on: two domains and their passwords in a users file. */
  private ApplicationContext secureRegistry;

  private final String secureDomain =
      "js" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final String otherDomain =
      "js" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

  @BeforeAll
  void startServices(KafkaBroker broker) throws IOException {
    Assumptions.assumeFalse(
        Boolean.getBoolean("interop.skip"), "interop tests skipped (-Dinterop.skip=true)");
    assertThat(SCRIPTS.resolve("node_modules/@confluentinc/schemaregistry"))
        .as("the interop packages are installed by the build (node src/test/js/install.mjs)")
        .exists();
    this.broker = broker;
    stateDir = Files.createTempDirectory("js-interop-it");
    validator = ValidatorApp.start(settings("validator"));
    registry = RegistryApp.start(settings("registry"));
    Path users = Files.createTempFile("js-users", ".properties");
    Files.writeString(users, secureDomain + "=js-pw\n" + otherDomain + "=other-pw\n");
    var secure = settings("secure-registry");
    secure.put("meshbone.security.enabled", true);
    secure.put("meshbone.security.users-file", users.toString());
    secureRegistry = RegistryApp.start(secure);
    awaitRunning(validator);
    awaitRunning(registry);
    awaitRunning(secureRegistry);
    registryUrl = "http://localhost:" + registry.getBean(EmbeddedServer.class).getPort();
  }

  @AfterAll
  void stopServices() {
    if (secureRegistry != null) {
      secureRegistry.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (validator != null) {
      validator.close();
    }
  }

  @BeforeEach
  void newDomain() {
    domain = "js" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  @Test
  void shouldLetConfluentsJavaScriptClientWriteOnlyItsOwnDomainsSubjects() throws Exception {
    String url = "http://localhost:" + secureRegistry.getBean(EmbeddedServer.class).getPort();
    var args = new HashMap<String, Object>();
    args.put("registryUrl", url);
    args.put("subject", secureDomain + ".orders-value");
    args.put("othersSubject", otherDomain + ".orders-value");
    args.put("schema", orderSchema());
    args.put("userInfo", secureDomain + ":js-pw");

    JsonNode result = nodeWith("confluentSecured", args);

    assertThat(result.get("id").asInt()).isPositive();
    assertThat(result.get("latestId").asInt()).isEqualTo(result.get("id").asInt());
    assertThat(result.get("others").get("refused").asBoolean()).isTrue();
    assertThat(result.get("others").get("status").asInt()).isEqualTo(403);
    assertThat(result.get("others").get("errorCode").asInt()).isEqualTo(40301);
    assertThat(result.get("anonymous").get("status").asInt()).isEqualTo(401);
    assertThat(result.get("anonymous").get("errorCode").asInt()).isEqualTo(40101);
  }

  @Test
  void shouldServeConfluentsJavaScriptClient() throws Exception {
    String subject = domain + ".orders-value";

    JsonNode result =
        node(
            "confluentClient",
            Map.of(
                "subject", subject,
                "unknownSubject", domain + ".nothing-value",
                "schema", orderSchema(),
                "evolved", evolvedOrderSchema(),
                "incompatible", incompatibleOrderSchema()));

    int id = result.get("id").asInt();
    assertThat(result.get("lookedUp").asInt()).isEqualTo(id);
    assertThat(result.get("latest").get("version").asInt()).isEqualTo(1);
    assertThat(result.get("latest").get("id").asInt()).isEqualTo(id);
    assertThat(result.get("byIdSchema").asText())
        .isEqualTo(new Schema.Parser().parse(orderSchema()).toString());
    assertThat(result.get("compatible").asBoolean()).isTrue();
    assertThat(result.get("notCompatible").asBoolean()).isFalse();
    assertThat(result.get("evolvedId").asInt()).isNotEqualTo(id);
    assertThat(result.get("rejected").get("status").asInt()).isEqualTo(409);
    assertThat(result.get("rejected").get("errorCode").asInt()).isEqualTo(409);
    assertThat(result.get("versions").toString()).isEqualTo("[1,2]");
    assertThat(result.get("version2").get("id").asInt()).isEqualTo(result.get("evolvedId").asInt());
    assertThat(result.get("level").asText()).isEqualTo("FULL");
    assertThat(result.get("levelRead").asText()).isEqualTo("FULL");
    assertThat(result.get("unknownSubject").get("status").asInt()).isEqualTo(404);
    assertThat(result.get("unknownSubject").get("errorCode").asInt()).isEqualTo(40401);
    assertThat(result.get("hasSubject").asBoolean()).isTrue();
  }

  @Test
  void shouldSerializeForAProductsIngestTopicThroughTheAliasedSubject() throws Exception {
    int id = register(domain + ".orders-value", orderSchema());

    JsonNode result =
        node(
            "confluentSerde",
            Map.of(
                "topic",
                domain + ".orders.ingest",
                "record",
                Map.of("id", "o-1", "amount", 42),
                "autoRegisterTopic",
                domain + ".events.ingest",
                "autoRegisterRecord",
                Map.of("name", "created", "count", 3)));

    assertThat(result.get("magic").asInt()).isZero();
    assertThat(result.get("id").asInt()).isEqualTo(id);
    assertThat(result.get("decoded").get("id").asText()).isEqualTo("o-1");
    assertThat(result.get("decoded").get("amount").asInt()).isEqualTo(42);
    int autoId = result.get("autoId").asInt();
    assertThat(result.get("autoDecoded").get("count").asInt()).isEqualTo(3);
    assertThat(get("/subjects/" + domain + ".events-value/versions/latest").get("id").asInt())
        .isEqualTo(autoId);
  }

  @Test
  void shouldServeTheKafkajsSchemaRegistryClient() throws Exception {
    String subject = domain + ".payments-value";

    JsonNode result =
        node(
            "kafkajsClient",
            Map.of(
                "subject", subject,
                "schema", orderSchema(),
                "evolved", evolvedOrderSchema(),
                "record", Map.of("id", "p-9", "amount", 7, "currency", "EUR")));

    int first = result.get("firstId").asInt();
    int second = result.get("secondId").asInt();
    assertThat(second).isNotEqualTo(first);
    assertThat(result.get("againId").asInt()).isEqualTo(second);
    assertThat(result.get("latestId").asInt()).isEqualTo(second);
    assertThat(result.get("version1Id").asInt()).isEqualTo(first);
    assertThat(result.get("magic").asInt()).isZero();
    assertThat(result.get("encodedId").asInt()).isEqualTo(second);
    assertThat(result.get("decoded").get("currency").asText()).isEqualTo("EUR");
    assertThat(result.get("schemaName").asText()).isEqualTo(domain + ".Order");
    // The client set the subject's level on its first registration.
    assertThat(get("/config/" + subject).get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
  }

  @Test
  void shouldCarryJavaScriptSerializedRecordsThroughTheBrokerToJava() throws Exception {
    int id = register(domain + ".orders-value", orderSchema());
    String topic = domain + ".orders.ingest";
    broker.createTopics(1, topic);

    node(
        "produce",
        Map.of(
            "brokers",
            List.of(broker.bootstrapServers().split(",")),
            "topic",
            topic,
            "records",
            List.of(Map.of("id", "a", "amount", 1), Map.of("id", "b", "amount", 2))));

    List<byte[]> values = consume(topic, 2);
    List<String> decoded = new ArrayList<>();
    for (byte[] value : values) {
      ByteBuffer wire = ByteBuffer.wrap(value);
      assertThat(wire.get()).isZero();
      int recordId = wire.getInt();
      assertThat(recordId).isEqualTo(id);
      Schema writer =
          new Schema.Parser().parse(get("/schemas/ids/" + recordId).get("schema").asText());
      var decoder = DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null);
      GenericRecord record = new GenericDatumReader<GenericRecord>(writer).read(null, decoder);
      assertThat(decoder.isEnd()).isTrue();
      decoded.add(record.get("id") + "=" + record.get("amount"));
    }
    assertThat(decoded).containsExactly("a=1", "b=2");
  }

  @Test
  void shouldLetJavaScriptDecodeWhatJavaWroteInTheConfluentFormat() throws Exception {
    String schemaText = orderSchema();
    int id = register(domain + ".orders-value", schemaText);
    String topic = domain + ".orders";
    broker.createTopics(1, topic);
    Schema schema = new Schema.Parser().parse(schemaText);
    try (var producer = new KafkaProducer<byte[], byte[]>(broker.producerConfig())) {
      for (int i = 1; i <= 3; i++) {
        GenericRecord record = new GenericData.Record(schema);
        record.put("id", "j-" + i);
        record.put("amount", i * 10);
        producer.send(new ProducerRecord<>(topic, wire(id, schema, record))).get();
      }
    }

    JsonNode result =
        node(
            "consume",
            Map.of(
                "brokers",
                List.of(broker.bootstrapServers().split(",")),
                "topic",
                topic,
                "groupId",
                KafkaBroker.unique("js-consumer"),
                "count",
                3));

    assertThat(result.get("decoded"))
        .extracting(r -> r.get("id").asText() + "=" + r.get("amount").asInt())
        .containsExactly("j-1=10", "j-2=20", "j-3=30");
  }

  /** A contract with MESH rules, as a user registers it: no onFailure of its own. */
  private int registerWithMeshRules(String subject, String schema, String onFailure)
      throws Exception {
    return registerWithMeshRules(subject, schema, onFailure, "amount", "id", "o-[0-9]+");
  }

  private int registerWithMeshRules(
      String subject,
      String schema,
      String onFailure,
      String numberField,
      String textField,
      String pattern)
      throws Exception {
    var body = JSON.createObjectNode().put("schema", schema);
    var rules = body.putObject("ruleSet").putArray("domainRules");
    var amount =
        rules
            .addObject()
            .put("name", "amount-range")
            .put("kind", "CONDITION")
            .put("mode", "WRITE")
            .put("type", "MESH");
    amount.putObject("params").put("field", numberField).put("min", "1").put("max", "1000");
    if (onFailure != null) {
      amount.put("onFailure", onFailure);
    }
    var id =
        rules
            .addObject()
            .put("name", "id-format")
            .put("kind", "CONDITION")
            .put("mode", "WRITEREAD")
            .put("type", "MESH");
    id.putObject("params").put("field", textField).put("pattern", pattern);
    var response =
        http.send(
            HttpRequest.newBuilder(URI.create(registryUrl + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).get("id").asInt();
  }

  /** {name, count} in this order: the serializer derives the schema's field order from it. */
  private static Map<String, Object> eventRecord() {
    Map<String, Object> record = new java.util.LinkedHashMap<>();
    record.put("name", "created");
    record.put("count", 3);
    return record;
  }

  /** The schema Confluent's JS serializer derives from {name, count} when it auto-registers. */
  private static String derivedEventSchema() {
    return "{\"type\":\"record\",\"name\":\"Record1\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"},"
        + "{\"name\":\"count\",\"type\":\"int\"}]}";
  }

  @Test
  void shouldLetConfluentsSerdeWorkUnchangedOnContractsWithMeshRules() throws Exception {
    int id = registerWithMeshRules(domain + ".orders-value", orderSchema(), null);
    int autoContract =
        registerWithMeshRules(
            domain + ".events-value", derivedEventSchema(), null, "count", "name", "[a-z]+");
    registerWithMeshRules(domain + ".strict-value", orderSchema(), "ERROR");

    JsonNode result =
        node(
            "confluentMeshRules",
            Map.of(
                "topic",
                domain + ".orders.ingest",
                "record",
                Map.of("id", "o-1", "amount", 42),
                "breaking",
                Map.of("id", "o-2", "amount", 5000),
                "schemaId",
                id,
                "autoTopic",
                domain + ".events.ingest",
                "autoRecord",
                eventRecord(),
                "strictTopic",
                domain + ".strict.ingest"));

    assertThat(result.get("latestId").asInt()).isEqualTo(id);
    assertThat(result.get("breakingId").asInt()).isEqualTo(id);
    assertThat(result.get("byIdId").asInt()).isEqualTo(id);
    assertThat(result.get("autoId").asInt())
        .as(
            "%s %s %s",
            get("/subjects/" + domain + ".events-value/versions"),
            get("/schemas/ids/" + result.get("autoId").asInt()),
            get("/schemas/ids/" + autoContract))
        .isEqualTo(autoContract);
    assertThat(result.get("decoded").get(0).get("amount").asInt()).isEqualTo(42);
    assertThat(result.get("decoded").get(1).get("id").asText()).isEqualTo("o-1");
    assertThat(result.get("decoded").get(2).get("count").asInt()).isEqualTo(3);
    assertThat(result.get("readAsLatest").get("amount").asInt()).isEqualTo(42);
    assertThat(result.get("strict").asText()).contains("could not find rule executor of type MESH");
    // The registry keeps the rules with the failure action clients skip, and serves them so.
    JsonNode latest = get("/subjects/" + domain + ".orders-value/versions/latest");
    assertThat(latest.get("ruleSet").get("domainRules"))
        .extracting(r -> r.get("name").asText() + ":" + r.get("onFailure").asText())
        .containsExactly("amount-range:NONE", "id-format:NONE");
    assertThat(
            get("/subjects/" + domain + ".strict-value/versions/latest")
                .get("ruleSet")
                .get("domainRules")
                .get(0)
                .get("onFailure")
                .asText())
        .isEqualTo("ERROR");

    // What the client let through, contract-validator checks: the breaking record is a dead letter.
    String ingest = domain + ".orders.ingest";
    broker.createTopics(1, ingest);
    try (var producer = new KafkaProducer<byte[], byte[]>(broker.producerConfig())) {
      for (JsonNode value : result.get("values")) {
        producer
            .send(
                new ProducerRecord<>(ingest, java.util.Base64.getDecoder().decode(value.asText())))
            .get();
      }
    }
    try (var admin = broker.admin()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> admin.listTopics().names().get().contains(domain + ".orders.dlq"));
    }
    assertThat(consume(domain + ".orders", 1)).hasSize(1);
    List<ConsumerRecord<byte[], byte[]>> dead = consumeRecords(domain + ".orders.dlq", 1);
    assertThat(new String(dead.get(0).headers().lastHeader("mesh.dlq.rule").value()))
        .isEqualTo("amount-range");
  }

  @Test
  void shouldLetTheKafkajsClientRegisterAndEncodeOnAContractWithMeshRules() throws Exception {
    String subject = domain + ".payments-value";
    int id = registerWithMeshRules(subject, orderSchema(), null);

    JsonNode result =
        node(
            "kafkajsMeshRules",
            Map.of(
                "subject", subject,
                "schema", orderSchema(),
                "record", Map.of("id", "o-7", "amount", 70)));

    // The same schema without rules is the contract's version (it inherits the rules).
    assertThat(result.get("id").asInt()).isEqualTo(id);
    assertThat(result.get("decoded").get("amount").asInt()).isEqualTo(70);
    assertThat(get("/subjects/" + subject + "/versions").toString()).isEqualTo("[1]");
  }

  // ---- helpers ----

  private String orderSchema() {
    return "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\""
        + domain
        + "\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"amount\",\"type\":\"int\"}]}";
  }

  private String evolvedOrderSchema() {
    return "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\""
        + domain
        + "\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"amount\",\"type\":\"int\"},"
        + "{\"name\":\"currency\",\"type\":\"string\",\"default\":\"EUR\"}]}";
  }

  private String incompatibleOrderSchema() {
    return "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\""
        + domain
        + "\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}";
  }

  private static byte[] wire(int id, Schema schema, GenericRecord record) throws IOException {
    var out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    var encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private List<byte[]> consume(String topic, int count) {
    return consumeRecords(topic, count).stream().map(ConsumerRecord::value).toList();
  }

  private List<ConsumerRecord<byte[], byte[]>> consumeRecords(String topic, int count) {
    List<ConsumerRecord<byte[], byte[]>> values = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<byte[], byte[]>(
            broker.consumerConfig(KafkaBroker.unique("java-reader")))) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                  values.add(r);
                }
                return values.size() >= count;
              });
    }
    return values;
  }

  /** Runs a scenario of interop.mjs and returns its result. */
  private JsonNode node(String scenario, Map<String, Object> args) throws Exception {
    Map<String, Object> all = new HashMap<>(args);
    all.put("registryUrl", registryUrl);
    return nodeWith(scenario, all);
  }

  /** Runs a scenario with exactly these arguments (the registry URL among them). */
  private JsonNode nodeWith(String scenario, Map<String, Object> all) throws Exception {
    Path output = Files.createTempFile(stateDir, scenario, ".out");
    Process process =
        new ProcessBuilder("node", "interop.mjs", scenario, JSON.writeValueAsString(all))
            .directory(SCRIPTS.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean finished = process.waitFor(120, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(finished).as("node %s finished in time:%n%s", scenario, text).isTrue();
    assertThat(process.exitValue()).as("node %s:%n%s", scenario, text).isZero();
    String result =
        text.lines()
            .filter(line -> line.startsWith("RESULT "))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no result from node " + scenario + ":\n" + text));
    return JSON.readTree(result.substring("RESULT ".length()));
  }

  private int register(String subject, String schema) throws Exception {
    var body = JSON.createObjectNode().put("schema", schema).toString();
    var response =
        http.send(
            HttpRequest.newBuilder(URI.create(registryUrl + "/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).get("id").asInt();
  }

  private JsonNode get(String path) throws Exception {
    var response =
        http.send(
            HttpRequest.newBuilder(URI.create(registryUrl + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
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
        .until(() -> streams.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING);
  }
}
