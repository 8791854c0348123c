package dev.meshbone.registry.products;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshbone.events.ContractViolation;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.events.ViolationCode;
import dev.meshbone.events.ViolationReason;
import dev.meshbone.registry.products.FaultyApiProducers.Fault;
import dev.meshbone.registry.products.kafka.MeshClients;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The other outcomes of a product write, with the test playing contract-validator: a refusal (which
 * names the refused record's offset, not its event id) is a 422 with the reasons; no verdict within
 * the wait is a 202 with a place to ask later; Kafka not taking the event in time is a 503 to retry
 * with the same event id, and the registry's producer is replaced ({@link FaultyApiProducers}).
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryWriteOutcomesIT {
  private static final String DOMAIN = "X-Mesh-Domain";

  private final MeshTopics topics = MeshTopics.defaults();
  private final String refused = KafkaBroker.unique("refused");
  private final String silent = KafkaBroker.unique("silent");
  private final String unacked = KafkaBroker.unique("unacked");
  private final AtomicBoolean running = new AtomicBoolean(true);
  private KafkaBroker broker;
  private TestRegistry registry;
  private Thread fakeValidator;

  @BeforeAll
  void start(KafkaBroker broker) throws Exception {
    this.broker = broker;
    registry =
        TestRegistry.start(
            broker,
            KafkaBroker.unique("registry-outcomes"),
            Files.createTempDirectory("registry-outcomes"),
            Map.of(
                "meshbone.registry.write-timeout", "3s",
                "meshbone.registry.send-timeout", "2s",
                "meshbone.test.faulty-api-producer", true));
  }

  @AfterAll
  void stop() throws InterruptedException {
    running.set(false);
    if (fakeValidator != null) {
      fakeValidator.join(10_000);
    }
    if (registry != null) {
      registry.close();
    }
  }

  private TestRegistry.Response register(String domain, String id) {
    return registry.send(
        "POST",
        "/products",
        "{\"id\":\"" + id + "\",\"descriptor\":{\"name\":\"No owner\"}}",
        DOMAIN,
        domain);
  }

  @Test
  void shouldAnswer422WithTheReasonsWhenTheValidatorRefuses() throws Exception {
    // The registry creates the domain's topic on its first write; this one makes it exist so the
    // fake validator can follow it from the start.
    var first = register(refused, refused + ".first");
    assertThat(first.status()).isEqualTo(202);
    fakeValidator = new Thread(this::refuseEverything, "fake-validator");
    fakeValidator.start();

    String id = refused + ".enrollments";
    var response =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> register(refused, id), r -> r.status() != 202);

    assertThat(response.status()).as(response.toString()).isEqualTo(422);
    assertThat(response.json().path("code").asText()).isEqualTo("EVENT_REFUSED");
    assertThat(response.json().path("message").asText()).contains("MISSING_OWNER");
    assertThat(response.json().path("reasons").get(0).path("field").asText())
        .isEqualTo("descriptor.owner");
    String eventId = response.json().path("eventId").asText();
    var check = registry.get("/products/" + id + "/events/" + eventId).json();
    assertThat(check.path("status").asText()).isEqualTo("REFUSED");
    assertThat(check.path("reasons").get(0).path("code").asText()).isEqualTo("MISSING_OWNER");
  }

  /** Writes the first event on the domain's topic to mesh.products as version 1, ACTIVE. */
  private void acceptAsTheValidatorWould(TopicRecords<DataProductEvent> events, String id) {
    DataProductEvent event = await().until(events::values, l -> !l.isEmpty()).get(0);
    try (var producer = new TestRegistry.Producer(broker)) {
      producer.send(
          topics.products,
          id,
          DataProductEvent.newBuilder(event)
              .setStatus(LifecycleStatus.ACTIVE)
              .setVersion(1)
              .build());
    }
  }

  private void refuseEverything() {
    String topic = DomainTopics.productEvents(refused);
    try (var events = new TopicRecords<>(broker, DomainTopics.productEventsSpec(refused), topic);
        var producer = new TestRegistry.Producer(broker)) {
      int done = 0;
      while (running.get()) {
        List<ConsumerRecord<String, DataProductEvent>> all = events.all();
        for (var record : all.subList(done, all.size())) {
          producer.send(
              topics.violations,
              record.key(),
              ContractViolation.newBuilder()
                  .setViolationId("v-" + record.offset())
                  .setProductId(record.key())
                  .setSourceDomain(refused)
                  .setSourceTopic(topic)
                  .setSourcePartition(record.partition())
                  .setSourceOffset(record.offset())
                  .setReasons(
                      List.of(
                          ViolationReason.newBuilder()
                              .setCode(ViolationCode.MISSING_OWNER)
                              .setField("descriptor.owner")
                              .setMessage("a product needs an owner team")
                              .build()))
                  .setDetectedAt(Instant.now())
                  .build());
        }
        done = all.size();
      }
    }
  }

  @Test
  void shouldAnswer202WithAPlaceToAskWhenNoVerdictComesInTime() {
    String id = silent + ".enrollments";

    var response = register(silent, id);

    assertThat(response.status()).as(response.toString()).isEqualTo(202);
    assertThat(response.json().path("status").asText()).isEqualTo("PENDING");
    String check = response.json().path("check").asText();
    assertThat(response.header("Location")).isEqualTo(check);
    assertThat(registry.get(check).json().path("status").asText()).isEqualTo("PENDING");

    // The validator accepts it late: the check says so.
    try (var events =
        new TopicRecords<>(
            broker, DomainTopics.productEventsSpec(silent), DomainTopics.productEvents(silent))) {
      acceptAsTheValidatorWould(events, id);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> registry.get(check).json().path("status").asText().equals("ACCEPTED"));
  }

  @Test
  void shouldAnswer503InTimeAndWriteOnceWhenKafkaDoesNotAcknowledgeAndTheCallerRetries()
      throws Exception {
    String id = unacked + ".enrollments";
    String body =
        "{\"id\":\""
            + id
            + "\",\"eventId\":\"declare-"
            + unacked
            + "\",\"descriptor\":{\"name\":\"E\",\"owner\":{\"team\":\"t\"}}}";
    var faults = registry.context().getBean(FaultyApiProducers.class);
    var clients = registry.context().getBean(MeshClients.class);
    int replaced = clients.producersReplaced();

    // The event is written, but its acknowledgement never comes back to the registry.
    faults.failNextSend(Fault.NO_ACKNOWLEDGEMENT);
    long start = System.nanoTime();
    var unanswered = registry.send("POST", "/products", body, DOMAIN, unacked);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(unanswered.status()).as(unanswered.toString()).isEqualTo(503);
    assertThat(unanswered.json().path("code").asText()).isEqualTo("KAFKA_UNAVAILABLE");
    assertThat(unanswered.header("Retry-After")).isEqualTo("1");
    assertThat(took).isLessThan(Duration.ofSeconds(10));
    assertThat(clients.producersReplaced()).isEqualTo(replaced + 1);

    // The validator accepts the event that did land; the caller's retry is answered from the
    // catalog as the first write would have been, and nothing is written twice.
    try (var events =
        new TopicRecords<>(
            broker, DomainTopics.productEventsSpec(unacked), DomainTopics.productEvents(unacked))) {
      acceptAsTheValidatorWould(events, id);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> registry.get("/products/" + id).status() == 200);

      var retried = registry.send("POST", "/products", body, DOMAIN, unacked);

      assertThat(retried.status()).as(retried.toString()).isEqualTo(201);
      assertThat(retried.json().path("eventId").asText()).isEqualTo("declare-" + unacked);
      assertThat(retried.json().path("lifecycle").path("version").asLong()).isEqualTo(1);
      assertThat(retried.header("Location")).isEqualTo("/products/" + id);
      assertThat(events.values()).hasSize(1);
    }

    // A send the broker refuses as out of order: a 503 at once, a fresh producer for the retry.
    String result = "{\"eventId\":\"q-" + unacked + "\",\"checkName\":\"c\",\"passed\":true}";
    faults.failNextSend(Fault.OUT_OF_ORDER_SEQUENCE);
    var refused =
        registry.send("POST", "/products/" + id + "/quality-results", result, DOMAIN, unacked);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
    assertThat(refused.header("Retry-After")).isEqualTo("1");
    assertThat(clients.producersReplaced()).isEqualTo(replaced + 2);

    var published =
        registry.send("POST", "/products/" + id + "/quality-results", result, DOMAIN, unacked);
    assertThat(published.status()).as(published.toString()).isEqualTo(202);
    try (var quality =
        new TopicRecords<>(
            broker, DomainTopics.qualityEventsSpec(unacked), DomainTopics.qualityEvents(unacked))) {
      assertThat(
              await().until(quality::values, l -> !l.isEmpty()).stream()
                  .map(QualityEvent::getEventId))
          .containsExactly("q-" + unacked);
    }
  }
}
