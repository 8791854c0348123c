package dev.meshbone.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshbone.client.RegistryDouble.Answer;
import dev.meshbone.events.Classification;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.SubscriptionState;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK's registry calls against an HTTP double of the registry: what each call sends, and how
 * each answer (accepted, refused, pending, not found, unreachable) comes back to the caller.
 */
class MeshClientRegistryTest {
  private static final String ID = "clinical-trials.enrollments";
  private static final String ACCEPTED =
      """
      {"status":"ACCEPTED","eventId":"e1","productId":"clinical-trials.enrollments",
       "lifecycle":{"status":"ACTIVE","version":1,"lastChange":"CREATED","lastEventId":"e1",
                    "changedAt":null,"sunsetAt":null,"reason":null,"actor":null},"check":null}
      """;

  private RegistryDouble registry;
  private MeshClient mesh;

  @BeforeEach
  void start() {
    registry = RegistryDouble.start();
    mesh = client(Duration.ofSeconds(5));
  }

  private MeshClient client(Duration verdictTimeout) {
    return MeshClient.create(
        MeshClientSettings.builder()
            .domain("clinical-trials")
            .bootstrapServers("localhost:1")
            .registryUrl(registry.url())
            .verdictTimeout(verdictTimeout)
            .requestTimeout(Duration.ofSeconds(2))
            .build());
  }

  @AfterEach
  void stop() {
    mesh.close();
    registry.close();
  }

  private static ProductDeclaration enrollments() {
    return ProductDeclaration.builder("enrollments")
        .name("Trial enrollments")
        .owner("enrollment-platform", "enrollment@example.com")
        .tags("trial", "enrollment")
        .classification(Classification.PII)
        .slos(Slos.none().withMinPassRate(0.9).withMaxStaleness(Duration.ofMinutes(5)))
        .build();
  }

  @Test
  void shouldCreateAnUnknownProductWithItsDescriptorAndTheDomainHeader() {
    registry.simulatedProduct(ID).on("POST", "/products", 201, ACCEPTED);

    DataProduct product = mesh.declare(enrollments());

    assertThat(product.id()).isEqualTo(ID);
    assertThat(product.status()).isEqualTo(LifecycleStatus.ACTIVE);
    assertThat(product.version()).isEqualTo(1);
    var post = registry.requests("POST", "/products").get(0);
    assertThat(post.header("X-Mesh-Domain")).isEqualTo("clinical-trials");
    var body = post.json();
    assertThat(body.get("id").asText()).isEqualTo(ID);
    assertThat(body.get("eventId").asText()).isNotBlank();
    assertThat(body.at("/descriptor/owner/team").asText()).isEqualTo("enrollment-platform");
    assertThat(body.at("/descriptor/classification").asText()).isEqualTo("PII");
    assertThat(body.at("/descriptor/slos/minPassRate").asDouble()).isEqualTo(0.9);
    assertThat(body.at("/descriptor/slos/maxStalenessMs").asLong()).isEqualTo(300_000);
  }

  @Test
  void shouldWriteNothingWhenTheRegistryAlreadyHoldsTheDeclaration() {
    registry.simulatedProduct(ID).on("POST", "/products", 201, ACCEPTED);
    mesh.declare(enrollments());
    String descriptor =
        registry.requests("POST", "/products").get(0).json().get("descriptor").toString();
    registry.on(
        "GET", "/products/" + ID, 200, RegistryDouble.productJson(ID, "ACTIVE", 1, descriptor));

    DataProduct again = mesh.declare(enrollments());

    assertThat(again.version()).isEqualTo(1);
    assertThat(registry.requests("POST", "/products")).hasSize(1);
    assertThat(registry.requests("PUT", "/products")).isEmpty();
  }

