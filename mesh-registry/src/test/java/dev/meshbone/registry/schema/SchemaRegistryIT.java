package dev.meshbone.registry.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshbone.registry.products.Events;
import dev.meshbone.registry.products.TestRegistry;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import dev.meshbone.topics.MeshTopics;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schema registry API over real HTTP, with contract-validator deciding every write through the
 * embedded broker: two registry instances (the second denies anonymous writes) and one validator.
 * Every test works in a domain of its own, so its subjects and schemas meet no other test's.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchemaRegistryIT {
  private Path stateDir;
  private ApplicationContext validator;
  private ApplicationContext registry;
  private ApplicationContext strictRegistry;
  private SchemaHttp http;
  private SchemaHttp strict;
  private ProductApi products;
  private KafkaBroker broker;

  private String domain;
  private String subject;

  @BeforeAll
  void startServices(KafkaBroker broker) throws Exception {
    stateDir = Files.createTempDirectory("schema-registry-it");
    validator =
        SchemaServices.validator(broker, stateDir.resolve("v"), KafkaBroker.unique("validator"));
    registry =
        SchemaServices.registry(
            broker, stateDir.resolve("r1"), KafkaBroker.unique("registry"), Map.of());
    strictRegistry =
        SchemaServices.registry(
            broker,
            stateDir.resolve("r2"),
            KafkaBroker.unique("registry"),
            Map.of("meshbone.registry.anonymous-writes", "deny"));
    http = new SchemaHttp(SchemaServices.url(registry));
    products = new ProductApi(SchemaServices.url(registry));
    this.broker = broker;
    strict = new SchemaHttp(SchemaServices.url(strictRegistry));
  }

  @AfterAll
  void stopServices() {
    for (ApplicationContext context : List.of(strictRegistry, registry, validator)) {
      if (context != null) {
        context.close();
      }
    }
  }

  @BeforeEach
  void newDomain() {
    domain = SchemaServices.uniqueDomain();
    subject = domain + ".orders-value";
  }

  private String record(String fields) {
    return "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\""
        + domain
        + "\",\"fields\":["
        + fields
        + "]}";
  }

  private String v1() {
    return record("{\"name\":\"id\",\"type\":\"string\"}");
  }

  private String v2() {
    return record(
        "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"note\",\"type\":\"string\",\"default\":\"\"}");
  }

  private String incompatible() {
    return record("{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"amount\",\"type\":\"int\"}");
  }

  // ---- register and read ----

  @Test
  void shouldRegisterAndResolveTheIdAtOnceOnTheSameInstance() {
    var registered = http.register(subject, v1());

    assertThat(registered.status()).as("%s", registered).isEqualTo(200);
    assertThat(registered.contentType()).startsWith(SchemaHttp.CONFLUENT_TYPE);
    int id = registered.json().get("id").asInt();
    var byId = http.get("/schemas/ids/" + id);
    assertThat(byId.status()).as("%s", byId).isEqualTo(200);
    assertThat(byId.json().get("schema").asText()).isEqualTo(canonical(v1()));
    assertThat(byId.json().has("schemaType")).isFalse();
  }

  @Test
  void shouldServeTheVersionAsConfluentDoes() {
    int id = http.register(subject, v1()).json().get("id").asInt();

    JsonNode latest = http.get("/subjects/" + subject + "/versions/latest").json();
    JsonNode first = http.get("/subjects/" + subject + "/versions/1").json();

    assertThat(latest).isEqualTo(first);
    assertThat(latest.get("subject").asText()).isEqualTo(subject);
    assertThat(latest.get("version").asInt()).isEqualTo(1);
    assertThat(latest.get("id").asInt()).isEqualTo(id);
    assertThat(latest.get("schema").asText()).isEqualTo(canonical(v1()));
    assertThat(http.get("/subjects/" + subject + "/versions/1/schema").text())
        .isEqualTo(canonical(v1()));
    assertThat(http.get("/subjects/" + subject + "/versions").json().toString()).isEqualTo("[1]");
    assertThat(http.get("/subjects").json()).extracting(JsonNode::asText).contains(subject);
    assertThat(http.get("/schemas/ids/" + id + "/subjects").json().toString())
        .isEqualTo("[\"" + subject + "\"]");
    assertThat(http.get("/schemas/ids/" + id + "/versions").json().toString())
        .isEqualTo("[{\"subject\":\"" + subject + "\",\"version\":1}]");
    assertThat(http.get("/schemas/types").json().toString()).isEqualTo("[\"AVRO\"]");
  }

  @Test
  void shouldAcceptPlainJsonRequests() {
    var registered =
        http.post(
            "/subjects/" + subject + "/versions", SchemaHttp.schemaBody(v1()), "application/json");

    assertThat(registered.status()).as("%s", registered).isEqualTo(200);
  }

  @Test
  void shouldAnswerTheSameIdForTheSameSchemaUnderAnySubject() {
    int first = http.register(subject, v1()).json().get("id").asInt();

    var again = http.register(subject, v1());
    var elsewhere = http.register(domain + ".returns-value", v1());

    assertThat(again.json().get("id").asInt()).isEqualTo(first);
    assertThat(elsewhere.json().get("id").asInt()).isEqualTo(first);
    assertThat(http.get("/subjects/" + subject + "/versions").json().toString()).isEqualTo("[1]");
  }

  @Test
  void shouldAnswerEveryInstanceFromItsOwnCopyOfTheLog() {
    int id = http.register(subject, v1()).json().get("id").asInt();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(strict.get("/schemas/ids/" + id).status()).isEqualTo(200));
  }

  @Test
  void shouldLookUpASchemaUnderItsSubject() {
    http.register(subject, v1());
    int id2 = http.register(subject, v2()).json().get("id").asInt();

    var found = http.post("/subjects/" + subject, SchemaHttp.schemaBody(v2()));

    assertThat(found.status()).isEqualTo(200);
    assertThat(found.json().get("version").asInt()).isEqualTo(2);
    assertThat(found.json().get("id").asInt()).isEqualTo(id2);
    assertThat(found.json().get("subject").asText()).isEqualTo(subject);
    var missing = http.post("/subjects/" + subject, SchemaHttp.schemaBody(incompatible()));
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.errorCode()).isEqualTo(40403);
    var noSubject = http.post("/subjects/" + domain + ".none-value", SchemaHttp.schemaBody(v1()));
    assertThat(noSubject.errorCode()).isEqualTo(40401);
  }

  @Test
  void shouldKeepMetadataAndRuleSetAndServeThemBack() {
    String body =
        "{\"schema\":"
            + SchemaHttp.JSON.createObjectNode().textNode(v1())
            + ",\"metadata\":{\"properties\":{\"owner\":\"team-a\"}},"
            + "\"ruleSet\":{\"domainRules\":[{\"name\":\"r\",\"kind\":\"CONDITION\","
            + "\"type\":\"CEL\",\"expr\":\"message.id != ''\"}]}}";

    var registered = http.post("/subjects/" + subject + "/versions", body);

    assertThat(registered.status()).as("%s", registered).isEqualTo(200);
    JsonNode version = http.get("/subjects/" + subject + "/versions/1").json();
    assertThat(version.get("metadata").toString())
        .isEqualTo("{\"properties\":{\"owner\":\"team-a\"}}");
    assertThat(version.get("ruleSet").get("domainRules").get(0).get("name").asText())
        .isEqualTo("r");
  }

  private String withRuleSet(String schema, String ruleSet) {
    return "{\"schema\":"
        + SchemaHttp.JSON.createObjectNode().textNode(schema)
        + ",\"ruleSet\":"
        + ruleSet
        + "}";
  }

  private static String meshRule(String name, String params) {
    return "{\"domainRules\":[{\"name\":\""
        + name
        + "\",\"kind\":\"CONDITION\",\"mode\":\"WRITE\",\"type\":\"MESH\",\"params\":"
        + params
        + "}]}";
  }

  @Test
  void shouldServeMeshRulesWithAFailureActionClientsSkipAndFindThemEitherWay() {
    String rules = meshRule("id-format", "{\"field\":\"id\",\"pattern\":\"ORD-[0-9]+\"}");

    var registered = http.post("/subjects/" + subject + "/versions", withRuleSet(v1(), rules));
    JsonNode served = http.get("/subjects/" + subject + "/versions/1").json();
    var asRegistered = http.post("/subjects/" + subject, withRuleSet(v1(), rules));
    var asServed =
        http.post("/subjects/" + subject, withRuleSet(v1(), served.get("ruleSet").toString()));
    var again = http.post("/subjects/" + subject + "/versions", withRuleSet(v1(), rules));

    assertThat(registered.status()).as("%s", registered).isEqualTo(200);
    assertThat(served.get("ruleSet").get("domainRules").get(0).get("onFailure").asText())
        .isEqualTo("NONE");
    assertThat(asRegistered.json().get("version").asInt()).isEqualTo(1);
    assertThat(asServed.json().get("version").asInt()).isEqualTo(1);
    assertThat(again.json().get("id").asInt()).isEqualTo(registered.json().get("id").asInt());
  }

  @Test
  void shouldRefuseADataRuleOnAFieldTheSchemaLacksWith42201() {
    String body =
        withRuleSet(v1(), meshRule("amount-range", "{\"field\":\"amount\",\"min\":\"0\"}"));

    var refused = http.post("/subjects/" + subject + "/versions", body);

    assertThat(refused.status()).as("%s", refused).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo(42201);
    assertThat(refused.json().get("message").asText()).contains("rule \"amount-range\" on amount");
    assertThat(http.get("/subjects/" + subject + "/versions").status()).isEqualTo(404);
  }

  @Test
  void shouldRegisterDataRulesThatFitTheSchema() {
    String rules = meshRule("id-format", "{\"field\":\"id\",\"pattern\":\"ORD-[0-9]+\"}");

    var registered = http.post("/subjects/" + subject + "/versions", withRuleSet(v1(), rules));

    assertThat(registered.status()).as("%s", registered).isEqualTo(200);
    assertThat(
            http.get("/subjects/" + subject + "/versions/1")
                .json()
                .get("ruleSet")
                .get("domainRules")
                .get(0)
                .get("name")
                .asText())
        .isEqualTo("id-format");
  }

  @Test
  void shouldRefuseBadDataRulesOnACompatibilityCheckWith42201() {
    http.register(subject, v1());
    String body = withRuleSet(v2(), meshRule("note-min", "{\"field\":\"note\",\"min\":\"1\"}"));

    var refused = http.post("/compatibility/subjects/" + subject + "/versions/latest", body);

    assertThat(refused.status()).as("%s", refused).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo(42201);
    assertThat(refused.json().get("message").asText()).contains("rule \"note-min\" on note");
  }

  @Test
  void shouldFindANewSchemaIncompatibleWithTheRulesItWouldInherit() {
    String withAmount =
        record("{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"amount\",\"type\":\"int\"}");
    http.put("/config/" + subject, "{\"compatibility\":\"NONE\"}");
    var first =
        http.post(
            "/subjects/" + subject + "/versions",
            withRuleSet(
                withAmount, meshRule("amount-min", "{\"field\":\"amount\",\"min\":\"0\"}")));
    assertThat(first.status()).as("%s", first).isEqualTo(200);

    var check =
        http.post(
            "/compatibility/subjects/" + subject + "/versions?verbose=true",
            SchemaHttp.schemaBody(v1()));
    var registered = http.register(subject, v1());

    assertThat(check.json().get("is_compatible").asBoolean()).as("%s", check).isFalse();
    assertThat(check.json().get("messages").get(0).asText())
        .contains("rule \"amount-min\" on amount");
    assertThat(registered.errorCode()).as("%s", registered).isEqualTo(42201);
    assertThat(registered.json().get("message").asText())
        .contains("inherited from version 1")
        .contains("rule \"amount-min\" on amount");
  }

  // ---- compatibility ----

  @Test
  void shouldRefuseAnIncompatibleSchemaWith409AndSayWhy() {
    http.register(subject, v1());

    var refused = http.register(subject, incompatible());

    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo(409);
    assertThat(refused.json().get("message").asText())
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
        .contains("'/fields/1'")
        .contains("compatibility: 'BACKWARD'");
  }

  @Test
  void shouldCheckCompatibilityWithoutRegistering() {
    http.register(subject, v1());

    var compatible =
        http.post(
            "/compatibility/subjects/" + subject + "/versions/latest", SchemaHttp.schemaBody(v2()));
    var incompatibleVerbose =
        http.post(
            "/compatibility/subjects/" + subject + "/versions?verbose=true",
            SchemaHttp.schemaBody(incompatible()));

    assertThat(compatible.json().toString()).isEqualTo("{\"is_compatible\":true}");
    assertThat(incompatibleVerbose.json().get("is_compatible").asBoolean()).isFalse();
    assertThat(incompatibleVerbose.json().get("messages").get(0).asText())
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
    assertThat(http.get("/subjects/" + subject + "/versions").json().toString()).isEqualTo("[1]");
  }

  @Test
  void shouldSetAndReadASubjectLevel() {
    var none = http.get("/config/" + subject);
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.errorCode()).isEqualTo(40408);
    assertThat(
            http.get("/config/" + subject + "?defaultToGlobal=true")
                .json()
                .get("compatibilityLevel")
                .asText())
        .isEqualTo(http.get("/config").json().get("compatibilityLevel").asText());

    var set = http.put("/config/" + subject, "{\"compatibility\":\"NONE\"}");

    assertThat(set.json().toString()).isEqualTo("{\"compatibility\":\"NONE\"}");
    assertThat(http.get("/config/" + subject).json().toString())
        .isEqualTo("{\"compatibilityLevel\":\"NONE\"}");
    http.register(subject, v1());
    assertThat(http.register(subject, incompatible()).status()).isEqualTo(200);
    var deleted = http.delete("/config/" + subject);
    assertThat(deleted.json().toString()).isEqualTo("{\"compatibilityLevel\":\"NONE\"}");
    assertThat(http.get("/config/" + subject).errorCode()).isEqualTo(40408);
  }

  // ---- deletes ----

  @Test
  void shouldSoftThenPermanentlyDeleteAVersion() {
    http.register(subject, v1());
    http.register(subject, v2());

    assertThat(http.delete("/subjects/" + subject + "/versions/2").text()).isEqualTo("2");
    assertThat(http.get("/subjects/" + subject + "/versions").json().toString()).isEqualTo("[1]");
    assertThat(http.get("/subjects/" + subject + "/versions/2").errorCode()).isEqualTo(40402);
    assertThat(http.get("/subjects/" + subject + "/versions/2?deleted=true").status())
        .isEqualTo(200);
    assertThat(http.delete("/subjects/" + subject + "/versions/1?permanent=true").errorCode())
        .isEqualTo(40407);
    assertThat(http.delete("/subjects/" + subject + "/versions/2?permanent=true").text())
        .isEqualTo("2");
    assertThat(http.get("/subjects/" + subject + "/versions?deleted=true").json().toString())
        .isEqualTo("[1]");
  }

  @Test
  void shouldSoftThenPermanentlyDeleteASubject() {
    int id = http.register(subject, v1()).json().get("id").asInt();
    http.register(subject, v2());

    assertThat(http.delete("/subjects/" + subject).json().toString()).isEqualTo("[1,2]");
    assertThat(http.get("/subjects").json()).extracting(JsonNode::asText).doesNotContain(subject);
    assertThat(http.get("/subjects?deleted=true").json())
        .extracting(JsonNode::asText)
        .contains(subject);
    assertThat(http.get("/subjects/" + subject + "/versions").errorCode()).isEqualTo(40401);
    assertThat(http.get("/schemas/ids/" + id).status()).isEqualTo(200);
    assertThat(http.delete("/subjects/" + subject).errorCode()).isEqualTo(40404);

    assertThat(http.delete("/subjects/" + subject + "?permanent=true").json().toString())
        .isEqualTo("[1,2]");
    assertThat(http.get("/subjects?deleted=true").json())
        .extracting(JsonNode::asText)
        .doesNotContain(subject);
    assertThat(http.get("/schemas/ids/" + id).errorCode()).isEqualTo(40403);
  }

  // ---- the ingest alias and ownership ----

  @Test
  void shouldRegisterUnderTheIngestAliasAsTheProductsCanonicalSubject() {
    var registered = http.register(domain + ".orders.ingest-value", v1());

    int id = registered.json().get("id").asInt();
    assertThat(http.get("/subjects/" + subject + "/versions/1").json().get("id").asInt())
        .isEqualTo(id);
    var viaAlias =
        http.post("/subjects/" + domain + ".orders.ingest-value", SchemaHttp.schemaBody(v1()));
    assertThat(viaAlias.json().get("id").asInt()).isEqualTo(id);
    assertThat(http.get("/subjects?subjectPrefix=" + domain).json().toString())
        .isEqualTo("[\"" + subject + "\"]");
  }

  @Test
  void shouldRefuseADomainWritingAnotherDomainsSubject() {
    var refused = http.with("X-Mesh-Domain", "someone-else").register(subject, v1());

    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.errorCode()).isEqualTo(40301);
    assertThat(refused.json().get("message").asText())
        .contains("belongs to domain '" + domain + "'");
  }

  @Test
  void shouldLetTheOwningDomainWriteWhenAnonymousWritesAreDenied() {
    var anonymous = strict.register(subject, v1());
    var owner = strict.with("X-Mesh-Domain", domain).register(subject, v1());

    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.errorCode()).isEqualTo(40101);
    assertThat(owner.status()).as("%s", owner).isEqualTo(200);
  }

  @Test
  void shouldRefuseASubjectNoDomainOwns() {
    var refused = http.register("orders-value", v1());

    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo(42208);
    assertThat(refused.json().get("message").asText()).contains("<domain>.");
  }

  @Test
  void shouldTakeTheDomainFromTheBasicAuthUserAsConfluentClientsSendIt() {
    String credentials =
        java.util.Base64.getEncoder()
            .encodeToString(
                ("someone-else:secret").getBytes(java.nio.charset.StandardCharsets.UTF_8));

    var refused = http.with("Authorization", "Basic " + credentials).register(subject, v1());

    assertThat(refused.status()).isEqualTo(403);
  }

  @Test
  void shouldAnswerARetryWithTheSameRequestIdAsTheFirstAttempt() {
    var client = http.with(SchemaRegistryApi.REQUEST_ID_HEADER, KafkaBroker.unique("request"));
    int first = client.register(subject, v1()).json().get("id").asInt();

    var retried = client.register(subject, v2());

    assertThat(retried.json().get("id").asInt()).isEqualTo(first);
    assertThat(http.get("/subjects/" + subject + "/versions").json().toString()).isEqualTo("[1]");
  }

  @Test
  void shouldRefuseToStartWithAnUnknownAnonymousWritePolicy(KafkaBroker broker) {
    assertThatThrownBy(
            () ->
                SchemaServices.registry(
                    broker,
                    stateDir.resolve("bad"),
                    KafkaBroker.unique("registry"),
                    Map.of("meshbone.registry.anonymous-writes", "sometimes")))
        .rootCause()
        .hasMessageContaining("use subject-owner or deny");
  }

  // ---- concurrency ----

  @Test
  void shouldGiveTwentyConcurrentRegistrationsOfOneSchemaOneId() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(20);
    var start = new CountDownLatch(1);
    try {
      List<Future<SchemaHttp.Answer>> answers = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Callable<SchemaHttp.Answer> register =
            () -> {
              start.await();
              return http.register(subject, v1());
            };
        answers.add(pool.submit(register));
      }
      start.countDown();
      Set<Integer> ids = new HashSet<>();
      for (Future<SchemaHttp.Answer> answer : answers) {
        SchemaHttp.Answer a = answer.get(60, TimeUnit.SECONDS);
        assertThat(a.status()).as("%s", a).isEqualTo(200);
        ids.add(a.json().get("id").asInt());
      }
      assertThat(ids).hasSize(1);
      assertThat(http.get("/subjects/" + subject + "/versions").json().toString()).isEqualTo("[1]");
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- bad input ----

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of("POST", "/subjects/{s}/versions", "{not json", 400, 400),
        Arguments.of("POST", "/subjects/{s}/versions", "[1,2]", 400, 400),
        Arguments.of("POST", "/subjects/{s}/versions", "", 422, 42201),
        Arguments.of("POST", "/subjects/{s}/versions", "{\"schema\":\"{oops\"}", 422, 42201),
        Arguments.of(
            "POST", "/subjects/{s}/versions", "{\"schema\":{\"type\":\"int\"}}", 422, 42201),
        Arguments.of(
            "POST",
            "/subjects/{s}/versions",
            "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"R\\\"}\"}",
            422,
            42201),
        Arguments.of(
            "POST",
            "/subjects/{s}/versions",
            "{\"schema\":\"\\\"int\\\"\",\"schemaType\":\"PROTOBUF\"}",
            422,
            42201),
        Arguments.of(
            "POST",
            "/subjects/{s}/versions",
            "{\"schema\":\"\\\"int\\\"\",\"ruleSet\":[1]}",
            422,
            42210),
        Arguments.of("POST", "/subjects/{s}", "{\"schema\":\"nope\"}", 404, 40401),
        Arguments.of("GET", "/subjects/{s}/versions", null, 404, 40401),
        Arguments.of("GET", "/subjects/{s}/versions/1", null, 404, 40401),
        Arguments.of("GET", "/subjects/{s}/versions/0", null, 422, 42202),
        Arguments.of("GET", "/subjects/{s}/versions/-7", null, 422, 42202),
        Arguments.of("GET", "/subjects/{s}/versions/99999999999999", null, 422, 42202),
        Arguments.of("GET", "/subjects/{s}/versions/abc", null, 422, 42202),
        Arguments.of("GET", "/schemas/ids/2147483647", null, 404, 40403),
        Arguments.of("GET", "/schemas/ids/-1", null, 404, 40403),
        Arguments.of("GET", "/schemas/ids/x9", null, 404, 40403),
        Arguments.of("GET", "/schemas/ids/99999999999999999999", null, 404, 40403),
        Arguments.of("PUT", "/config/{s}", "{\"compatibility\":\"SIDEWAYS\"}", 422, 42203),
        Arguments.of("PUT", "/config/{s}", "{\"compatibility\":7}", 422, 42203),
        Arguments.of("PUT", "/config/{s}", "{}", 422, 42203),
        Arguments.of("PUT", "/config", "{oops", 400, 400),
        Arguments.of("DELETE", "/subjects/{s}", null, 404, 40401),
        Arguments.of("DELETE", "/subjects/{s}/versions/latest", null, 404, 40401),
        Arguments.of("DELETE", "/subjects/{s}/versions/zero", null, 422, 42202),
        Arguments.of("DELETE", "/config/{s}", null, 404, 40401),
        Arguments.of("GET", "/subjects/{s}/versions/1/nothing-here", null, 404, 404),
        Arguments.of("PATCH", "/subjects/{s}/versions", "{}", 405, 405),
        Arguments.of("GET", "/associations/resources/-/t?resourceType=topic", null, 404, 40410),
        Arguments.of(
            "POST",
            "/compatibility/subjects/{s}/versions/3",
            "{\"schema\":\"\\\"int\\\"\"}",
            404,
            40402),
        Arguments.of(
            "POST",
            "/compatibility/subjects/{s}/versions/latest",
            "{\"schema\":\"{bad\"}",
            422,
            42201),
        Arguments.of("GET", "/subjects/{s}/versions/latest/referencedby", null, 404, 40401));
  }

  @ParameterizedTest(name = "[{index}] {0} {1} -> {3} {4}")
  @MethodSource("badRequests")
  void shouldAnswerBadInputWithConfluentErrorsNeverA500(
      String method, String path, String body, int status, int errorCode) {
    String url = path.replace("{s}", subject);
    SchemaHttp.Answer answer =
        switch (method) {
          case "GET" -> http.get(url);
          case "DELETE" -> http.delete(url);
          case "PUT" -> http.put(url, body);
          case "POST" -> http.post(url, body);
          default -> http.method(method, url, body);
        };

    assertThat(answer.status()).as("%s", answer).isEqualTo(status);
    assertThat(answer.errorCode()).as("%s", answer).isEqualTo(errorCode);
    assertThat(answer.json().get("message").asText()).isNotBlank();
  }

  @Test
  void shouldAnswerAnUnsupportedMediaTypeInConfluentsShape() {
    var refused = http.post("/subjects/" + subject + "/versions", "<schema/>", "application/xml");

    assertThat(refused.status()).isEqualTo(415);
    assertThat(refused.errorCode()).isEqualTo(415);
  }

  @Test
  void shouldRefuseASchemaTooLargeForTheLog() {
    var big = new StringBuilder("{\"type\":\"record\",\"name\":\"Big\",\"fields\":[");
    for (int i = 0; i < 30_000; i++) {
      big.append(i == 0 ? "" : ",")
          .append("{\"name\":\"f")
          .append(i)
          .append("\",\"type\":\"int\"}");
    }
    var refused = http.register(subject, big.append("]}").toString());

    assertThat(refused.status()).as("%s", refused).isEqualTo(422);
    assertThat(refused.errorCode()).isEqualTo(42209);
  }

  private static String canonical(String schema) {
    return new org.apache.avro.Schema.Parser().parse(schema).toString();
  }

  // ---- consumer-declared field contracts: declared fields, impact, the 409 gate, the override
  // ----

  private static String enrollmentOf(String ns, String... fields) {
    return "{\"type\":\"record\",\"name\":\"Enrollment\",\"namespace\":\""
        + ns
        + "\",\"fields\":["
        + String.join(",", fields)
        + "]}";
  }

  private static final String PATIENT = "{\"name\":\"patientId\",\"type\":\"string\"}";
  private static final String SITE =
      "{\"name\":\"site\",\"type\":{\"type\":\"record\",\"name\":\"Site\",\"fields\":["
          + "{\"name\":\"code\",\"type\":\"string\"}]}}";
  private static final String ARM = "{\"name\":\"arm\",\"type\":\"string\",\"default\":\"\"}";
  private static final String NOTE = "{\"name\":\"note\",\"type\":\"string\",\"default\":\"\"}";

  @Test
  void shouldGateRegistrationsOnTheFieldsApprovedConsumersDeclared() throws Exception {
    // given a product with a first contract version and two AUTO_APPROVE consumers
    String owner = SchemaServices.uniqueDomain();
    String product = owner + ".enrollments";
    String subject = product + "-value";
    String pv = SchemaServices.uniqueDomain();
    String finance = SchemaServices.uniqueDomain();
    try (var producer = new TestRegistry.Producer(broker)) {
      producer.send(
          MeshTopics.defaults().products,
          product,
          Events.created(product, Events.descriptor("Enrollments").build())); // AUTO_APPROVE
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> products.send("GET", "/products/" + product, null, owner).status() == 200);
    var v1 = http.register(subject, enrollmentOf(owner, PATIENT, SITE, ARM, NOTE));
    assertThat(v1.status()).as("%s", v1).isEqualTo(200);

    // when the consumers declare what they read: paths, and a reader schema
    var bad =
        products.send(
            "POST",
            "/products/" + product + "/subscriptions",
            "{\"fields\":[\"patientId\",\"site.zip\"]}",
            pv);
    var pvSub =
        products.send(
            "POST",
            "/products/" + product + "/subscriptions",
            "{\"fields\":[\"patientId\",\"site.code\"]}",
            pv);
    var finSub =
        products.send(
            "POST",
            "/products/" + product + "/subscriptions",
            SchemaHttp.JSON
                .createObjectNode()
                .put("readerSchema", enrollmentOf("finance", NOTE))
                .toString(),
            finance);
    var finPut =
        products.send(
            "PUT",
            "/products/" + product + "/subscriptions/" + finance,
            "{\"fields\":[\"arm\"]}",
            finance);
    var notTheConsumer =
        products.send(
            "PUT", "/products/" + product + "/subscriptions/" + finance, "{\"fields\":[]}", pv);

    // then the read sets are checked, stored and shown
    assertThat(bad.status()).as("%s", bad).isEqualTo(400);
    assertThat(bad.json().path("code").asText()).isEqualTo("INVALID_FIELDS");
    assertThat(bad.json().path("message").asText())
        .isEqualTo(
            "field \"site.zip\" does not exist in the current contract (version 1 of "
                + subject
                + ")");
    assertThat(pvSub.status()).as("%s", pvSub).isEqualTo(201);
    assertThat(finSub.json().path("fields").toString()).isEqualTo("[\"note\"]");
    assertThat(finPut.status()).as("%s", finPut).isEqualTo(200);
    assertThat(notTheConsumer.status()).isEqualTo(403);
    // bad declarations are 400 with a JSON error, never 500
    String subs = "/products/" + product + "/subscriptions";
    for (var wrong :
        List.of(
            products.send("PUT", subs + "/" + finance, "{\"readerSchema\":\"{nope\"}", finance),
            products.send(
                "PUT",
                subs + "/" + finance,
                "{\"fields\":[\"arm\"],\"readerSchema\":\"\\\"string\\\"\"}",
                finance),
            products.send("PUT", subs + "/" + finance, "{}", finance),
            products.send("PUT", subs + "/" + finance, "{\"fields\":[\"a..b\"]}", finance),
            products.send("POST", "/products/" + product + "/impact", "", owner))) {
      assertThat(wrong.status()).as("%s", wrong).isEqualTo(400);
      assertThat(wrong.json().path("code").asText()).as("%s", wrong).isNotEmpty();
    }
    assertThat(
            products
                .send("POST", "/products/" + owner + ".nothing/impact", "{\"schema\":\"\"}", owner)
                .status())
        .isEqualTo(404);
    var subscribers = products.send("GET", "/products/" + product + "/subscribers", null, pv);
    assertThat(subscribers.json().path("subscribers").findValuesAsText("consumerDomain"))
        .contains(pv, finance);
    for (JsonNode s : subscribers.json().path("subscribers")) {
      assertThat(s.path("fields").toString())
          .isEqualTo(
              s.path("consumerDomain").asText().equals(pv)
                  ? "[\"patientId\",\"site.code\"]"
                  : "[\"arm\"]");
    }

    // when the owner asks what dropping patientId would do
    String withoutPatient = enrollmentOf(owner, SITE, ARM, NOTE);
    var impact =
        products.send(
            "POST",
            "/products/" + product + "/impact",
            SchemaHttp.schemaBody(withoutPatient),
            owner);
    assertThat(impact.status()).as("%s", impact).isEqualTo(200);
    assertThat(impact.json().path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    assertThat(impact.json().path("compatible").asBoolean()).isTrue();
    assertThat(impact.json().path("breaks")).hasSize(1);
    assertThat(impact.json().path("breaks").get(0).path("consumer").asText()).isEqualTo(pv);
    assertThat(impact.json().path("breaks").get(0).path("field").asText()).isEqualTo("patientId");
    assertThat(impact.json().path("breaks").get(0).path("kind").asText()).isEqualTo("REMOVED");
    assertThat(impact.json().path("breaks").get(0).path("reason").asText())
        .isEqualTo("record Enrollment no longer has a field patientId");
    assertThat(impact.json().path("againstVersion").asInt()).isEqualTo(1);
    assertThat(impact.json().path("undeclared")).isEmpty();
    assertThat(impact.json().path("unaffected").toString()).isEqualTo("[\"" + finance + "\"]");
    assertThat(
            products
                .send("POST", "/products/" + product + "/impact", "{\"schema\":\"{\"}", owner)
                .status())
        .isEqualTo(400);
    assertThat(
            products
                .send(
                    "POST",
                    "/products/" + product + "/impact",
                    SchemaHttp.schemaBody(withoutPatient),
                    pv)
                .status())
        .isEqualTo(403);

    // then registering it is refused under NONE, naming the consumer and the field
    assertThat(http.put("/config/" + subject, "{\"compatibility\":\"NONE\"}").status())
        .isEqualTo(200);
    var underNone = http.register(subject, withoutPatient);
    assertThat(underNone.status()).as("%s", underNone).isEqualTo(409);
    assertThat(underNone.errorCode()).isEqualTo(409);
    assertThat(underNone.json().path("message").asText()).contains(pv + " reads patientId");

    // and under FULL, dropping arm (which has a default, so Confluent allows it) is refused too,
    // while dropping note, which nobody reads any more, is accepted
    assertThat(http.put("/config/" + subject, "{\"compatibility\":\"FULL\"}").status())
        .isEqualTo(200);
    var dropArm = http.register(subject, enrollmentOf(owner, PATIENT, SITE, NOTE));
    assertThat(dropArm.status()).as("%s", dropArm).isEqualTo(409);
    assertThat(dropArm.json().path("message").asText()).contains(finance + " reads arm");
    var dropNote = http.register(subject, enrollmentOf(owner, PATIENT, SITE, ARM));
    assertThat(dropNote.status()).as("%s", dropNote).isEqualTo(200);

    // when the owner overrides
    var forced =
        http.post(
            "/subjects/" + subject + "/versions?overrideBreaks=true",
            SchemaHttp.schemaBody(enrollmentOf(owner, PATIENT, SITE)));

    // then the version is registered and the consumer is told which of its fields broke
    assertThat(forced.status()).as("%s", forced).isEqualTo(200);
    assertThat(http.get("/subjects/" + subject + "/versions/latest").json().path("version").asInt())
        .isEqualTo(3);
    JsonNode notice =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    StreamSupport.stream(
                            products
                                .send(
                                    "GET", "/domains/" + finance + "/notifications", null, finance)
                                .json()
                                .path("notifications")
                                .spliterator(),
                            false)
                        .filter(n -> n.path("type").asText().equals("CONTRACT_BREAKING_CHANGE"))
                        .findFirst()
                        .orElse(null),
                n -> n != null);
    assertThat(notice.path("attributes").path("brokenFields").asText()).isEqualTo("arm");
    assertThat(notice.path("attributes").path("version").asText()).isEqualTo("3");
    assertThat(notice.path("productId").asText()).isEqualTo(product);
  }
}
