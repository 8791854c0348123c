package dev.meshbone.registry.products;

import static dev.meshbone.registry.products.RegistryReadApiIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meshbone.events.Notification;
import dev.meshbone.events.NotificationType;
import dev.meshbone.registry.BesideValidator;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.TopicBootstrapper;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Product writes through the API with contract-validator running beside the registry: each write is
 * published on the domain's product-events topic and answered with the validator's verdict.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryWriteVerdictIT {
  private static final String DOMAIN = "X-Mesh-Domain";

  private final String domain = KafkaBroker.unique("writer");
  private final String registryId = KafkaBroker.unique("registry-writes");
  private Path registryState;
  private TestRegistry registry;
  private ApplicationContext validator;
  private KafkaBroker broker;

  @BeforeAll
  void start(KafkaBroker broker) throws Exception {
    this.broker = broker;
    registryState = Files.createTempDirectory("registry-writes");
    registry = startRegistry();
    // The validator follows every domain's control topic by pattern; a topic made before it
    // starts is followed at once rather than at its next metadata refresh.
    try (var admin = broker.admin()) {
      new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(10))
          .ensure(DomainTopics.controlSpecs(domain));
    }
    validator =
        BesideValidator.start(
            Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "micronaut.server.port", -1,
                "meshbone.security.enabled", false,
                "kafka.streams.application.id", KafkaBroker.unique("validator-writes"),
                "meshbone.state-dir", Files.createTempDirectory("validator-writes").toString()));
  }

  /**
   * The registry, on the same application id and state folder each time: observed readers and the
   * sunset's checks every half second; a consumer drains after 0.5 s.
   */
  private TestRegistry startRegistry() {
    return TestRegistry.start(
        broker,
        registryId,
        registryState,
        Map.of(
            "meshbone.registry.readers-interval", "500ms",
            "meshbone.registry.sunset-check-interval", "500ms",
            "meshbone.registry.sunset-quiet-period", "500ms",
            "meshbone.registry.sunset-lead-times", "14d,1d,4s,1s"));
  }

  @AfterAll
  void stop() {
    if (validator != null) {
      validator.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  private static String descriptor(String name) {
    return "{\"name\":\""
        + name
        + "\",\"description\":\"Who enrolled\",\"owner\":{\"team\":\"enrollment\"},"
        + "\"tags\":[\"trial\"],\"classification\":\"PII\",\"subscriptionPolicy\":\"AUTO_APPROVE\"}";
  }

  private TestRegistry.Response register(String id) {
    return registry.send(
        "POST",
        "/products",
        "{\"id\":\"" + id + "\",\"descriptor\":" + descriptor("Enrollments") + "}",
        DOMAIN,
        domain);
  }

  @Test
  void shouldRegisterAProductAndAnswerWithTheValidatorsVerdict() {
    String id = domain + ".enrollments";

    var response = register(id);

    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    assertThat(response.json().path("status").asText()).isEqualTo("ACCEPTED");
    assertThat(response.json().path("lifecycle").path("status").asText()).isEqualTo("ACTIVE");
    assertThat(response.json().path("lifecycle").path("version").asLong()).isEqualTo(1);
    assertThat(response.header("Location")).isEqualTo("/products/" + id);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> registry.get("/products/" + id).status() == 200);
    var product = registry.get("/products/" + id).json();
    assertThat(product.path("descriptor").path("classification").asText()).isEqualTo("PII");
    String eventId = response.json().path("eventId").asText();
    assertThat(
            registry.get("/products/" + id + "/events/" + eventId).json().path("status").asText())
        .isEqualTo("ACCEPTED");
    assertError(register(id), 409, "PRODUCT_EXISTS");
  }

  @Test
  void shouldChangeDeprecateAndRetireAProduct() {
    String id = domain + ".visits";
    assertThat(register(id).status()).isEqualTo(201);
    await().until(() -> registry.get("/products/" + id).status() == 200);

    var changed =
        registry.send(
            "PUT",
            "/products/" + id,
            "{\"descriptor\":" + descriptor("Visits") + ",\"reason\":\"renamed\"}",
            DOMAIN,
            domain);
    assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    assertThat(changed.json().path("lifecycle").path("lastChange").asText()).isEqualTo("UPDATED");
    awaitProduct(id, "descriptor", "name", "Visits");

    var deprecated =
        registry.send(
            "POST",
            "/products/" + id + "/deprecation",
            "{\"sunsetAt\":\"2099-03-01\",\"reason\":\"replaced\",\"successor\":\""
                + domain
                + ".visits-v2\"}",
            DOMAIN,
            domain);
    assertThat(deprecated.status()).as(deprecated.toString()).isEqualTo(200);
    assertThat(deprecated.json().path("lifecycle").path("status").asText()).isEqualTo("DEPRECATED");
    assertThat(deprecated.json().path("lifecycle").path("sunsetAt").asText())
        .isEqualTo("2099-03-01T00:00:00Z");
    awaitProduct(id, "lifecycle", "status", "DEPRECATED");
    assertThat(registry.get("/products/" + id).json().path("descriptor").path("successor").asText())
        .isEqualTo(domain + ".visits-v2");
    assertThat(registry.get("/products/" + id + "/retirement").json().path("successor").asText())
        .isEqualTo(domain + ".visits-v2");
    // A declaration that does not speak of the successor (the SDK's) keeps it.
    var redeclared =
        registry.send(
            "PUT",
            "/products/" + id,
            "{\"descriptor\":" + descriptor("Site visits") + "}",
            DOMAIN,
            domain);
    assertThat(redeclared.status()).as(redeclared.toString()).isEqualTo(200);
    awaitProduct(id, "descriptor", "name", "Site visits");
    assertThat(registry.get("/products/" + id).json().path("descriptor").path("successor").asText())
        .isEqualTo(domain + ".visits-v2");

    var retired = registry.send("POST", "/products/" + id + "/retirement", null, DOMAIN, domain);
    assertThat(retired.status()).as(retired.toString()).isEqualTo(200);
    assertThat(retired.json().path("lifecycle").path("status").asText()).isEqualTo("RETIRED");
    awaitProduct(id, "lifecycle", "status", "RETIRED");
    assertError(
        registry.send(
            "PUT", "/products/" + id, "{\"descriptor\":" + descriptor("V") + "}", DOMAIN, domain),
        409,
        "PRODUCT_RETIRED");
  }

  @Test
  void shouldAnswer422WithTheValidatorsReasonsWhenItRefuses() {
    String id = domain + ".ownerless";

    var response =
        registry.send(
            "POST",
            "/products",
            "{\"id\":\"" + id + "\",\"descriptor\":{\"name\":\"No owner\"}}",
            DOMAIN,
            domain);

    assertThat(response.status()).as(response.toString()).isEqualTo(422);
    assertThat(response.json().path("code").asText()).isEqualTo("EVENT_REFUSED");
    assertThat(response.json().path("reasons").findValuesAsText("code")).contains("MISSING_OWNER");
    String eventId = response.json().path("eventId").asText();
    assertThat(
            registry.get("/products/" + id + "/events/" + eventId).json().path("status").asText())
        .isEqualTo("REFUSED");
    assertThat(registry.get("/products/" + id).status()).isEqualTo(404);
  }

  @Test
  void shouldAnswerARetryOfAnAcceptedEventWithoutPublishingItAgain() {
    String id = domain + ".retried";
    assertThat(register(id).status()).isEqualTo(201);
    await().until(() -> registry.get("/products/" + id).status() == 200);
    String body = "{\"descriptor\":" + descriptor("Retried") + ",\"eventId\":\"retry-" + id + "\"}";

    var first = registry.send("PUT", "/products/" + id, body, DOMAIN, domain);
    awaitProduct(id, "lifecycle", "lastEventId", "retry-" + id);
    var retry = registry.send("PUT", "/products/" + id, body, DOMAIN, domain);

    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
    assertThat(retry.json().path("lifecycle").path("version").asLong())
        .isEqualTo(first.json().path("lifecycle").path("version").asLong());
  }

  /**
   * Bulk onboarding: one request declares three products and registers two contracts; each product
   * has its own outcome (one refused by the validator, the others accepted and readable at once),
   * each write is decided once (one event per product on mesh.products, one version per subject),
   * and the same batch sent again answers the same without writing anything again.
   */
  @Test
  void shouldOnboardABatchWithAnOutcomePerProductEachDecidedOnce() {
    String schema =
        "{\"type\":\"record\",\"name\":\"Visit\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
    String a = domain + ".bulk-a";
    String b = domain + ".bulk-b";
    String bad = domain + ".bulk-ownerless";
    String body =
        "[{\"id\":\""
            + a
            + "\",\"eventId\":\"bulk-a-1\",\"descriptor\":"
            + descriptor("A")
            + ",\"schema\":"
            + TestRegistry.JSON.valueToTree(schema)
            + "},{\"id\":\""
            + bad
            + "\",\"eventId\":\"bulk-bad-1\",\"descriptor\":{\"name\":\"No owner\"},\"schema\":"
            + TestRegistry.JSON.valueToTree(schema)
            + "},{\"id\":\""
            + b
            + "\",\"eventId\":\"bulk-b-1\",\"descriptor\":"
            + descriptor("B")
            + "}]";

    var first = registry.send("POST", "/domains/" + domain + "/products", body, DOMAIN, domain);
    var again = registry.send("POST", "/domains/" + domain + "/products", body, DOMAIN, domain);

    for (var response : List.of(first, again)) {
      assertThat(response.status()).as(response.toString()).isEqualTo(200);
      var results = response.json().path("products");
      assertThat(response.json().path("accepted").asInt()).isEqualTo(2);
      assertThat(results.get(0).path("outcome").asText()).isEqualTo("ACCEPTED");
      assertThat(results.get(0).path("schema").path("status").asText()).isEqualTo("REGISTERED");
      assertThat(results.get(1).path("status").asInt()).isEqualTo(422);
      assertThat(results.get(1).path("reasons").findValuesAsText("code")).contains("MISSING_OWNER");
      assertThat(results.get(1).path("schema").path("status").asText()).isEqualTo("NOT_ATTEMPTED");
      assertThat(results.get(2).path("outcome").asText()).isEqualTo("ACCEPTED");
      assertThat(results.get(2).path("schema").isNull()).isTrue();
    }
    assertThat(again.json().path("products").get(0).path("schema").path("id").asInt())
        .isEqualTo(first.json().path("products").get(0).path("schema").path("id").asInt());
    // Read your writes: the products and the contract are there at once.
    assertThat(registry.get("/products/" + a).status()).isEqualTo(200);
    assertThat(registry.get("/products/" + b).status()).isEqualTo(200);
    assertThat(registry.get("/products/" + bad).status()).isEqualTo(404);
    var versions = registry.get("/subjects/" + a + "-value/versions");
    assertThat(versions.json().size()).as(versions.toString()).isEqualTo(1);
    try (var products = new TopicRecords<>(broker, MeshTopics.defaults().products)) {
      await()
          .untilAsserted(
              () ->
                  assertThat(
                          products.values().stream()
                              .map(e -> e.getEventId())
                              .filter(e -> e.startsWith("bulk-"))
                              .sorted()
                              .toList())
                      .containsExactly("bulk-a-1", "bulk-b-1"));
    }
    // Bad batches are 400s, and write nothing.
    assertError(
        registry.send("POST", "/domains/" + domain + "/products", "[]", DOMAIN, domain),
        400,
        "EMPTY_BATCH");
    assertError(
        registry.send(
            "POST",
            "/domains/" + domain + "/products",
            "[{\"id\":\"other.xx\",\"descriptor\":" + descriptor("X") + "}]",
            DOMAIN,
            domain),
        400,
        "WRONG_DOMAIN");
  }

  @Test
  void shouldAnswer404WhenChangingAnUnknownProduct() {
    assertError(
        registry.send(
            "PUT",
            "/products/" + domain + ".unknown",
            "{\"descriptor\":" + descriptor("X") + "}",
            DOMAIN,
            domain),
        404,
        "PRODUCT_NOT_FOUND");
  }

  private String status(String id) {
    return registry.get("/products/" + id).json().path("lifecycle").path("status").asText();
  }

  private void deprecateSoon(String id, java.time.Instant sunset) {
    var deprecated =
        registry.send(
            "POST",
            "/products/" + id + "/deprecation",
            "{\"sunsetAt\":\"" + sunset + "\"}",
            DOMAIN,
            domain);
    assertThat(deprecated.status()).as(deprecated.toString()).isEqualTo(200);
  }

  /**
   * The sunset, on the broker with the validator: a product nobody reads retires by itself a few
   * seconds after its sunset, through the validator; one whose subscriber's group lags waits (its
   * readiness names the blocker) and retires once the group has caught up and stayed quiet.
   */
  @Test
  void shouldRetireAtTheSunsetByItselfAndWaitWhileASubscriberStillLags() throws Exception {
    String alone = domain + ".alone";
    String read = domain + ".read";
    String consumer = KafkaBroker.unique("consumer");
    assertThat(register(alone).status()).isEqualTo(201);
    assertThat(register(read).status()).isEqualTo(201);
    await().until(() -> registry.get("/products/" + read).status() == 200);
    var subscribed =
        registry.send("POST", "/products/" + read + "/subscriptions", "{}", DOMAIN, consumer);
    assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(201);
    try (var producer =
        new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
            broker.producerConfig())) {
      for (int i = 0; i < 5; i++) {
        producer
            .send(
                new org.apache.kafka.clients.producer.ProducerRecord<>(
                    read, 0, new byte[] {(byte) i}, new byte[] {(byte) i}))
            .get();
      }
    }
    commit(consumer + ".app", read, 2);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                registry
                        .get("/products/" + read + "/readers", DOMAIN, domain)
                        .json()
                        .path("readers")
                        .size()
                    == 1);

    java.time.Instant sunset = java.time.Instant.now().plusSeconds(3);
    deprecateSoon(alone, sunset);
    deprecateSoon(read, sunset);

    await().atMost(Duration.ofSeconds(30)).until(() -> status(alone).equals("RETIRED"));
    var waiting = registry.get("/products/" + read + "/retirement").json();
    assertThat(status(read)).isEqualTo("DEPRECATED");
    assertThat(waiting.path("sunsetReached").asBoolean()).isTrue();
    assertThat(waiting.path("ready").asBoolean()).isFalse();
    assertThat(waiting.path("leadTimes").toString())
        .isEqualTo("[\"PT336H\",\"PT24H\",\"PT4S\",\"PT1S\"]");
    assertThat(waiting.path("blockers").get(0).asText()).isEqualTo(consumer);
    assertThat(waiting.path("consumers").get(0).path("status").asText()).isEqualTo("STILL_READING");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                registry
                    .get("/products/" + read + "/retirement")
                    .json()
                    .path("blockedNotified")
                    .asBoolean());

    commit(consumer + ".app", read, 5);
    await().atMost(Duration.ofSeconds(30)).until(() -> status(read).equals("RETIRED"));
    var history = registry.get("/products/" + read + "/history").json().toString();
    assertThat(history).contains("RETIRED");
  }

  /**
   * A restart between two reminders: a product whose sunset is 5 s ahead, two APPROVED subscribers;
   * the registry is stopped once the 4-second reminder is committed and started again on the same
   * application id and state folder. Each subscriber gets each reminder exactly once (read
   * read_committed from mesh.notifications), and the product still retires at its sunset. Long run
   * only ({@code -Dmeshbone.faults.long=true}): the sunset alone is 5 s, the restart a few more
   * (16-22 s in all at load average 8-15, 4 Dec 2026).
   */
  @Test
  void shouldSendEachReminderOnceAcrossARestartAndStillRetire() throws Exception {
    assumeTrue(
        Boolean.getBoolean("meshbone.faults.long"), "long run only (-Dmeshbone.faults.long=true)");
    String id = domain + ".restarted";
    List<String> subscribers = List.of(KafkaBroker.unique("first"), KafkaBroker.unique("second"));
    assertThat(register(id).status()).isEqualTo(201);
    await().until(() -> registry.get("/products/" + id).status() == 200);
    for (String consumer : subscribers) {
      var subscribed =
          registry.send("POST", "/products/" + id + "/subscriptions", "{}", DOMAIN, consumer);
      assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(201);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                registry.get("/products/" + id + "/retirement").json().path("consumers").size()
                    == 2);

    try (var sent = new TopicRecords<>(broker, MeshTopics.defaults().notifications)) {
      deprecateSoon(id, java.time.Instant.now().plusSeconds(5));
      await().atMost(Duration.ofSeconds(30)).until(() -> reminders(sent, id).size() == 2);
      registry.close();
      registry = null;
      List<String> beforeRestart = reminders(sent, id);
      registry = startRegistry();

      await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("RETIRED"));
      var retirement = registry.get("/products/" + id + "/retirement").json();
      assertThat(retirement.path("remindersSent").toString()).isEqualTo("[\"PT4S\",\"PT1S\"]");
      List<String> expected =
          subscribers.stream().flatMap(c -> List.of(c + " PT4S", c + " PT1S").stream()).toList();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> reminders(sent, id).size() >= expected.size());
      assertThat(beforeRestart)
          .doesNotHaveDuplicates()
          .contains(subscribers.get(0) + " PT4S", subscribers.get(1) + " PT4S");
      assertThat(reminders(sent, id)).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  /** The sunset reminders about a product sent so far, as {@code "<recipient> <leadTime>"}. */
  private static List<String> reminders(TopicRecords<Notification> sent, String productId) {
    return sent.values().stream()
        .filter(
            n ->
                n.getType() == NotificationType.SUNSET_REMINDER
                    && n.getProductId().equals(productId))
        .map(n -> n.getRecipientDomain() + " " + n.getAttributes().get("leadTime"))
        .toList();
  }

  private void commit(String group, String topic, long offset) {
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(
            broker.consumerConfig(group))) {
      consumer.commitSync(
          Map.of(
              new org.apache.kafka.common.TopicPartition(topic, 0),
              new org.apache.kafka.clients.consumer.OffsetAndMetadata(offset)));
    }
  }

  /** Waits until the registry shows {@code object.field} of product {@code id} as {@code value}. */
  private void awaitProduct(String id, String object, String field, String value) {
    await()
        .until(
            () ->
                registry
                    .get("/products/" + id)
                    .json()
                    .path(object)
                    .path(field)
                    .asText()
                    .equals(value));
  }
}
