package dev.meshbone.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Many clients writing at once: threads register the same and different schemas under several
 * subjects, and declare and change the same products, all at the same time. Each distinct schema
 * gets exactly one id, no id names two schemas, each subject's versions are 1..n with one version
 * per schema, and each product's final version is the number of writes the registry accepted, none
 * lost, none counted twice.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentWritersFaultIT {
  private static final int THREADS = FaultSizes.pick(16, 32);
  private static final int ROUNDS = FaultSizes.pick(8, 40);
  private static final int SUBJECTS = 4;
  private static final int SCHEMAS = 10;
  private static final int PRODUCTS = 4;
  private static final String SR = "application/vnd.schemaregistry.v1+json";

  private FaultMesh mesh;

  @BeforeAll
  void startServices(KafkaBroker broker) {
    mesh = new FaultMesh(broker, Map.of());
  }

  @AfterAll
  void stopServices() {
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void shouldGiveOneIdPerSchemaAndLoseNoProductVersion() throws Exception {
    String domain =
        "cw" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 45), 36);
    var owner = Map.of("X-Mesh-Domain", domain);
    var http = new Http(mesh.registryUrl());
    List<String> subjects = new ArrayList<>();
    for (int s = 0; s < SUBJECTS; s++) {
      String subject = domain + ".s" + s + "-value";
      subjects.add(subject);
      // Any schema may follow any other: the test is about ids and versions, not compatibility.
      var none = send(http, "PUT", "/config/" + subject, "{\"compatibility\":\"NONE\"}", owner);
      assertThat(none.status()).as(none.toString()).isEqualTo(200);
    }
    List<Schema> schemas = new ArrayList<>();
    for (int k = 0; k < SCHEMAS; k++) {
      schemas.add(
          new Schema.Parser()
              .parse(
                  "{\"type\":\"record\",\"name\":\"R"
                      + k
                      + "\",\"namespace\":\"fault."
                      + domain
                      + "\",\"fields\":[{\"name\":\"f"
                      + k
                      + "\",\"type\":\"string\"}]}"));
    }
    List<String> products = new ArrayList<>();
    for (int p = 0; p < PRODUCTS; p++) {
      products.add(domain + ".p" + p);
    }

    // (subject, schema) -> ids answered; product -> accepted writes.
    Map<String, Set<Integer>> idsBySchema = new ConcurrentHashMap<>();
    Map<String, Set<Integer>> schemasBySubject = new ConcurrentHashMap<>();
    Map<String, List<Accepted>> accepted = new ConcurrentHashMap<>();
    List<String> unexpected = new CopyOnWriteArrayList<>();
    var retries = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        runs.add(
            pool.submit(
                () -> {
                  var random = new Random(thread);
                  for (int round = 0; round < ROUNDS; round++) {
                    // A schema write...
                    int k = random.nextInt(SCHEMAS);
                    String subject = subjects.get(random.nextInt(SUBJECTS));
                    String body =
                        "{\"schema\":"
                            + GarbageFaultIT.Endpoint.quote(schemas.get(k).toString())
                            + "}";
                    Http.Answer answer = null;
                    for (int attempt = 0; attempt < 5; attempt++) {
                      answer =
                          send(http, "POST", "/subjects/" + subject + "/versions", body, owner);
                      if (answer.status() != 500
                          || answer.json() == null
                          || answer.json().path("error_code").asInt() != 50002) {
                        break;
                      }
                      // No decision in time: the proposal stays queued; asking again is safe.
                      retries.incrementAndGet();
                    }
                    if (answer.status() == 200) {
                      idsBySchema
                          .computeIfAbsent("R" + k, x -> ConcurrentHashMap.newKeySet())
                          .add(answer.json().path("id").asInt());
                      schemasBySubject
                          .computeIfAbsent(subject, x -> ConcurrentHashMap.newKeySet())
                          .add(k);
                    } else {
                      unexpected.add(answer.toString());
                    }
                    // ... and a product write.
                    String product = products.get(random.nextInt(PRODUCTS));
                    String description = "t" + thread + "-r" + round;
                    productWrite(http, owner, product, description, random.nextInt(3) == 0)
                        .ifPresent(
                            a ->
                                accepted
                                    .computeIfAbsent(product, x -> new CopyOnWriteArrayList<>())
                                    .add(a));
                  }
                }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(unexpected).as("schema writes that failed").isEmpty();

    // One id per schema, one schema per id.
    Map<Integer, String> schemaById = new HashMap<>();
    idsBySchema.forEach(
        (schema, ids) -> {
          assertThat(ids).as("ids of schema %s", schema).hasSize(1);
          String before = schemaById.put(ids.iterator().next(), schema);
          assertThat(before).as("id %s names %s and %s", ids, before, schema).isNull();
        });
    for (var id : schemaById.entrySet()) {
      var byId = send(http, "GET", "/schemas/ids/" + id.getKey(), null, Map.of());
      assertThat(new Schema.Parser().parse(byId.json().path("schema").asText()).getName())
          .isEqualTo(id.getValue());
    }
    // Each subject: versions 1..n, one per schema registered there, each naming its schema's id.
    for (String subject : subjects) {
      Set<Integer> registered = schemasBySubject.getOrDefault(subject, Set.of());
      var versions = send(http, "GET", "/subjects/" + subject + "/versions", null, Map.of());
      List<Integer> numbers = new ArrayList<>();
      versions.json().forEach(v -> numbers.add(v.asInt()));
      List<Integer> dense = new ArrayList<>();
      for (int v = 1; v <= registered.size(); v++) {
        dense.add(v);
      }
      assertThat(numbers).as("versions of %s", subject).isEqualTo(dense);
      Set<String> seen = new HashSet<>();
      for (int v : numbers) {
        JsonNode version =
            send(http, "GET", "/subjects/" + subject + "/versions/" + v, null, Map.of()).json();
        String schema = schemaById.get(version.path("id").asInt());
        assertThat(schema).isNotNull();
        assertThat(seen.add(schema)).as("%s twice in %s", schema, subject).isTrue();
      }
    }

    // Products: the final version is the number of accepted writes; no version given twice.
    for (String product : products) {
      List<Accepted> writes = accepted.getOrDefault(product, List.of());
      if (writes.isEmpty()) {
        continue;
      }
      var versions = writes.stream().map(Accepted::version).filter(v -> v > 0).toList();
      assertThat(new HashSet<>(versions))
          .as("versions answered for %s", product)
          .hasSameSizeAs(versions);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                var current = send(http, "GET", "/products/" + product, null, Map.of());
                assertThat(current.status()).as(current.toString()).isEqualTo(200);
                assertThat(current.json().path("lifecycle").path("version").asLong())
                    .as("version of %s after %d accepted writes", product, writes.size())
                    .isEqualTo(writes.size());
              });
    }
    assertThat(accepted).isNotEmpty();
  }

  /** A write the registry accepted; version 0 when it answered later (202, then ACCEPTED). */
  record Accepted(String eventId, long version) {}

  /** Declares the product (or, if {@code change}, changes it); the accepted write, if it was. */
  private static java.util.Optional<Accepted> productWrite(
      Http http, Map<String, String> owner, String product, String description, boolean change) {
    String descriptor =
        "{\"name\":\"P\",\"description\":\"" + description + "\",\"owner\":{\"team\":\"t\"}}";
    // The write names its event id, so that a 503 (Kafka did not take it in time) can be sent
    // again, as Retry-After says, without being made twice.
    String eventId = "\"eventId\":\"" + java.util.UUID.randomUUID() + "\",";
    Http.Answer answer =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () ->
                    change
                        ? send(
                            http,
                            "PUT",
                            "/products/" + product,
                            "{" + eventId + "\"descriptor\":" + descriptor + "}",
                            owner)
                        : send(
                            http,
                            "POST",
                            "/products",
                            "{"
                                + eventId
                                + "\"id\":\""
                                + product
                                + "\",\"descriptor\":"
                                + descriptor
                                + "}",
                            owner),
                a -> a.status() != 503);
    JsonNode json = answer.json();
    switch (answer.status()) {
      case 200, 201 -> {
        assertThat(json.path("status").asText()).isEqualTo("ACCEPTED");
        return java.util.Optional.of(
            new Accepted(
                json.path("eventId").asText(), json.path("lifecycle").path("version").asLong()));
      }
      case 202 -> {
        String check = json.path("check").asText();
        var status = new String[1];
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  status[0] =
                      send(http, "GET", check, null, Map.of()).json().path("status").asText();
                  return !status[0].equals("PENDING");
                });
        return status[0].equals("ACCEPTED")
            ? java.util.Optional.of(new Accepted(json.path("eventId").asText(), 0))
            : java.util.Optional.empty();
      }
      case 404, 409, 422 -> {
        // Not there yet (a change before the declaration), already there (a second
        // declaration), or refused: not a write.
        assertThat(json.path("code").asText()).isNotBlank();
        return java.util.Optional.empty();
      }
      default -> throw new AssertionError("unexpected answer to a product write: " + answer);
    }
  }

  private static Http.Answer send(
      Http http, String method, String path, String body, Map<String, String> headers) {
    return http.send(
        method,
        path,
        body == null ? null : path.startsWith("/products") ? "application/json" : SR,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8),
        headers);
  }
}
