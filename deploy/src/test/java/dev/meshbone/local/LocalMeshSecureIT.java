package dev.meshbone.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/local-mesh --secure --demo} in this JVM (the open demo runs from the packaged jar in
 * {@link PackagedLocalMeshIT}): every domain logs in with a generated password, over HTTP and to
 * Kafka, and supply-chain's one write to another domain's subject is refused; within about a minute
 * the registry lists the demo domains' products, a subscriber has been told of a new contract
 * version, a product's health has changed, records reach the product topics and the dead-letter
 * topics, all on a broker that takes only SASL/SCRAM and enforces ACLs, where pharmacovigilance
 * reads clinical-trials' enrollments only after the approval ({@link LocalMeshKafkaChecks}); then
 * everything stops and frees its ports.
 */
class LocalMeshSecureIT {
  private final HttpClient http = HttpClient.newHttpClient();
  private LocalCredentials credentials;

  @Test
  void shouldShowProductsNotificationsHealthAndRecordsWithinAMinuteAndStopCleanly(
      @TempDir Path dataDir) throws Exception {
    int[] ports = freePorts(5);
    var options =
        new LocalMeshOptions(
                dataDir, false, ports[0], ports[1], ports[2], ports[3], ports[4], true, false)
            .secured(null);
    String registry = "http://localhost:" + options.registryPort();
    String quality = "http://localhost:" + options.qualityPort();

    try (var mesh = new LocalMesh(options)) {
      mesh.start();
      credentials = mesh.credentials();

      // --secure: generated passwords, owner-only file, and nothing answered without them.
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  java.nio.file.Files.getPosixFilePermissions(
                      dataDir.resolve("credentials.properties"))))
          .isEqualTo("rw-------");
      assertThat(credentials.names())
          .contains("admin", "clinical-trials", "supply-chain", "pharmacovigilance");
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(registry + "/products")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(401);

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(get(registry + "/products?limit=50", "admin"))
                      .contains("\"id\":\"clinical-trials.enrollments\"")
                      .contains("\"id\":\"supply-chain.batch-releases\"")
                      .contains("\"id\":\"supply-chain.shipment-notices\"")
                      .contains("\"id\":\"pharmacovigilance.adverse-events\""));
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () ->
                  assertThat(
                          get(
                              registry + "/domains/pharmacovigilance/notifications?limit=100",
                              "pharmacovigilance"))
                      .contains("\"type\":\"SUBSCRIPTION_APPROVED\"")
                      .contains("\"type\":\"CONTRACT_VERSION_ADDED\"")
                      .contains("\"type\":\"QUALITY_ALERT_RAISED\""));
      // The demo's domains logged in as themselves; supply-chain's write to clinical-trials'
      // subject was refused.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(mesh.demo().crossDomainRefusal())
                      .startsWith("403 40301")
                      .contains("it belongs to domain 'clinical-trials'"));
      assertThat(get(quality + "/products/supply-chain.batch-releases", "admin"))
          .contains("\"state\":\"BREACHED\"");
      if (recordValidationPresent()) {
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () -> {
                  String stats =
                      get(registry + "/products/clinical-trials.enrollments/stats", "admin");
                  assertThat(stats).containsPattern("\"valid\":[1-9]");
                  assertThat(stats).containsPattern("\"invalid\":[1-9]");
                  assertThat(mesh.demo().summary().get("clinical-trials.enrollments"))
                      .containsPattern("read by subscribers [1-9]")
                      .containsPattern("dead letters [1-9]");
                });
      }
      assertConsoleShowsOnlyWhatTheDomainMayDo(registry);
      // Kafka: SASL/SCRAM and ACLs, the subscriber refused until the approval.
      LocalMeshKafkaChecks.assertKafkaEnforced(mesh, options);
    }

    for (int port : ports) {
      assertThat(isFree(port)).as("port %d is free after stopping", port).isTrue();
    }
  }

  /**
   * The console on a secure mesh, logged in (HTTP Basic) as supply-chain: another domain's page has
   * no notifications and no approve buttons; its own page follows its notifications live.
   */
  private void assertConsoleShowsOnlyWhatTheDomainMayDo(String registry) {
    String user = "supply-chain";
    String login =
        registry.replace(
            "http://",
            "http://"
                + user
                + ":"
                + java.net.URLEncoder.encode(
                    credentials.password(user).orElseThrow(),
                    java.nio.charset.StandardCharsets.UTF_8)
                + "@");
    org.openqa.selenium.WebDriver browser = dev.meshbone.testkit.HeadlessChromium.start();
    try {
      browser.get(login + "/console#/domain/pharmacovigilance");
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                assertThat(browser.findElement(org.openqa.selenium.By.id("who")).getText())
                    .isEqualTo("signed in as supply-chain");
                assertThat(
                        browser.findElement(org.openqa.selenium.By.id("domain-products")).getText())
                    .contains("pharmacovigilance.adverse-events");
              });
      assertThat(browser.findElements(org.openqa.selenium.By.id("notifications"))).isEmpty();
      assertThat(browser.findElements(org.openqa.selenium.By.cssSelector("button.decide")))
          .isEmpty();
      browser.get(login + "/console#/domain/supply-chain");
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () ->
                  "live"
                      .equals(
                          browser
                              .findElement(org.openqa.selenium.By.id("stream-state"))
                              .getText()));
      assertThat(dev.meshbone.testkit.HeadlessChromium.consoleErrors(browser)).isEmpty();
    } finally {
      browser.quit();
    }
  }

  private String get(String url, String user) throws IOException, InterruptedException {
    var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (user != null) {
      String password = credentials.password(user).orElseThrow();
      request.header(
          "Authorization",
          "Basic "
              + java.util.Base64.getEncoder()
                  .encodeToString(
                      (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  private static boolean recordValidationPresent() {
    try {
      Class.forName("dev.meshbone.validator.records.ProductTopicProvisioner");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static int[] freePorts(int count) throws IOException {
    var sockets = new ServerSocket[count];
    try {
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0);
      }
      return java.util.Arrays.stream(sockets).mapToInt(ServerSocket::getLocalPort).toArray();
    } finally {
      for (ServerSocket s : sockets) {
        if (s != null) {
          s.close();
        }
      }
    }
  }

  private static boolean isFree(int port) {
    try (var socket = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
