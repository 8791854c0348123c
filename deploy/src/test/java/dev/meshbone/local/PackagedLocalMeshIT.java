package dev.meshbone.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshbone.testkit.HeadlessChromium;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * {@code bin/local-mesh --demo} from the packaged artifacts, as a user runs it: the jar and its
 * {@code lib/} in a child JVM, checked over HTTP and in a real browser.
 *
 * <p>It proves that every service loaded its configuration files (the dashboard and its assets, the
 * OpenAPI document, Prometheus metrics and the health details all come from settings that live only
 * in them), that the demo mesh does what the README's walk-through shows within about a minute
 * (products listed, a subscriber told of a new contract version, a product breached, records
 * validated and dead-lettered), and that SIGTERM stops everything and frees the ports. The
 * five-minute soak is run by hand, not here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackagedLocalMeshIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private ChildLocalMesh mesh;

  @BeforeAll
  void startTheLocalMesh(@TempDir Path work) throws Exception {
    mesh = ChildLocalMesh.start(work.resolve("data"), "--demo").awaitUp(Duration.ofSeconds(120));
  }

  @AfterAll
  void stopIt() throws Exception {
    if (mesh != null) {
      try {
        // A JVM ended by SIGTERM exits with 143 even after its shutdown hook ran to the end.
        assertThat(mesh.stop(Duration.ofSeconds(60))).as("exit code after SIGTERM").isIn(0, 143);
        assertThat(mesh.output()).contains("stopped; data kept in");
        for (int port : mesh.ports()) {
          assertThat(ChildLocalMesh.isFree(port))
              .as("port %d is free after stopping", port)
              .isTrue();
        }
      } finally {
        mesh.close();
      }
    }
  }

  @Test
  void shouldRunTheDemoProductsContractsSubscriptionsQualityAndRecords() throws Exception {
    String registry = "http://localhost:" + mesh.registryPort;
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(get(registry + "/products?limit=50").body())
                    .contains("\"id\":\"clinical-trials.enrollments\"")
                    .contains("\"id\":\"supply-chain.batch-releases\"")
                    .contains("\"id\":\"supply-chain.shipment-notices\"")
                    .contains("\"id\":\"pharmacovigilance.adverse-events\""));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        get(
                                registry + "/domains/pharmacovigilance/notifications?limit=100",
                                "pharmacovigilance")
                            .body())
                    .contains("\"type\":\"SUBSCRIPTION_APPROVED\"")
                    .contains("\"type\":\"CONTRACT_VERSION_ADDED\"")
                    .contains("\"type\":\"QUALITY_ALERT_RAISED\""));
    assertThat(get(mesh.url(mesh.qualityPort, "/products/supply-chain.batch-releases")).body())
        .contains("\"state\":\"BREACHED\"");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              String stats = get(registry + "/products/clinical-trials.enrollments/stats").body();
              assertThat(stats).containsPattern("\"valid\":[1-9]");
              assertThat(stats).containsPattern("\"invalid\":[1-9]");
              assertThat(mesh.output())
                  .contains("reading clinical-trials.enrollments: first validated enrollment")
                  .contains("clinical-trials   dead letter ENR-");
            });
    // During the cold-room breach pharmacovigilance reports a problem to supply-chain (at 15 s).
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(
                      get(
                              registry + "/products/supply-chain.batch-releases/issues",
                              "pharmacovigilance")
                          .body())
                  .contains("\"reporterDomain\":\"pharmacovigilance\"")
                  .contains("\"severity\":\"HIGH\"");
              assertThat(mesh.output())
                  .contains("reported a HIGH problem on supply-chain.batch-releases")
                  // the declared read set at work: a drop nobody reads passes, this one not
                  .contains("(drops trialId, which no subscriber declared it reads)")
                  .contains("tried to drop enrolledAt, refused:")
                  .contains("pharmacovigilance reads enrolledAt");
            });
    assertThat(mesh.output()).doesNotContain(" ERROR ");
  }

  @Test
  void shouldAnswerTheRequestsTheDocsShowAsTheyShow() throws Exception {
    // Every curl command of the README's walk-through and of docs/registry-api.md and
    // docs/quality-monitor.md, and the README's URLs, against this mesh (see DocumentedRequests).
    new DocumentedRequests(mesh.kafkaPort, mesh.registryPort, mesh.validatorPort, mesh.qualityPort)
        .checkAll();
  }

  @Test
  void shouldServeTheDashboardPageAndItsAssets() throws Exception {
    var page = get(mesh.url(mesh.qualityPort, "/"));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("/dashboard/app.css").contains("/dashboard/app.js");

    var css = get(mesh.url(mesh.qualityPort, "/dashboard/app.css"));
    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(css.headers().firstValue("content-type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/css"));
    var js = get(mesh.url(mesh.qualityPort, "/dashboard/app.js"));
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.body()).contains("EventSource");
  }

  @Test
  void shouldServeTheOpenApiDocument() throws Exception {
    var document = get(mesh.url(mesh.registryPort, "/openapi/registry-api.yml"));
    assertThat(document.statusCode()).isEqualTo(200);
    assertThat(document.body()).startsWith("openapi:").contains("/products/{id}");
  }

  @Test
  void shouldAnswerHealthWithDetailsAndEachServiceNameFromItsOwnConfiguration() throws Exception {
    for (var service :
        Map.of(
                "contract-validator", mesh.validatorPort,
                "mesh-registry", mesh.registryPort,
                "quality-monitor", mesh.qualityPort)
            .entrySet()) {
      var response = get(mesh.url(service.getValue(), "/health"));
      assertThat(response.statusCode()).as(service.getKey()).isEqualTo(200);
      JsonNode health = json.readTree(response.body());
      // micronaut.application.name is set only in application-<service>.yml.
      assertThat(health.path("name").asText()).isEqualTo(service.getKey());
      assertThat(health.path("status").asText()).isEqualTo("UP");
      JsonNode details = health.path("details");
      assertThat(details.path("kafka-streams").path("details").path("state").asText())
          .as(service.getKey() + " Kafka Streams state")
          .isEqualTo("RUNNING");
      assertThat(details.path("kafka").path("details").path("bootstrapServers").asText())
          .isEqualTo("localhost:" + mesh.kafkaPort);
    }
  }

  @Test
  void shouldExposePrometheusMetricsOnEveryService() throws Exception {
    // Each service's own metrics once the demo has sent something through it.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(metrics(mesh.validatorPort))
                  .contains("meshbone_validator_records_total{")
                  .contains("meshbone_validator_control_events_total{")
                  // the provisioner's own consumer of mesh.products
                  .contains(
                      "kafka_consumer_fetch_manager_records_consumed_total"
                          + "{client_id=\"meshbone-product-topics\"");
              assertThat(metrics(mesh.qualityPort))
                  .contains("meshbone_quality_products{")
                  .contains("meshbone_quality_accepted_total");
              // mesh-registry: its Streams app's state, and its Streams and HTTP server meters.
              assertThat(metrics(mesh.registryPort))
                  .contains("meshbone_streams_running{app=\"mesh-registry\"")
                  // its API's own producer (KafkaClientMeters), which the demo's writes go through
                  .contains("kafka_producer_record_send_total{client_id=\"mesh-registry-api\"")
                  // the schema API's producer, and the tail its verdicts come back on
                  .contains(
                      "kafka_producer_record_send_total{client_id=\"mesh-registry-contracts\"")
                  .contains(
                      "kafka_consumer_fetch_manager_records_consumed_total{client_id=\"contract-decisions-")
                  .contains("kafka_stream_thread_")
                  .contains("http_server_requests_seconds_count{");
            });
  }

  /**
   * The SRE package's alert rules and Grafana dashboard read only metrics the mesh exposes: a
   * renamed metric fails here, not in an SRE's night.
   */
  @Test
  void shouldExposeEveryMetricTheAlertRulesAndDashboardRead() throws Exception {
    var names = SrePackage.metricNames();
    assertThat(names).hasSizeGreaterThan(5);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              String all =
                  metrics(mesh.validatorPort)
                      + metrics(mesh.registryPort)
                      + metrics(mesh.qualityPort);
              assertThat(names)
                  .allSatisfy(
                      name ->
                          assertThat(all)
                              .as("a sample of %s on some service's /prometheus", name)
                              .containsPattern("(?m)^" + name + "[{ ]"));
            });
  }

  @Test
  void shouldShowTheDemoProductsOnTheDashboardInARealBrowser() throws Exception {
    WebDriver browser = HeadlessChromium.start();
    try {
      browser.get(mesh.url(mesh.qualityPort, "/"));
      assertThat(browser.getTitle()).contains("product quality");
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(
              () ->
                  "live"
                      .equals(
                          browser.findElement(By.id("connection")).getAttribute("data-status")));
      // The demo breaches supply-chain's batch releases with failing cold-chain checks.
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(
              () ->
                  "BREACHED"
                      .equals(
                          browser
                              .findElement(
                                  By.cssSelector(
                                      ".card[data-product='supply-chain.batch-releases']"))
                              .getAttribute("data-state")));
      assertThat(browser.findElements(By.cssSelector(".card[data-product^='clinical-trials.']")))
          .isNotEmpty();
      // pharmacovigilance reported a problem on them: their owner's accountability figures show.
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(
              () ->
                  browser
                      .findElement(
                          By.cssSelector(
                              ".card[data-product='supply-chain.batch-releases']"
                                  + " .figure-open-issues"))
                      .getText()
                      .matches("[01]( \\(1 HIGH\\))?"));
      // Styled: the stylesheet applied (a board laid out in columns, not the unstyled page).
      assertThat(browser.findElement(By.id("board")).getCssValue("display")).isNotEqualTo("block");
      assertThat(HeadlessChromium.consoleErrors(browser)).isEmpty();
    } finally {
      browser.quit();
    }
  }

  /**
   * The mesh console, walked as a person would (see {@link ConsoleWalk}), with no console errors.
   * Its screenshots go to {@code target/console-screenshots}, or to the folder named by {@code
   * -Dmeshbone.console.screenshots} ({@code bin/console-screenshots} points it at docs/images).
   */
  @Test
  void shouldWalkTheConsoleInARealBrowser() throws Exception {
    Path shots =
        Path.of(
            System.getProperty(
                "meshbone.console.screenshots",
                Path.of("target", "console-screenshots").toString()));
    java.nio.file.Files.createDirectories(shots);
    WebDriver browser = HeadlessChromium.start();
    try {
      var walk = new ConsoleWalk(browser, "http://localhost:" + mesh.registryPort, WAIT, shots);
      walk.searchAndFilter();
      walk.openAProductAndCompareItsContractVersions();
      walk.followTheLineageTwoHops();
      walk.approveASubscriptionRequestThatArrivesLive(http);
      // The shared header leads to the quality dashboard, and back.
      browser.findElement(By.id("nav-quality")).click();
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(() -> browser.getTitle().contains("product quality"));
      assertThat(browser.getCurrentUrl()).startsWith("http://localhost:" + mesh.qualityPort + "/");
      browser.findElement(By.id("nav-catalogue")).click();
      await().atMost(WAIT).ignoreExceptions().until(() -> browser.getTitle().contains("console"));
      assertThat(HeadlessChromium.consoleErrors(browser)).isEmpty();
    } finally {
      browser.quit();
    }
  }

  private String metrics(int port) throws Exception {
    var response = get(mesh.url(port, "/prometheus"));
    assertThat(response.statusCode()).as("/prometheus on " + port).isEqualTo(200);
    return response.body();
  }

  private HttpResponse<String> get(String url) throws Exception {
    return get(url, null);
  }

  private HttpResponse<String> get(String url, String domain) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (domain != null) {
      request.header("X-Mesh-Domain", domain);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