  @Test
  void shouldUpdateAProductWhoseDescriptorDiffers() {
    String old =
        "{\"name\":\"Old name\",\"owner\":{\"team\":\"enrollment-platform\",\"contact\":null},"
            + "\"tags\":[],\"glossaryTerms\":[],\"classification\":\"PII\",\"slos\":null,"
            + "\"inputs\":[],\"contractSubject\":null,\"subscriptionPolicy\":\"OWNER_APPROVAL\","
            + "\"sunsetAt\":null,\"properties\":{}}";
    registry.on(
        "GET",
        "/products/" + ID,
        r ->
            Answer.json(
                200,
                RegistryDouble.productJson(
                    ID, "ACTIVE", 1 + registry.requests("PUT", "/products/").size(), old)));
    registry.on("PUT", "/products/" + ID, 200, ACCEPTED.replace("\"version\":1", "\"version\":2"));

    DataProduct product = mesh.declare(enrollments());

    assertThat(product.version()).isEqualTo(2);
    assertThat(
            registry
                .requests("PUT", "/products/" + ID)
                .get(0)
                .json()
                .at("/descriptor/name")
                .asText())
        .isEqualTo("Trial enrollments");
  }

  @Test
  void shouldRaiseTheValidatorsReasonsWhenADeclarationIsRefused() {
    registry.on(
        "POST",
        "/products",
        422,
        """
        {"code":"EVENT_REFUSED","message":"contract-validator refused the event","eventId":"e1",
         "productId":"clinical-trials.enrollments",
         "reasons":[{"code":"INVALID_SLO","field":"descriptor.slos.minPassRate",
                     "message":"minPassRate must be between 0 and 1"}]}
        """);

    assertThatThrownBy(() -> mesh.declare(enrollments()))
        .isInstanceOfSatisfying(
            ProductChangeRefusedException.class,
            e -> {
              assertThat(e.reasons())
                  .containsExactly(
                      new RefusalReason(
                          "INVALID_SLO",
                          "descriptor.slos.minPassRate",
                          "minPassRate must be between 0 and 1"));
              assertThat(e.getMessage())
                  .contains("refused to declare clinical-trials.enrollments")
                  .contains("INVALID_SLO (descriptor.slos.minPassRate)");
            });
  }

  @Test
  void shouldWaitForAPendingVerdictAndReturnTheAcceptedProduct() {
    registry.on(
        "POST",
        "/products",
        202,
        "{\"status\":\"PENDING\",\"eventId\":\"e1\",\"productId\":\""
            + ID
            + "\",\"lifecycle\":null,"
            + "\"check\":\"/products/"
            + ID
            + "/events/e1\"}");
    AtomicInteger asked = new AtomicInteger();
    registry.on(
        "GET",
        "/products/" + ID + "/events/e1",
        r ->
            Answer.json(
                200,
                "{\"eventId\":\"e1\",\"productId\":\""
                    + ID
                    + "\",\"status\":\""
                    + (asked.incrementAndGet() < 3 ? "PENDING" : "ACCEPTED")
                    + "\",\"reasons\":null}"));
    AtomicInteger lookups = new AtomicInteger();
    registry.on(
        "GET",
        "/products/" + ID,
        r ->
            lookups.incrementAndGet() == 1
                ? Answer.json(404, "{\"code\":\"PRODUCT_NOT_FOUND\",\"message\":\"no product\"}")
                : Answer.json(200, RegistryDouble.productJson(ID, "ACTIVE", 1, null)));

    DataProduct product = mesh.declare(enrollments());

    assertThat(product.status()).isEqualTo(LifecycleStatus.ACTIVE);
    assertThat(asked.get()).isEqualTo(3);
  }

  @Test
  void shouldSayTheWriteIsQueuedWhenNoVerdictComesInTime() {
    mesh.close();
    mesh = client(Duration.ofMillis(600));
    registry.on(
        "POST",
        "/products/" + ID + "/deprecation",
        202,
        "{\"status\":\"PENDING\",\"eventId\":\"e1\",\"productId\":\""
            + ID
            + "\",\"lifecycle\":null,"
            + "\"check\":\"/products/"
            + ID
            + "/events/e1\"}");
    registry.on(
        "GET",
        "/products/" + ID + "/events/e1",
        200,
        "{\"eventId\":\"e1\",\"productId\":\""
            + ID
            + "\",\"status\":\"PENDING\",\"reasons\":null}");

    assertThatThrownBy(
            () -> mesh.deprecate("enrollments", Instant.parse("2030-01-01T00:00:00Z"), "x"))
        .isInstanceOfSatisfying(
            VerdictPendingException.class,
            e -> {
              assertThat(e.isRetriable()).isTrue();
              assertThat(e.check()).isEqualTo("/products/" + ID + "/events/e1");
              assertThat(e.getMessage()).contains("no verdict").contains("is it running?");
            });
  }

