package dev.meshbone.registry.products;

import static dev.meshbone.registry.products.Events.created;
import static dev.meshbone.registry.products.Events.descriptor;
import static dev.meshbone.registry.products.Events.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshbone.events.ChangeType;
import dev.meshbone.events.Classification;
import dev.meshbone.events.ContractEntry;
import dev.meshbone.events.ContractVersion;
import dev.meshbone.events.HealthState;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.Owner;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import dev.meshbone.topics.MeshTopics;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every read endpoint of the registry API against one running registry, with the mesh's inputs
 * produced straight to their topics.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryReadApiIT {
  private final MeshTopics topics = MeshTopics.defaults();
  private final String trials = KafkaBroker.unique("trials");
  private final String safety = KafkaBroker.unique("safety");
  private final String enrollments = trials + ".enrollments";
  private final String sites = trials + ".sites";
  private final String visits = trials + ".visits";
  private final String signals = safety + ".signals";
  private final String cases = safety + ".cases";
  private final String reports = safety + ".reports";

  private TestRegistry registry;

  @BeforeAll
  void start(KafkaBroker broker) throws Exception {
    registry =
        TestRegistry.start(
            broker,
            KafkaBroker.unique("registry-read"),
            Files.createTempDirectory("registry-read"),
            Map.of());
    try (var producer = new TestRegistry.Producer(broker)) {
      producer.send(
          topics.products,
          enrollments,
          created(
              enrollments,
              descriptor("Enrollments")
                  .setDescription("Who enrolled in which trial")
                  .setTags(List.of("trial", "gold"))
                  .setGlossaryTerms(List.of("enrollment", "informed consent"))
                  .setClassification(Classification.PII)
                  .build()));
      producer.send(
          topics.products,
          sites,
          created(
              sites,
              descriptor("Sites")
                  .setDescription("Trial sites and investigators")
                  .setOwner(Owner.newBuilder().setTeam("site-ops").build())
                  .build()));
      producer.send(
          topics.products,
          visits,
          event(
              visits,
              ChangeType.DEPRECATED,
              LifecycleStatus.DEPRECATED,
              3,
              descriptor("Visits").setInputs(List.of(enrollments, sites)).build()));
      producer.send(
          topics.products,
          signals,
          created(signals, descriptor("Signals").setInputs(List.of(visits, cases)).build()));
      producer.send(
          topics.products,
          cases,
          created(cases, descriptor("Cases").setInputs(List.of(signals)).build()));
      producer.send(
          topics.products,
          reports,
          created(reports, descriptor("Reports").setInputs(List.of(cases)).build()));

      producer.send(
          topics.qualityStatus, enrollments, Events.health(enrollments, HealthState.HEALTHY));
      producer.send(topics.productStats, enrollments, Events.stats(enrollments, 900, 100));
      for (int v = 1; v <= 2; v++) {
        producer.send(topics.contracts, "version:" + enrollments + "-value:" + v, version(v));
      }
      producer.send(
          topics.subscriptions,
          Events.subscriptionKey(enrollments, "finance"),
          Events.subscription(enrollments, "finance", SubscriptionState.APPROVED, 2_000));
      producer.send(
          topics.subscriptions,
          Events.subscriptionKey(enrollments, "legal"),
          Events.subscription(enrollments, "legal", SubscriptionState.APPROVED, 2_000));
      producer.send(
          topics.subscriptions,
          Events.subscriptionKey(enrollments, "marketing"),
          Events.subscription(enrollments, "marketing", SubscriptionState.REQUESTED, 2_000));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              var detail = registry.get("/products/" + enrollments);
              var downstream =
                  registry.get("/products/" + cases + "/lineage?direction=downstream&depth=1");
              return detail.status() == 200
                  && detail.json().path("subscriberCount").asInt() == 2
                  && detail.json().path("health").has("state")
                  && detail.json().path("contract").path("versions").size() == 2
                  && registry.get("/products?domain=" + safety).json().path("items").size() == 3
                  && registry.get("/products?domain=" + trials).json().path("items").size() == 3
                  && downstream.status() == 200
                  && downstream.json().path("edges").size() == 2;
            });
  }

  private ContractEntry version(int v) {
    return ContractEntry.newBuilder()
        .setVersion(
            ContractVersion.newBuilder()
                .setSubject(enrollments + "-value")
                .setVersion(v)
                .setSchemaId(100 + v)
                .setSchema$("{\"type\":\"record\",\"name\":\"Enrollment\",\"fields\":[]}")
                .setRegisteredAt(Instant.parse("2026-05-01T09:00:00Z"))
                .setRegisteredBy(trials)
                .build())
        .build();
  }

  @AfterAll
  void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  private static List<String> ids(JsonNode page) {
    return StreamSupport.stream(page.path("items").spliterator(), false)
        .map(n -> n.path("id").asText())
        .toList();
  }

  @Test
  void shouldListProductsInIdOrderPageByPageWithACursor() {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var page =
          registry
              .get(
                  "/products?domain="
                      + trials
                      + "&limit=2"
                      + (cursor == null ? "" : "&cursor=" + cursor))
              .json();
      seen.addAll(ids(page));
      cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
      pages++;
    } while (cursor != null && pages < 10);

    assertThat(seen).containsExactly(enrollments, sites, visits);
    assertThat(pages).isEqualTo(2);
  }

  @Test
  void shouldPageWithAnOffset() {
    var page = registry.get("/products?domain=" + safety + "&limit=1&offset=1").json();

    assertThat(ids(page)).containsExactly(reports);
    assertThat(page.path("offset").asInt()).isEqualTo(1);
  }

  @Test
  void shouldSearchByTagClassificationOwnerStatusAndText() {
    assertThat(ids(registry.get("/products?tag=gold&domain=" + trials).json()))
        .containsExactly(enrollments);
    assertThat(ids(registry.get("/products?classification=pii&domain=" + trials).json()))
        .containsExactly(enrollments);
    assertThat(ids(registry.get("/products?owner=site-ops&domain=" + trials).json()))
        .containsExactly(sites);
    assertThat(ids(registry.get("/products?status=DEPRECATED&domain=" + trials).json()))
        .containsExactly(visits);
    assertThat(ids(registry.get("/products?q=investigator&domain=" + trials).json()))
        .containsExactly(sites);
    assertThat(ids(registry.get("/products?q=Informed%20Consent").json()))
        .containsExactly(enrollments);
    // Health as quality-monitor last wrote it; a product without any is UNKNOWN.
    JsonNode healthy = registry.get("/products?health=healthy&domain=" + trials).json();
    assertThat(ids(healthy)).containsExactly(enrollments);
    assertThat(healthy.path("items").get(0).path("health").asText()).isEqualTo("HEALTHY");
    assertThat(ids(registry.get("/products?health=UNKNOWN&domain=" + trials).json()))
        .contains(sites, visits)
        .doesNotContain(enrollments);
  }

  @Test
  void shouldAnswerOneProductWithItsContractHealthTopicsAndSubscribers() {
    var response = registry.get("/products/" + enrollments);

    assertThat(response.status()).isEqualTo(200);
    JsonNode p = response.json();
    assertThat(p.path("id").asText()).isEqualTo(enrollments);
    assertThat(p.path("domain").asText()).isEqualTo(trials);
    assertThat(p.path("descriptor").path("name").asText()).isEqualTo("Enrollments");
    assertThat(p.path("descriptor").path("classification").asText()).isEqualTo("PII");
    assertThat(p.path("lifecycle").path("status").asText()).isEqualTo("ACTIVE");
    assertThat(p.path("contract").path("subject").asText()).isEqualTo(enrollments + "-value");
    assertThat(p.path("contract").path("latestVersion").asInt()).isEqualTo(2);
    assertThat(p.path("contract").path("versions").get(1).path("schemaId").asInt()).isEqualTo(102);
    assertThat(p.path("contract").path("versions").get(0).path("schema").asText())
        .contains("Enrollment");
    assertThat(p.path("health").path("state").asText()).isEqualTo("HEALTHY");
    assertThat(p.path("topics").path("records").asText()).isEqualTo(enrollments);
    assertThat(p.path("topics").path("ingest").asText()).isEqualTo(enrollments + ".ingest");
    assertThat(p.path("topics").path("deadLetters").asText()).isEqualTo(enrollments + ".dlq");
    assertThat(p.path("subscriberCount").asInt()).isEqualTo(2);
    assertThat(p.path("pendingSubscriptionRequests").asInt()).isEqualTo(1);
  }

  @Test
  void shouldShowEveryFieldEvenWhenNullOrEmpty() {
    JsonNode p = registry.get("/products/" + sites).json();

    assertThat(p.has("health")).isTrue();
    assertThat(p.path("health").isNull()).isTrue();
    assertThat(p.path("contract").path("versions").isArray()).isTrue();
    assertThat(p.path("contract").path("versions").size()).isZero();
    assertThat(p.path("descriptor").path("inputs").isArray()).isTrue();
    assertThat(p.path("lifecycle").has("sunsetAt")).isTrue();
  }

  @Test
  void shouldWalkLineageBothWaysAndStopAtACycle() {
    var graph = registry.get("/products/" + signals + "/lineage?depth=5").json();

    assertThat(graph.path("nodes").findValuesAsText("id"))
        .containsExactlyInAnyOrder(signals, visits, cases, enrollments, sites, reports);
    assertThat(edges(graph))
        .containsExactlyInAnyOrder(
            visits + ">" + signals,
            cases + ">" + signals,
            signals + ">" + cases,
            enrollments + ">" + visits,
            sites + ">" + visits,
            cases + ">" + reports);
  }

  @Test
  void shouldWalkUpstreamOnlyToTheChosenDepth() {
    var graph = registry.get("/products/" + signals + "/lineage?direction=upstream&depth=1").json();

    assertThat(graph.path("nodes").findValuesAsText("id"))
        .containsExactlyInAnyOrder(signals, visits, cases);
    assertThat(edges(graph))
        .containsExactlyInAnyOrder(visits + ">" + signals, cases + ">" + signals);
    assertThat(graph.path("nodes").get(0).path("distance").asInt()).isZero();
  }

  @Test
  void shouldShowAnInputTheMeshNeverSawAsUnregistered() {
    String ghost = trials + ".ghost";
    var graph = registry.get("/products/" + reports + "/lineage?direction=upstream&depth=10");
    assertThat(graph.status()).isEqualTo(200);
    assertThat(graph.json().path("nodes").findValuesAsText("id")).doesNotContain(ghost);
    assertThat(registry.get("/products/" + ghost + "/lineage").status()).isEqualTo(404);
  }

  private static List<String> edges(JsonNode graph) {
    return StreamSupport.stream(graph.path("edges").spliterator(), false)
        .map(e -> e.path("from").asText() + ">" + e.path("to").asText())
        .toList();
  }

  @Test
  void shouldListAProductsSubscribersAndFilterThemByState() {
    var all = registry.get("/products/" + enrollments + "/subscribers").json();
    var approved = registry.get("/products/" + enrollments + "/subscribers?state=approved").json();

    assertThat(all.path("subscribers").findValuesAsText("consumerDomain"))
        .containsExactly("finance", "legal", "marketing");
    assertThat(approved.path("subscribers").findValuesAsText("consumerDomain"))
        .containsExactly("finance", "legal");
  }

  @Test
  void shouldAnswerAProductsLiveStats() {
    var stats = registry.get("/products/" + enrollments + "/stats").json();

    assertThat(stats.path("valid").asLong()).isEqualTo(900);
    assertThat(stats.path("invalid").asLong()).isEqualTo(100);
    assertThat(stats.path("invalidByReason").path("RULE_VIOLATION").asLong()).isEqualTo(100);
    assertThat(stats.path("rejectionRate").asDouble()).isEqualTo(0.1);
    assertThat(stats.path("lastRecordAt").asText()).isEqualTo("2026-05-01T10:04:00Z");
  }

  @Test
  void shouldAnswerAProductsRecentHealthAndAnEmptyTrailBeforeAnyJudgement() {
    var trail = registry.get("/products/" + enrollments + "/health").json();
    assertThat(trail.path("state").asText()).isEqualTo("HEALTHY");
    assertThat(trail.path("spacingSeconds").asLong()).isEqualTo(10);
    assertThat(trail.path("points")).hasSize(1);
    assertThat(trail.path("points").get(0).path("at").asText()).isEqualTo("2026-05-01T10:05:00Z");
    assertThat(trail.path("points").get(0).path("passRate").asDouble()).isEqualTo(0.97);

    var none = registry.get("/products/" + sites + "/health").json();
    assertThat(none.path("state").asText()).isEqualTo("UNKNOWN");
    assertThat(none.path("points")).isEmpty();
    assertError(registry.get("/products/" + trials + ".nothing/health"), 404, "PRODUCT_NOT_FOUND");
  }

  @Test
  void shouldAnswerZeroStatsForAProductWithoutRecords() {
    var stats = registry.get("/products/" + sites + "/stats");

    assertThat(stats.status()).isEqualTo(200);
    assertThat(stats.json().path("valid").asLong()).isZero();
  }

  @Test
  void shouldListDomainsWithTheirProductCounts() {
    var domains = registry.get("/domains").json().path("domains");
    JsonNode mine =
        StreamSupport.stream(domains.spliterator(), false)
            .filter(d -> d.path("domain").asText().equals(trials))
            .findFirst()
            .orElseThrow();

    assertThat(mine.path("products").asInt()).isEqualTo(3);
    assertThat(mine.path("active").asInt()).isEqualTo(2);
    assertThat(mine.path("deprecated").asInt()).isEqualTo(1);
  }

  @Test
  void shouldListOneDomainsProducts() {
    assertThat(ids(registry.get("/domains/" + safety + "/products").json()))
        .containsExactly(cases, reports, signals);
  }

  @Test
  void shouldAnswer404ForAnUnknownProductOrDomain() {
    assertError(registry.get("/products/" + trials + ".nothing"), 404, "PRODUCT_NOT_FOUND");
    assertError(registry.get("/products/" + trials + ".nothing/stats"), 404, "PRODUCT_NOT_FOUND");
    assertError(
        registry.get("/products/" + trials + ".nothing/subscribers"), 404, "PRODUCT_NOT_FOUND");
    assertError(registry.get("/domains/nobody-here/products"), 404, "DOMAIN_NOT_FOUND");
  }

  @Test
  void shouldAnswer400ForABadIdFilterOrPage() {
    assertError(registry.get("/products/not-a-product-id"), 400, "INVALID_PRODUCT_ID");
    assertError(registry.get("/products/Bad.Id"), 400, "INVALID_PRODUCT_ID");
    assertError(registry.get("/products?classification=secret"), 400, "INVALID_FILTER");
    assertError(registry.get("/products?status=gone"), 400, "INVALID_FILTER");
    assertError(registry.get("/products?health=sick"), 400, "INVALID_FILTER");
    assertError(registry.get("/products?domain=NOT_A_DOMAIN"), 400, "INVALID_FILTER");
    assertError(registry.get("/products?limit=0"), 400, "INVALID_PAGING");
    assertError(registry.get("/products?limit=100000"), 400, "INVALID_PAGING");
    assertError(registry.get("/products?limit=ten"), 400, "INVALID_PAGING");
    assertError(registry.get("/products?offset=-1"), 400, "INVALID_PAGING");
    assertError(registry.get("/products?cursor=%25%25%25"), 400, "INVALID_PAGING");
    assertError(registry.get("/products?cursor=YWJj&offset=2"), 400, "INVALID_PAGING");
    assertError(
        registry.get("/products/" + enrollments + "/lineage?depth=0"), 400, "INVALID_PARAMETER");
    assertError(
        registry.get("/products/" + enrollments + "/lineage?depth=99"), 400, "INVALID_PARAMETER");
    assertError(
        registry.get("/products/" + enrollments + "/lineage?direction=sideways"),
        400,
        "INVALID_PARAMETER");
    assertError(
        registry.get("/products/" + enrollments + "/subscribers?state=maybe"),
        400,
        "INVALID_FILTER");
    assertError(registry.get("/domains/NOPE/products"), 400, "INVALID_DOMAIN");
  }

  @Test
  void shouldServeAnOpenApiSpecThatDocumentsEveryRoute() {
    var spec = registry.get("/openapi/registry-api.yml");
    assertThat(spec.status()).isEqualTo(200);
    Map<String, Object> yaml = new org.yaml.snakeyaml.Yaml().load(spec.body());
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) yaml.get("paths");

    var routes =
        registry
            .context()
            .getBean(io.micronaut.web.router.Router.class)
            .uriRoutes()
            .filter(
                r ->
                    r.getTargetMethod()
                        .getDeclaringType()
                        .getPackageName()
                        .startsWith("dev.meshbone.registry.products"))
            // Micronaut answers HEAD for every GET by itself; the spec documents the GET.
            .filter(r -> !r.getHttpMethodName().equals("HEAD"))
            .map(r -> r.getHttpMethodName().toLowerCase() + " " + r.getUriMatchTemplate())
            .toList();
    assertThat(routes).isNotEmpty();
    for (String route : routes) {
      String method = route.substring(0, route.indexOf(' '));
      String path = route.substring(route.indexOf(' ') + 1);
      assertThat(paths).as("spec paths").containsKey(path);
      assertThat(paths.get(path)).as(route).containsKey(method);
    }
  }

  static void assertError(TestRegistry.Response response, int status, String code) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.json().path("code").asText()).as(response.toString()).isEqualTo(code);
    assertThat(response.json().path("message").asText()).isNotBlank();
  }
}
