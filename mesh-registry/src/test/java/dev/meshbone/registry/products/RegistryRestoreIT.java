package dev.meshbone.registry.products;

import static dev.meshbone.registry.products.Events.created;
import static dev.meshbone.registry.products.Events.descriptor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshbone.events.HealthState;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import dev.meshbone.topics.MeshTopics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's stores are a cache of Kafka: an instance that lost its state folder rebuilds every
 * store from the topics and changelogs (product issues and histories included), answers exactly as
 * before, and sends no notification twice.
 */
@WithKafka
class RegistryRestoreIT {
  private static final String DOMAIN = "X-Mesh-Domain";
  private final MeshTopics topics = MeshTopics.defaults();

  @Test
  void shouldRebuildEveryStoreFromKafkaAfterLosingItsStateFolder(
      KafkaBroker broker, @TempDir Path stateDir) throws Exception {
    String domain = KafkaBroker.unique("restore");
    String consumer = KafkaBroker.unique("reader");
    String source = domain + ".source";
    String derived = domain + ".derived";
    String applicationId = KafkaBroker.unique("registry-restore");
    String reporter = KafkaBroker.unique("reporter");
    List<String> paths =
        new java.util.ArrayList<>(
            List.of(
                "/products/" + source,
                "/products/" + derived,
                "/products/" + source + "/lineage?depth=3",
                "/products/" + source + "/subscribers",
                "/products/" + source + "/stats",
                "/products?domain=" + domain,
                "/domains/" + domain + "/products",
                "/products/" + source + "/issues",
                "/products/" + source + "/history",
                "/domains/" + reporter + "/issues"));

    Map<String, JsonNode> before = new LinkedHashMap<>();
    List<JsonNode> notificationsBefore;
    try (var registry = TestRegistry.start(broker, applicationId, stateDir, Map.of());
        var producer = new TestRegistry.Producer(broker)) {
      producer.send(topics.products, source, created(source, descriptor("Source").build()));
      producer.send(
          topics.products,
          derived,
          created(derived, descriptor("Derived").setInputs(List.of(source)).build()));
      producer.send(topics.qualityStatus, source, Events.health(source, HealthState.DEGRADED));
      producer.send(topics.productStats, source, Events.stats(source, 10, 2));
      await().until(() -> registry.get("/products/" + source).status() == 200);
      assertThat(
              registry
                  .send("POST", "/products/" + source + "/subscriptions", "{}", DOMAIN, consumer)
                  .status())
          .isEqualTo(201);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  registry.get("/products/" + source + "/lineage").json().path("edges").size() == 1
                      && registry.get("/products/" + source).json().path("health").has("state")
                      && recent(registry, consumer).size() == 1);
      // An issue, acknowledged (so the figures of GET /products/{id} do not move with the clock).
      var issue =
          registry.send(
              "POST",
              "/products/" + source + "/issues",
              "{\"kind\":\"PROBLEM\",\"severity\":\"LOW\",\"title\":\"t\",\"description\":\"d\"}",
              DOMAIN,
              reporter);
      assertThat(issue.status()).as(issue.toString()).isEqualTo(201);
      String issuePath = "/products/" + source + "/issues/" + issue.json().path("issueId").asText();
      assertThat(
              registry
                  .send(
                      "POST", issuePath + "/state", "{\"state\":\"ACKNOWLEDGED\"}", DOMAIN, domain)
                  .status())
          .isEqualTo(200);
      paths.add(issuePath);
      paths.add("/products/" + source + "?asOf=" + java.time.Instant.now());
      paths.add("/products?asOf=" + java.time.Instant.now() + "&domain=" + domain);
      for (String path : paths) {
        before.put(path, registry.get(path).json());
      }
      notificationsBefore = recent(registry, consumer);
    }

    wipe(stateDir);
    assertThat(Files.exists(stateDir.resolve("mesh-registry"))).isFalse();

    try (var registry = TestRegistry.start(broker, applicationId, stateDir, Map.of())) {
      for (String path : paths) {
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () -> assertThat(registry.get(path).json()).as(path).isEqualTo(before.get(path)));
      }
      assertThat(recent(registry, consumer)).isEqualTo(notificationsBefore);
    }
    try (var sent = new TopicRecords<>(broker, topics.notifications)) {
      assertThat(
              await()
                  .until(
                      () ->
                          sent.values().stream()
                              .filter(n -> n.getRecipientDomain().equals(consumer))
                              .count(),
                      n -> n > 0))
          .as("notifications sent to %s in all", consumer)
          .isEqualTo(1);
    }
  }

  private static List<JsonNode> recent(TestRegistry registry, String domain) {
    var response = registry.get("/domains/" + domain + "/notifications", DOMAIN, domain);
    if (response.status() != 200) {
      return List.of();
    }
    return java.util.stream.StreamSupport.stream(
            response.json().path("notifications").spliterator(), false)
        .toList();
  }

  private static void wipe(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir)) {
          Files.delete(p);
        }
      }
    }
  }
}
