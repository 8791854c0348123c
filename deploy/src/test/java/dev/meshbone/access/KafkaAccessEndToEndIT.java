package dev.meshbone.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshbone.client.Contract;
import dev.meshbone.client.MeshClient;
import dev.meshbone.client.MeshRequestException;
import dev.meshbone.client.ProductConsumer;
import dev.meshbone.client.ProductDeclaration;
import dev.meshbone.client.ProductRecord;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.registry.access.AccessReconcilerHealth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.publisher.Mono;

/**
 * The access scenario end to end on a broker that takes only SASL/SCRAM-SHA-512 and enforces ACLs,
 * with contract-validator and mesh-registry on their own principals: a subscriber is refused a
 * product until its owner approves, reads it after, and is refused again after a revocation; once
 * with meshbone's SDK and serde (the examples of docs/security-kafka.md), once with kafkajs, a
 * client that is not meshbone's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaAccessEndToEndIT {
  private static final Path SCRIPTS = Path.of("src/test/js");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema ENROLLMENT =
      SchemaBuilder.record("TrialEnrollment")
          .namespace("com.example.trials")
          .fields()
          .requiredString("enrollmentId")
          .requiredInt("age")
          .endRecord();

  private KafkaSecuredMesh mesh;
  private MeshClient clinicalTrials;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() {
    mesh = new KafkaSecuredMesh(List.of("clinical-trials", "pharmacovigilance", "supply-chain"));
    clinicalTrials =
        KafkaSecuritySnippets.connect(
            mesh.broker.bootstrapServers(), mesh.registryUrl(), mesh.password("clinical-trials"));
  }

  @AfterAll
  void stop() {
    if (clinicalTrials != null) {
      clinicalTrials.close();
    }
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void shouldLetASubscriberReadOnlyWhileItsSubscriptionIsApprovedWithTheSdk() throws Exception {
    clinicalTrials.declare(
        ProductDeclaration.builder("enrollments")
            .name("Enrollments")
            .owner("enrollment-platform")
            .build());
    clinicalTrials.registerContract("enrollments", Contract.of(ENROLLMENT));
    var written =
        KafkaSecuritySnippets.produce(
            mesh.broker.bootstrapServers(),
            mesh.registryUrl(),
            mesh.password("clinical-trials"),
            enrollment("ENR-1", 40));
    assertThat(written.topic()).isEqualTo("clinical-trials.enrollments.ingest");
    clinicalTrials
        .publish("enrollments", "ENR-2", enrollment("ENR-2", 41))
        .get(30, TimeUnit.SECONDS);

    try (MeshClient pharmacovigilance = mesh.client("pharmacovigilance", Duration.ofSeconds(3))) {
      var asked =
          pharmacovigilance.subscribe("clinical-trials.enrollments", "adverse-event signals");
      assertThat(asked.state()).isEqualTo(SubscriptionState.REQUESTED);
      assertThatThrownBy(() -> read(pharmacovigilance, "enrollments-reader", 1))
          .as("no read before the approval")
          .isInstanceOfSatisfying(
              MeshRequestException.class, e -> assertThat(e.status()).isEqualTo(403));

      clinicalTrials.approveSubscription("enrollments", "pharmacovigilance");
      assertThat(read(pharmacovigilance, "enrollments-reader", 2))
          .extracting(v -> v.get("enrollmentId").toString())
          .containsExactlyInAnyOrder("ENR-1", "ENR-2");

      pharmacovigilance.unsubscribe("clinical-trials.enrollments");
      await("no read after the revocation")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                try {
                  read(pharmacovigilance, "after-revocation", 1);
                  return false;
                } catch (MeshRequestException e) {
                  return e.status() == 403;
                }
              });
    }
  }

  @Test
  void shouldReportTheReconcilerInTheRegistrysHealth() {
    var health = mesh.registry().getBean(AccessReconcilerHealth.class);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              var result = Mono.from(health.getResult()).block();
              assertThat(result.getStatus().getName()).isEqualTo("UP");
              @SuppressWarnings("unchecked")
              var details = (Map<String, Object>) result.getDetails();
              assertThat(details)
                  .containsEntry("caughtUp", true)
                  .containsEntry("writer", true)
                  .doesNotContainKey("lastError");
              assertThat((Long) details.get("reconciliations")).isPositive();
            });
  }

  @Test
  void shouldGrantAndRevokeForKafkajsOverScram() throws Exception {
    Assumptions.assumeFalse(
        Boolean.getBoolean("interop.skip"), "interop tests skipped (-Dinterop.skip=true)");
    assertThat(SCRIPTS.resolve("node_modules/kafkajs"))
        .as("the interop packages are installed by the build (node src/test/js/install.mjs)")
        .exists();
    clinicalTrials.declare(
        ProductDeclaration.builder("visits").name("Site visits").owner("site-operations").build());
    clinicalTrials.registerContract("visits", Contract.of(ENROLLMENT));
    clinicalTrials.publish("visits", "V-1", enrollment("V-1", 50)).get(30, TimeUnit.SECONDS);
    String topic = "clinical-trials.visits";
    try (MeshClient supplyChain = mesh.client("supply-chain", Duration.ofSeconds(30))) {
      supplyChain.subscribe(topic, "batch recalls");

      JsonNode before = kafkajsRead(topic, "denied");
      assertThat(before.path("error").asText()).contains("TOPIC_AUTHORIZATION_FAILED");

      clinicalTrials.approveSubscription("visits", "supply-chain");
      JsonNode after = kafkajsRead(topic, "read");
      System.out.printf(
          "kafkajs read %s %d ms after the approval%n", topic, after.path("afterMs").asLong());

      revoke("visits", "supply-chain");
      kafkajsRead(topic, "denied");
    }
    JsonNode refused =
        node(
            "kafkajsRefused",
            Map.of("brokers", List.of(mesh.broker.bootstrapServers()), "username", "supply-chain"));
    assertThat(refused.path("wrong").path("refused").asBoolean()).as("wrong password").isTrue();
    assertThat(refused.path("anonymous").path("refused").asBoolean()).as("no SASL").isTrue();
  }

  private JsonNode kafkajsRead(String topic, String expect) throws Exception {
    return node(
        "kafkajsRead",
        Map.of(
            "brokers",
            List.of(mesh.broker.bootstrapServers()),
            "username",
            "supply-chain",
            "password",
            mesh.password("supply-chain"),
            "topic",
            topic,
            "groupId",
            "supply-chain.kafkajs-" + expect,
            "expect",
            expect,
            "timeoutMs",
            45_000));
  }

  /** The owner revokes a subscription through the registry API. */
  private void revoke(String product, String consumer) throws Exception {
    String auth =
        Base64.getEncoder()
            .encodeToString(
                ("clinical-trials:" + mesh.password("clinical-trials"))
                    .getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        mesh.registryUrl()
                            + "/products/clinical-trials."
                            + product
                            + "/subscriptions/"
                            + consumer))
                .header("Authorization", "Basic " + auth)
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  private static List<GenericRecord> read(MeshClient client, String name, int wanted) {
    List<GenericRecord> read = new ArrayList<>();
    try (ProductConsumer<GenericRecord> consumer =
        client.consume("clinical-trials.enrollments", GenericRecord.class, name)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (read.size() < wanted && System.nanoTime() < deadline) {
        for (ProductRecord<GenericRecord> r : consumer.poll(Duration.ofMillis(500))) {
          read.add(r.value());
        }
      }
    }
    return read;
  }

  private static GenericRecord enrollment(String id, int age) {
    return new GenericRecordBuilder(ENROLLMENT).set("enrollmentId", id).set("age", age).build();
  }

  private JsonNode node(String scenario, Map<String, Object> args) throws Exception {
    Path output = Files.createTempFile(scenario, ".out");
    Process process =
        new ProcessBuilder(
                "node", "interop.mjs", scenario, JSON.writeValueAsString(new HashMap<>(args)))
            .directory(SCRIPTS.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean finished = process.waitFor(150, TimeUnit.SECONDS);
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
}