  @Test
  void shouldSendTheSunsetAndReasonWhenDeprecating() {
    registry.on(
        "GET",
        "/products/" + ID,
        200,
        RegistryDouble.productJson(ID, "DEPRECATED", 1, null)
            .replace("\"sunsetAt\":null", "\"sunsetAt\":\"2030-01-01T00:00:00Z\""));
    registry.on(
        "POST",
        "/products/" + ID + "/deprecation",
        200,
        ACCEPTED
            .replace("\"status\":\"ACTIVE\"", "\"status\":\"DEPRECATED\"")
            .replace("\"sunsetAt\":null", "\"sunsetAt\":\"2030-01-01T00:00:00Z\""));

    DataProduct product =
        mesh.deprecate("enrollments", Instant.parse("2030-01-01T00:00:00Z"), "replaced by v2");

    assertThat(product.status()).isEqualTo(LifecycleStatus.DEPRECATED);
    assertThat(product.sunsetAt()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
    var body = registry.requests("POST", "/products/" + ID + "/deprecation").get(0).json();
    assertThat(body.get("sunsetAt").asText()).isEqualTo("2030-01-01T00:00:00Z");
    assertThat(body.get("reason").asText()).isEqualTo("replaced by v2");
    assertThat(body.has("successor")).isFalse();

    mesh.deprecate(
        "enrollments",
        Instant.parse("2030-01-01T00:00:00Z"),
        "replaced by v2",
        "clinical-trials.enrollments-v2");
    var named = registry.requests("POST", "/products/" + ID + "/deprecation").get(1).json();
    assertThat(named.get("successor").asText()).isEqualTo("clinical-trials.enrollments-v2");
  }

  @Test
  void shouldRaiseUnknownProductForAWriteToAProductTheRegistryDoesNotKnow() {
    registry.on(
        "POST",
        "/products/" + ID + "/retirement",
        404,
        "{\"code\":\"PRODUCT_NOT_FOUND\",\"message\":\"no product " + ID + " is registered\"}");

    assertThatThrownBy(() -> mesh.retire("enrollments", "done"))
        .isInstanceOf(UnknownProductException.class)
        .hasMessageContaining("is not in the mesh registry")
        .hasMessageContaining("declare it first");
  }

  @Test
  void shouldRefuseToWriteAnotherDomainsProductWithoutAskingTheRegistry() {
    assertThatThrownBy(() -> mesh.retire("supply-chain.batches", "no"))
        .isInstanceOfSatisfying(
            MeshRequestException.class, e -> assertThat(e.status()).isEqualTo(403))
        .hasMessageContaining("belongs to domain supply-chain");
    assertThat(registry.requests()).isEmpty();
  }

  @Test
  void shouldSayTheRegistryCannotBeReachedAfterRetrying() throws Exception {
    int freePort;
    try (var socket = new ServerSocket(0)) {
      freePort = socket.getLocalPort();
    }
    try (var offline =
        MeshClient.create(
            MeshClientSettings.builder()
                .domain("clinical-trials")
                .bootstrapServers("localhost:1")
                .registryUrl("http://127.0.0.1:" + freePort)
                .build())) {
      assertThatThrownBy(() -> offline.declare(enrollments()))
          .isInstanceOfSatisfying(
              RegistryUnavailableException.class, e -> assertThat(e.isRetriable()).isTrue())
          .hasMessageContaining("did not answer")
          .hasMessageContaining("meshbone.client.registry-url");
    }
  }

  @Test
  void shouldRetryARegistryThatAnswers503() {
    AtomicInteger calls = new AtomicInteger();
    registry.on(
        "GET",
        "/products/" + ID,
        r ->
            calls.incrementAndGet() < 3
                ? Answer.json(503, "{\"code\":\"REGISTRY_UNAVAILABLE\",\"message\":\"starting\"}")
                : Answer.json(200, RegistryDouble.productJson(ID, "ACTIVE", 3, null)));

    assertThat(mesh.product(ID).version()).isEqualTo(3);
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void shouldRegisterAContractWithItsRulesAndReportItsVersion() {
    registry.product(ID);
    registry.on(
        "GET",
        "/subjects/" + ID + "-value/versions/latest",
        200,
        "{\"subject\":\"" + ID + "-value\",\"id\":7,\"version\":1,\"schema\":\"\\\"string\\\"\"}");
    registry.on("POST", "/subjects/" + ID + "-value/versions", 200, "{\"id\":8,\"version\":2}");

    RegisteredContract contract =
        mesh.registerContract(
            "enrollments",
            Contract.of(enrollmentSchema())
                .withRules(ContractRule.named("age-in-range").field("age").min(18).max(100)));

    assertThat(contract).isEqualTo(new RegisteredContract(ID, ID + "-value", 8, 2, true));
    var post = registry.requests("POST", "/subjects/").get(0);
    assertThat(post.header("X-Mesh-Domain")).isEqualTo("clinical-trials");
    assertThat(post.header("X-Mesh-Request-Id")).isNotBlank();
    var body = post.json();
    assertThat(body.get("schemaType").asText()).isEqualTo("AVRO");
    assertThat(new Schema.Parser().parse(body.get("schema").asText()))
        .isEqualTo(enrollmentSchema());
    assertThat(body.at("/ruleSet/domainRules/0/type").asText()).isEqualTo("MESH");
    assertThat(body.at("/ruleSet/domainRules/0/params/min").asText()).isEqualTo("18");
  }

  @Test
  void shouldRaiseTheIncompatibilitiesWhenAContractIsRefused() {
    registry.product(ID);
    registry.on(
        "POST",
        "/subjects/" + ID + "-value/versions",
        409,
        "{\"error_code\":409,\"message\":\"Schema being registered is incompatible with an"
            + " earlier schema for subject \\\""
            + ID
            + "-value\\\", details:"
            + " [{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'site'"
            + " at path '/fields/2' in the new schema has no default value and is missing in the"
            + " old schema', additionalInfo:'site'}, {oldSchemaVersion: 1}, {oldSchema: '{}'},"
            + " {validateFields: 'false', compatibility: 'BACKWARD'}]\"}");

    assertThatThrownBy(() -> mesh.registerContract("enrollments", enrollmentSchema()))
        .isInstanceOfSatisfying(
            ContractRefusedException.class,
            e -> {
              assertThat(e.isIncompatible()).isTrue();
              assertThat(e.subject()).isEqualTo(ID + "-value");
              assertThat(e.reasons())
                  .containsExactly(
                      "READER_FIELD_MISSING_DEFAULT_VALUE: The field 'site' at path '/fields/2' in"
                          + " the new schema has no default value and is missing in the old"
                          + " schema",
                      "checked under compatibility level BACKWARD against version 1");
              assertThat(e.getMessage()).contains("needs a default value");
            });
  }

  @Test
  void shouldRefuseAContractForAProductNeverDeclared() {
    assertThatThrownBy(() -> mesh.registerContract("enrollments", enrollmentSchema()))
        .isInstanceOf(UnknownProductException.class);
    assertThat(registry.requests("POST", "/subjects")).isEmpty();
  }

  @Test
  void shouldAnswerACompatibilityCheckWithTheReasons() {
    registry.on(
        "POST",
        "/compatibility/subjects/" + ID + "-value/versions/latest?verbose=true",
        200,
        "{\"is_compatible\":false,\"messages\":[\"{errorType:'TYPE_MISMATCH', description:'The"
            + " type (path '/fields/0/type') of a field in the new schema does not match with the"
            + " old schema', additionalInfo:'reader type: INT not compatible with writer type:"
            + " STRING'}\",\"{oldSchemaVersion: 2}\",\"{validateFields: 'false', compatibility:"
            + " 'BACKWARD'}\"]}");

    CompatibilityVerdict verdict =
        mesh.checkContract("enrollments", Contract.of(enrollmentSchema()));

    assertThat(verdict.compatible()).isFalse();
    assertThat(verdict.reasons().get(0))
        .startsWith("TYPE_MISMATCH: The type (path '/fields/0/type')");
    assertThat(verdict.reasons().get(1))
        .isEqualTo("checked under compatibility level BACKWARD against version 2");
  }

  @Test
  void shouldAnswerTheImpactOfAContractWithTheBrokenFields() {
    registry.on(
        "POST",
        "/products/" + ID + "/impact",
        200,
        "{\"productId\":\""
            + ID
            + "\",\"subject\":\""
            + ID
            + "-value\",\"compatibilityLevel\":\"NONE\",\"againstVersion\":1,"
            + "\"compatible\":true,\"messages\":[],\"breaks\":[{\"consumer\":"
            + "\"pharmacovigilance\",\"field\":\"patientId\",\"kind\":\"REMOVED\","
            + "\"reason\":\"record Enrollment no longer has a field patientId\"}],"
            + "\"unaffected\":[\"finance\"],\"undeclared\":[\"legal\"]}");

    ContractImpact impact = mesh.impact("enrollments", Contract.of(enrollmentSchema()));

    assertThat(impact.compatible()).isTrue();
    assertThat(impact.safe()).isFalse();
    assertThat(impact.breaks())
        .containsExactly(
            new ContractImpact.FieldBreak(
                "pharmacovigilance",
                "patientId",
                "REMOVED",
                "record Enrollment no longer has a field patientId"));
    assertThat(impact.unaffected()).containsExactly("finance");
    assertThat(impact.undeclared()).containsExactly("legal");
    assertThat(
            registry
                .requests("POST", "/products/" + ID + "/impact")
                .get(0)
                .json()
                .path("schema")
                .asText())
        .contains("Enrollment");
  }

  @Test
  void shouldSubscribeAndDecideSubscriptions() {
    registry.on(
        "POST",
        "/products/supply-chain.batch-releases/subscriptions",
        201,
        "{\"productId\":\"supply-chain.batch-releases\",\"consumerDomain\":\"clinical-trials\","
            + "\"state\":\"REQUESTED\",\"purpose\":\"dosing\",\"principal\":null,"
            + "\"requestedAt\":null,\"updatedAt\":null,\"decidedBy\":null}");
    registry.on(
        "POST",
        "/products/" + ID + "/subscriptions/pharmacovigilance/approval",
        200,
        "{\"productId\":\""
            + ID
            + "\",\"consumerDomain\":\"pharmacovigilance\","
            + "\"state\":\"APPROVED\",\"purpose\":null,\"principal\":null,"
            + "\"requestedAt\":null,\"updatedAt\":null,\"decidedBy\":\"clinical-trials\"}");

    ProductSubscription mine = mesh.subscribe("supply-chain.batch-releases", "dosing");
    ProductSubscription theirs = mesh.approveSubscription("enrollments", "pharmacovigilance");

    assertThat(mine.state()).isEqualTo(SubscriptionState.REQUESTED);
    assertThat(
            registry
                .requests("POST", "/products/supply-chain")
                .get(0)
                .json()
                .get("purpose")
                .asText())
        .isEqualTo("dosing");
    assertThat(theirs.state()).isEqualTo(SubscriptionState.APPROVED);
    assertThat(theirs.decidedBy()).isEqualTo("clinical-trials");
  }

  @Test
  void shouldPublishAQualityResultThroughTheRegistry() {
    registry.on(
        "POST",
        "/products/" + ID + "/quality-results",
        202,
        "{\"eventId\":\"q1\",\"topic\":\"clinical-trials.mesh.quality-events\",\"partition\":1,\"offset\":42}");

    PublishedEvent event =
        mesh.publishQualityResult(
            "enrollments",
            QualityResult.failed("site-not-null")
                .measured(0.82, 0.95)
                .recordCount(50)
                .eventId("q1")
                .build());

    assertThat(event)
        .isEqualTo(new PublishedEvent("q1", "clinical-trials.mesh.quality-events", 1, 42));
    var body = registry.requests("POST", "/products/" + ID + "/quality-results").get(0).json();
    assertThat(body.get("passed").asBoolean()).isFalse();
    assertThat(body.get("measuredValue").asDouble()).isEqualTo(0.82);
    assertThat(body.get("occurredAt").asText()).isNotBlank();
  }

  static Schema enrollmentSchema() {
    return SchemaBuilder.record("TrialEnrollment")
        .namespace("com.example.trials")
        .fields()
        .requiredString("enrollmentId")
        .requiredInt("age")
        .requiredString("siteId")
        .endRecord();
  }
}
