package dev.meshbone.registry.products;

import static dev.meshbone.registry.products.Events.created;
import static dev.meshbone.registry.products.Events.descriptor;
import static dev.meshbone.registry.products.RegistryReadApiIT.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshbone.events.AccessGrant;
import dev.meshbone.events.AccessOperation;
import dev.meshbone.events.AlertState;
import dev.meshbone.events.ChangeType;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.Notification;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.events.SubscriptionPolicy;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Subscriptions through the API, the access grants and notifications they cause, the fan-out of
 * product changes to subscribers, and reading notifications back, recent and live.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistrySubscriptionsIT {
  private static final String DOMAIN = "X-Mesh-Domain";

  private final MeshTopics topics = MeshTopics.defaults();
  private final String owner = KafkaBroker.unique("owner");
  private final String auto = owner + ".auto";
  private final String gated = owner + ".gated";
  private final String fanout = owner + ".fanout";
  private final String read = owner + ".read";
  private KafkaBroker broker;
  private TestRegistry registry;
  private TestRegistry.Producer producer;

  @BeforeAll
  void start(KafkaBroker broker) throws Exception {
    this.broker = broker;
    registry =
        TestRegistry.start(
            broker,
            KafkaBroker.unique("registry-subs"),
            Files.createTempDirectory("registry-subs"),
            Map.of("meshbone.registry.readers-interval", "500ms"));
    producer = new TestRegistry.Producer(broker);
    producer.send(topics.products, auto, created(auto, descriptor("Auto").build()));
    producer.send(
        topics.products,
        gated,
        created(
            gated,
            descriptor("Gated").setSubscriptionPolicy(SubscriptionPolicy.OWNER_APPROVAL).build()));
    producer.send(topics.products, fanout, created(fanout, descriptor("Fan-out").build()));
    producer.send(topics.products, read, created(read, descriptor("Read").build()));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> registry.get("/products?domain=" + owner).json().path("items").size() == 4);
  }

  @AfterAll
  void stop() {
    if (producer != null) {
      producer.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  private TestRegistry.Response subscribe(String product, String consumer) {
    return registry.send(
        "POST",
        "/products/" + product + "/subscriptions",
        "{\"purpose\":\"signal detection\"}",
        DOMAIN,
        consumer);
  }

  private List<JsonNode> notificationsOf(String domain) {
    var response = registry.get("/domains/" + domain + "/notifications?limit=200", DOMAIN, domain);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return StreamSupport.stream(response.json().path("notifications").spliterator(), false)
        .toList();
  }

  private List<String> typesOf(String domain, String product) {
    return notificationsOf(domain).stream()
        .filter(n -> n.path("productId").asText().equals(product))
        .map(n -> n.path("type").asText())
        .toList();
  }

  private List<AccessGrant> grants(String product, String consumer) {
    try (var grants = new TopicRecords<>(broker, topics.accessGrants)) {
      return await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  grants.values().stream()
                      .filter(g -> g.getProductId().equals(product))
                      .filter(g -> g.getConsumerDomain().equals(consumer))
                      .toList(),
              l -> !l.isEmpty());
    }
  }

  @Test
  void shouldApproveAtOnceWhenThePolicyIsAutoApprove() {
    String consumer = KafkaBroker.unique("consumer");

    var first = subscribe(auto, consumer);
    var again = subscribe(auto, consumer);

    assertThat(first.status()).as(first.toString()).isEqualTo(201);
    assertThat(first.json().path("state").asText()).isEqualTo("APPROVED");
    assertThat(first.json().path("decidedBy").asText()).isEqualTo("policy:AUTO_APPROVE");
    assertThat(first.json().path("principal").asText()).isEqualTo("User:" + consumer);
    assertThat(again.status()).isEqualTo(200);
    assertThat(
            registry
                .get("/products/" + auto + "/subscribers?state=APPROVED")
                .json()
                .path("subscribers")
                .findValuesAsText("consumerDomain"))
        .contains(consumer);
    assertThat(grants(auto, consumer))
        .extracting(AccessGrant::getOperation, AccessGrant::getTopic)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(AccessOperation.GRANT, auto));
    await()
        .untilAsserted(
            () -> assertThat(typesOf(consumer, auto)).containsExactly("SUBSCRIPTION_APPROVED"));
  }

  @Test
  void shouldLeaveTheRequestToTheOwnerWhenThePolicyAsksForApproval() {
    String consumer = KafkaBroker.unique("consumer");

    var requested = subscribe(gated, consumer);
    assertThat(requested.status()).isEqualTo(201);
    assertThat(requested.json().path("state").asText()).isEqualTo("REQUESTED");
    await()
        .untilAsserted(
            () ->
                assertThat(
                        notificationsOf(owner).stream()
                            .filter(n -> n.path("type").asText().equals("SUBSCRIPTION_REQUESTED"))
                            .map(n -> n.path("summary").asText()))
                    .anyMatch(s -> s.contains(consumer + " asks to subscribe to " + gated)));

    var byConsumer =
        registry.send(
            "POST",
            "/products/" + gated + "/subscriptions/" + consumer + "/approval",
            null,
            DOMAIN,
            consumer);
    assertError(byConsumer, 403, "FORBIDDEN");

    var approved =
        registry.send(
            "POST",
            "/products/" + gated + "/subscriptions/" + consumer + "/approval",
            null,
            DOMAIN,
            owner);
    assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
    assertThat(approved.json().path("state").asText()).isEqualTo("APPROVED");
    assertThat(approved.json().path("decidedBy").asText()).isEqualTo(owner);
    assertThat(grants(gated, consumer))
        .extracting(AccessGrant::getOperation)
        .containsExactly(AccessOperation.GRANT);
    await()
        .untilAsserted(
            () -> assertThat(typesOf(consumer, gated)).containsExactly("SUBSCRIPTION_APPROVED"));
  }

  @Test
  void shouldRejectARequestButNotAnApprovedSubscription() {
    String consumer = KafkaBroker.unique("consumer");
    subscribe(gated, consumer);
    String base = "/products/" + gated + "/subscriptions/" + consumer;

    var rejected = registry.send("POST", base + "/rejection", null, DOMAIN, owner);
    var rejectedAgain = registry.send("POST", base + "/rejection", null, DOMAIN, owner);
    var approved = registry.send("POST", base + "/approval", null, DOMAIN, owner);
    var rejectApproved = registry.send("POST", base + "/rejection", null, DOMAIN, owner);

    assertThat(rejected.json().path("state").asText()).isEqualTo("REJECTED");
    assertThat(rejectedAgain.status()).isEqualTo(200);
    assertThat(approved.json().path("state").asText()).isEqualTo("APPROVED");
    assertError(rejectApproved, 409, "SUBSCRIPTION_CONFLICT");
    await()
        .untilAsserted(
            () ->
                assertThat(typesOf(consumer, gated))
                    .containsExactlyInAnyOrder("SUBSCRIPTION_REJECTED", "SUBSCRIPTION_APPROVED"));
  }

  @Test
  void shouldLetOnlyTheConsumerOrTheOwnerEndASubscription() {
    String consumer = KafkaBroker.unique("consumer");
    String stranger = KafkaBroker.unique("stranger");
    subscribe(auto, consumer);

    var byStranger =
        registry.send(
            "DELETE", "/products/" + auto + "/subscriptions/" + consumer, null, DOMAIN, stranger);
    var byConsumer =
        registry.send(
            "DELETE", "/products/" + auto + "/subscriptions/" + consumer, null, DOMAIN, consumer);

    assertError(byStranger, 403, "FORBIDDEN");
    assertThat(byConsumer.status()).isEqualTo(200);
    assertThat(byConsumer.json().path("state").asText()).isEqualTo("REVOKED");
    await()
        .untilAsserted(
            () ->
                assertThat(grants(auto, consumer))
                    .extracting(AccessGrant::getOperation)
                    .containsExactly(AccessOperation.GRANT, AccessOperation.REVOKE));
  }

  @Test
  void shouldAnswer404ForAnUnknownProductOrSubscription() {
    String consumer = KafkaBroker.unique("consumer");
    assertError(subscribe(owner + ".nothing", consumer), 404, "PRODUCT_NOT_FOUND");
    assertError(
        registry.send(
            "POST",
            "/products/" + gated + "/subscriptions/" + consumer + "/approval",
            null,
            DOMAIN,
            owner),
        404,
        "SUBSCRIPTION_NOT_FOUND");
    assertError(
        registry.send(
            "DELETE", "/products/" + gated + "/subscriptions/" + consumer, null, DOMAIN, consumer),
        404,
        "SUBSCRIPTION_NOT_FOUND");
  }

  @Test
  void shouldRefuseARequestWithoutAnActingDomain() {
    assertError(
        registry.send("POST", "/products/" + auto + "/subscriptions", "{}"),
        401,
        "ACTING_DOMAIN_MISSING");
    assertError(
        registry.send("POST", "/products/" + gated + "/subscriptions/x1/approval", null),
        401,
        "ACTING_DOMAIN_MISSING");
    assertError(
        registry.send("DELETE", "/products/" + gated + "/subscriptions/x1", null),
        401,
        "ACTING_DOMAIN_MISSING");
    assertError(
        registry.send("POST", "/products", "{\"id\":\"" + owner + ".new\"}"),
        401,
        "ACTING_DOMAIN_MISSING");
    assertError(registry.send("PUT", "/products/" + auto, "{}"), 401, "ACTING_DOMAIN_MISSING");
    assertError(
        registry.send("POST", "/products/" + auto + "/quality-results", "{}"),
        401,
        "ACTING_DOMAIN_MISSING");
    assertError(registry.get("/domains/" + owner + "/notifications"), 401, "ACTING_DOMAIN_MISSING");
    assertError(
        registry.get("/domains/" + owner + "/notifications/stream"), 401, "ACTING_DOMAIN_MISSING");
    assertError(
        registry.send("POST", "/products/" + auto + "/subscriptions", "{}", DOMAIN, "Not A Domain"),
        401,
        "ACTING_DOMAIN_INVALID");
  }

  @Test
  void shouldRefuseADomainActingForAnother() {
    String other = KafkaBroker.unique("other");
    assertError(
        registry.get("/domains/" + owner + "/notifications", DOMAIN, other), 403, "FORBIDDEN");
    assertError(registry.send("PUT", "/products/" + auto, "{}", DOMAIN, other), 403, "FORBIDDEN");
    assertError(
        registry.send("POST", "/products/" + auto + "/retirement", null, DOMAIN, other),
        403,
        "FORBIDDEN");
    assertError(
        registry.send("POST", "/products", "{\"id\":\"" + owner + ".new\"}", DOMAIN, other),
        403,
        "FORBIDDEN");
  }

  @Test
  void shouldAnswer400ForMalformedOrIncompleteBodies() {
    assertError(
        registry.send("POST", "/products", "{not json", DOMAIN, owner), 400, "MALFORMED_JSON");
    assertError(registry.send("POST", "/products", "[1,2]", DOMAIN, owner), 400, "MALFORMED_JSON");
    assertThat(
            registry
                .send("POST", "/products", "[1,2]", DOMAIN, owner)
                .json()
                .path("message")
                .asText())
        .contains("not a JSON ProductWrite");
    assertError(
        registry.send(
            "POST", "/products/" + auto + "/subscriptions", "{\"purpose\":", DOMAIN, "someone"),
        400,
        "MALFORMED_JSON");
    assertError(
        registry.send("POST", "/products", "{\"descriptor\":{\"name\":\"x\"}}", DOMAIN, owner),
        400,
        "INVALID_REQUEST");
    assertError(
        registry.send("POST", "/products", "{\"id\":\"nodot\"}", DOMAIN, owner),
        400,
        "INVALID_PRODUCT_ID");
    assertError(
        registry.send("PUT", "/products/" + auto, "{\"reason\":\"no descriptor\"}", DOMAIN, owner),
        400,
        "INVALID_REQUEST");
    assertError(
        registry.send(
            "PUT",
            "/products/" + auto,
            "{\"descriptor\":{\"name\":\"x\",\"classification\":\"SECRET\"}}",
            DOMAIN,
            owner),
        400,
        "INVALID_REQUEST");
    assertError(
        registry.send("POST", "/products/" + auto + "/deprecation", "{}", DOMAIN, owner),
        400,
        "INVALID_REQUEST");
    assertError(
        registry.send(
            "POST", "/products/" + auto + "/deprecation", "{\"sunsetAt\":\"soon\"}", DOMAIN, owner),
        400,
        "INVALID_REQUEST");
    assertError(
        registry.send(
            "POST", "/products/" + auto + "/quality-results", "{\"passed\":true}", DOMAIN, owner),
        400,
        "INVALID_REQUEST");
    assertError(registry.send("POST", "/products", "", DOMAIN, owner), 400, "INVALID_REQUEST");
    assertError(
        registry.get("/domains/" + owner + "/notifications?limit=0", DOMAIN, owner),
        400,
        "INVALID_PAGING");
  }

  @Test
  void shouldPublishAQualityResultOnTheDomainsQualityTopic() {
    var response =
        registry.send(
            "POST",
            "/products/" + auto + "/quality-results",
            "{\"checkName\":\"site-not-null\",\"dimension\":\"completeness\",\"passed\":false,"
                + "\"measuredValue\":0.91,\"threshold\":0.99}",
            DOMAIN,
            owner);

    assertThat(response.status()).as(response.toString()).isEqualTo(202);
    assertThat(response.json().path("topic").asText()).isEqualTo(DomainTopics.qualityEvents(owner));
    String eventId = response.json().path("eventId").asText();
    try (var quality =
        new TopicRecords<>(
            broker, DomainTopics.qualityEventsSpec(owner), DomainTopics.qualityEvents(owner))) {
      QualityEvent event =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      quality.values().stream()
                          .filter(e -> e.getEventId().equals(eventId))
                          .findFirst(),
                  java.util.Optional::isPresent)
              .orElseThrow();
      assertThat(event.getCheckName()).isEqualTo("site-not-null");
      assertThat(event.getPassed()).isFalse();
      assertThat(event.getDomain()).isEqualTo(owner);
    }
  }

  @Test
  void shouldFanOutEachChangeToEveryApprovedSubscriberAndNobodyElse() {
    List<String> approved =
        List.of(KafkaBroker.unique("fan"), KafkaBroker.unique("fan"), KafkaBroker.unique("fan"));
    String unsubscribed = KafkaBroker.unique("gone");
    String revoked = KafkaBroker.unique("revoked");
    for (String c : approved) {
      assertThat(subscribe(fanout, c).status()).isEqualTo(201);
    }
    subscribe(fanout, unsubscribed);
    registry.send(
        "DELETE",
        "/products/" + fanout + "/subscriptions/" + unsubscribed,
        null,
        DOMAIN,
        unsubscribed);
    subscribe(fanout, revoked);
    registry.send(
        "DELETE", "/products/" + fanout + "/subscriptions/" + revoked, null, DOMAIN, owner);

    var d = descriptor("Fan-out").build();
    producer.send(
        topics.products,
        fanout,
        Events.deprecated(fanout, 2, d, Instant.parse("2027-03-01T00:00:00Z")));
    producer.send(
        topics.contractDecisions, "req-" + fanout, Events.accepted(fanout + "-value", 2, 77));
    producer.send(
        topics.qualityAlerts, fanout, Events.alert(fanout, "alert-" + fanout, AlertState.RAISED));
    producer.send(
        topics.qualityAlerts, fanout, Events.alert(fanout, "alert-" + fanout, AlertState.CLEARED));

    List<String> changes =
        List.of(
            "PRODUCT_DEPRECATED",
            "CONTRACT_VERSION_ADDED",
            "QUALITY_ALERT_RAISED",
            "QUALITY_ALERT_CLEARED");
    for (String c : approved) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(typesOf(c, fanout).stream().filter(changes::contains))
                      .containsExactlyInAnyOrderElementsOf(changes));
    }
    try (var sent = new TopicRecords<>(broker, topics.notifications)) {
      Map<String, Long> perRecipient =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      sent.values().stream()
                          .filter(n -> n.getProductId().equals(fanout))
                          .filter(n -> changes.contains(n.getType().name()))
                          .collect(
                              Collectors.groupingBy(
                                  Notification::getRecipientDomain, Collectors.counting())),
                  m -> approved.stream().allMatch(c -> m.getOrDefault(c, 0L) == 4));
      assertThat(perRecipient).containsOnlyKeys(approved);
    }
    assertThat(typesOf(unsubscribed, fanout)).noneMatch(changes::contains);
    assertThat(typesOf(revoked, fanout))
        .containsExactly("SUBSCRIPTION_REVOKED", "SUBSCRIPTION_APPROVED");
    JsonNode deprecation =
        notificationsOf(approved.get(0)).stream()
            .filter(n -> n.path("type").asText().equals("PRODUCT_DEPRECATED"))
            .findFirst()
            .orElseThrow();
    assertThat(deprecation.path("summary").asText()).contains("sunset 2027-03-01");
    assertThat(deprecation.path("attributes").path("sunsetAt").asText())
        .isEqualTo("2027-03-01T00:00:00Z");
  }

  @Test
  void shouldTellTheOwnerOfAViolationOnItsProduct() {
    var violation = Events.violation(auto, owner);
    producer.send(topics.violations, auto, violation);

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(notificationsOf(owner))
                    .anyMatch(
                        n ->
                            n.path("type").asText().equals("CONTRACT_VIOLATION")
                                && n.path("attributes")
                                    .path("violationId")
                                    .asText()
                                    .equals(violation.getViolationId())));
  }

  @Test
  void shouldStreamNotificationsLiveAndResumeAfterTheLastEventId() throws Exception {
    String consumer = KafkaBroker.unique("live");
    String product = owner + ".live";
    producer.send(topics.products, product, created(product, descriptor("Live").build()));
    await().until(() -> registry.get("/products/" + product).status() == 200);
    String stream = registry.url("/domains/" + consumer + "/notifications/stream");

    try (var sse = new SseClient(stream, DOMAIN, consumer)) {
      assertThat(sse.status()).isEqualTo(200);
      await().atMost(SseClient.patience()).until(() -> !sse.events().isEmpty());
      subscribe(product, consumer);
      producer.send(
          topics.products,
          product,
          Events.event(
              product,
              ChangeType.UPDATED,
              LifecycleStatus.ACTIVE,
              2,
              descriptor("Live v2").build()));

      await().atMost(SseClient.patience()).until(() -> sse.notifications().size() >= 2);
      assertThat(sse.notifications())
          .extracting(SseClient.SseEvent::name)
          .containsExactly("SUBSCRIPTION_APPROVED", "DESCRIPTOR_CHANGED");
      JsonNode data = TestRegistry.JSON.readTree(sse.notifications().get(1).data());
      assertThat(data.path("productId").asText()).isEqualTo(product);
      assertThat(data.path("attributes").path("changedFields").asText())
          .isEqualTo("name,description");
      assertThat(sse.notifications().get(1).id()).isEqualTo(data.path("id").asText());
    }

    String first = notificationsOf(consumer).get(1).path("id").asText();
    try (var resumed = new SseClient(stream, DOMAIN, consumer, "Last-Event-ID", first)) {
      await().atMost(SseClient.patience()).until(() -> !resumed.notifications().isEmpty());
      assertThat(resumed.notifications())
          .extracting(SseClient.SseEvent::name)
          .containsExactly("DESCRIPTOR_CHANGED");
    }
  }

  /**
   * Observed readers: a subscriber's real group, lagging, and a group of a domain with no
   * subscription, which is flagged and its owner told once, even after it commits again.
   */
  @Test
  void shouldListTheGroupsReadingAProductWithTheirLagAndFlagAnUnsubscribedReaderOnce()
      throws Exception {
    String subscriber = KafkaBroker.unique("reader");
    String stranger = KafkaBroker.unique("stranger");
    assertThat(subscribe(read, subscriber).status()).isEqualTo(201);
    try (var admin = broker.admin()) {
      admin
          .createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(read, 1, (short) 1)))
          .all()
          .get();
    }
    for (int i = 0; i < 10; i++) {
      producer.sendRaw(read, "k" + i, new byte[] {(byte) i});
    }

    readAndCommit(subscriber + ".signals", 4);
    readAndCommit(stranger + ".peek", 10);

    JsonNode readers =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> registry.get("/products/" + read + "/readers", DOMAIN, owner).json(),
                r -> r.path("readers").size() == 2);
    Map<String, JsonNode> byGroup =
        StreamSupport.stream(readers.path("readers").spliterator(), false)
            .collect(Collectors.toMap(r -> r.path("groupId").asText(), r -> r));
    JsonNode lagging = byGroup.get(subscriber + ".signals");
    assertThat(lagging.path("standing").asText()).isEqualTo("SUBSCRIBED");
    assertThat(lagging.path("flagged").asBoolean()).isFalse();
    assertThat(lagging.path("lag").asLong()).isEqualTo(6);
    assertThat(lagging.path("partitions").get(0).path("committedOffset").asLong()).isEqualTo(4);
    assertThat(lagging.path("partitions").get(0).path("endOffset").asLong()).isEqualTo(10);
    assertThat(lagging.path("lastCommitAt").isTextual()).isTrue();
    JsonNode flagged = byGroup.get(stranger + ".peek");
    assertThat(flagged.path("standing").asText()).isEqualTo("UNSUBSCRIBED");
    assertThat(flagged.path("flagged").asBoolean()).isTrue();
    assertThat(flagged.path("lag").asLong()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> typesOf(owner, read).contains("UNSUBSCRIBED_READER"));

    // The stranger reads on and commits again: observed anew, not notified again.
    producer.sendRaw(read, "k10", new byte[] {10});
    readAndCommit(stranger + ".peek", 11);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                StreamSupport.stream(
                        registry
                            .get("/products/" + read + "/readers", DOMAIN, owner)
                            .json()
                            .path("readers")
                            .spliterator(),
                        false)
                    .anyMatch(
                        r ->
                            r.path("groupId").asText().equals(stranger + ".peek")
                                && r.path("partitions").get(0).path("committedOffset").asLong()
                                    == 11));
    assertThat(typesOf(owner, read).stream().filter("UNSUBSCRIBED_READER"::equals).count())
        .isEqualTo(1);

    JsonNode lineage = registry.get("/products/" + read + "/lineage?observed=true").json();
    Map<String, JsonNode> byDomain =
        StreamSupport.stream(lineage.path("readers").spliterator(), false)
            .collect(Collectors.toMap(r -> r.path("domain").asText(), r -> r));
    assertThat(byDomain.get(subscriber).path("declared").asBoolean()).isTrue();
    assertThat(byDomain.get(subscriber).path("observed").asBoolean()).isTrue();
    assertThat(byDomain.get(stranger).path("declared").asBoolean()).isFalse();
    assertThat(byDomain.get(stranger).path("groups").get(0).asText()).isEqualTo(stranger + ".peek");
    assertError(
        registry.get("/products/" + read + "/lineage?observed=maybe"), 400, "INVALID_FILTER");
  }

  /** A real consumer in {@code group} reads the product topic and commits offset {@code upTo}. */
  private void readAndCommit(String group, long upTo) {
    var config = broker.consumerConfig(group);
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(config)) {
      consumer.subscribe(List.of(read));
      var tp = new org.apache.kafka.common.TopicPartition(read, 0);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      long seen = 0;
      while (seen < upTo && System.nanoTime() < deadline) {
        for (var r : consumer.poll(Duration.ofMillis(200))) {
          seen = Math.max(seen, r.offset() + 1);
        }
      }
      assertThat(seen).as("records read by " + group).isGreaterThanOrEqualTo(upTo);
      consumer.commitSync(
          Map.of(tp, new org.apache.kafka.clients.consumer.OffsetAndMetadata(upTo)));
    }
  }
}
