package dev.meshbone.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import dev.meshbone.validator.records.Orders;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Garbage in, never a crash: every kind of malformed record on an ingest topic ends in the
 * product's DLQ with its reason while the validator keeps running, and every bad request on every
 * HTTP write endpoint gets a 4xx JSON error (meshbone's {@code code}/{@code message}, Confluent's
 * {@code error_code}/{@code message} on the schema registry API) while the services stay healthy.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GarbageFaultIT {
  /** Records on the ingest topic: every one malformed. */
  private static final int RECORDS = FaultSizes.pick(100_000, 400_000);

  /** Generated bad requests per HTTP write endpoint. */
  private static final int REQUESTS_PER_ENDPOINT = FaultSizes.pick(150, 600);

  private FaultMesh mesh;
  private KafkaBroker broker;
  private final String domain = "fz" + Long.toString(new Random().nextLong(1L << 40, 1L << 45), 36);
  private final String consumer = domain + "c";
  private BadAuthorization.Tokens tokens;

  /** Security on: Basic against a users file, and Bearer JWTs checked against a JWKS file. */
  @BeforeAll
  void startServices(KafkaBroker broker) throws Exception {
    this.broker = broker;
    tokens = BadAuthorization.Tokens.create();
    var users = java.nio.file.Files.createTempFile("faults-users", ".properties");
    java.nio.file.Files.writeString(
        users, domain + "=owner-pw\n" + consumer + "=consumer-pw\n" + "admin=admin-pw\n");
    mesh =
        new FaultMesh(
            broker,
            Map.of(
                "meshbone.validator.max-record-bytes",
                FaultRecords.MAX_RECORD_BYTES,
                "meshbone.security.enabled",
                true,
                "meshbone.security.users-file",
                users.toString(),
                "meshbone.security.jwt.enabled",
                true,
                "micronaut.security.token.jwt.signatures.jwks-static.faults.path",
                "file:" + tokens.jwksFile()));
  }

  static Map<String, String> as(String user, String password, String actingDomain) {
    String basic =
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return actingDomain == null
        ? Map.of("Authorization", basic)
        : Map.of("Authorization", basic, "X-Mesh-Domain", actingDomain);
  }

  /**
   * Topics to delete once the validator is closed (a deletion under its open transaction stalls its
   * producer, KAFKA-20077).
   */
  private final List<FaultRecords> used = new java.util.concurrent.CopyOnWriteArrayList<>();

  @AfterAll
  void stopServices() {
    if (mesh != null) {
      mesh.close();
    }
    used.forEach(records -> records.deleteTopics(broker));
  }

  @Test
  void shouldDeadLetterEveryMalformedRecordAndKeepRunning() throws Exception {
    var records = new FaultRecords(true);
    used.add(records);
    records.declare(broker);
    var config = new java.util.HashMap<>(broker.producerConfig());
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    try (var producer = new KafkaProducer<byte[], byte[]>(config)) {
      records.awaitLeaders(producer);
      records.produce(producer, 0, RECORDS);
    }
    try (var out = new FaultRecords.Outputs(broker, records)) {
      out.assertExactlyOnce(records, RECORDS, Duration.ofMinutes(FaultSizes.pick(3, 10)));
      assertThat(out.validated).isEmpty();
      assertThat(out.reasons()).isEqualTo(records.expectedReasons(RECORDS));
    }
    assertThat(FaultMesh.state(mesh.validator)).isEqualTo(KafkaStreams.State.RUNNING);

    // Still checking records: a valid one after all that garbage goes to the product topic.
    var valid = new FaultRecords.Outputs(broker, records);
    try (var producer = new KafkaProducer<byte[], byte[]>(broker.producerConfig())) {
      var record = records.record(0);
      producer
          .send(
              new org.apache.kafka.clients.producer.ProducerRecord<>(
                  record.topic(),
                  record.partition(),
                  Orders.confluent(records.keyId, Orders.orderKey("ORD-1")),
                  Orders.confluent(records.orderId, Orders.order()),
                  record.headers()))
          .get();
    }
    try (valid) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> valid.poll() > 0 && !valid.validated.isEmpty());
    }
  }

  @Test
  void shouldAnswerEveryBadWriteWithAJson4xx() throws Exception {
    String product = domain + ".orders";
    String subject = product + "-value";
    var http = new Http(mesh.registryUrl());
    var owner = as(domain, "owner-pw", domain);
    var reader = as(consumer, "consumer-pw", null);

    // A real product and contract, so writes get past "not found" to the body.
    var declared =
        http.json(
            "POST",
            "/products",
            "{\"id\":\""
                + product
                + "\",\"descriptor\":{\"name\":\"Orders\",\"owner\":{\"team\":\"t\"}}}",
            owner);
    assertThat(declared.status()).as(declared.toString()).isIn(201, 202);
    var registered =
        http.send(
            "POST",
            "/subjects/" + subject + "/versions",
            "application/vnd.schemaregistry.v1+json",
            Http.JSON
                .writeValueAsString(Map.of("schema", Orders.SCHEMA.toString()))
                .getBytes(StandardCharsets.UTF_8),
            owner);
    assertThat(registered.status()).as(registered.toString()).isEqualTo(200);

    List<Endpoint> endpoints = new ArrayList<>(Endpoint.all(domain, consumer, product, subject));
    endpoints.addAll(BadAuthorization.endpoints(domain, product, subject, tokens));
    var failures = new ConcurrentHashMap<String, List<String>>();
    var statuses = new ConcurrentHashMap<String, Integer>();
    var sent = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (Endpoint endpoint : endpoints) {
        runs.add(
            pool.submit(
                () -> {
                  var random = new Random(endpoint.name().hashCode());
                  for (int i = 0; i < REQUESTS_PER_ENDPOINT; i++) {
                    BadRequest bad = endpoint.generate(random);
                    Http.Answer answer;
                    try {
                      answer = send(http, bad);
                    } catch (AssertionError closed) {
                      // The server may close a connection after an error it did not read the
                      // body for (a 413); the client's next request on it then finds it closed.
                      // Only a second failure on a new connection counts.
                      statuses.merge(endpoint.name() + " reconnect", 1, Integer::sum);
                      try {
                        answer = send(http, bad);
                      } catch (AssertionError noAnswer) {
                        failures
                            .computeIfAbsent(
                                endpoint.name(),
                                k -> Collections.synchronizedList(new ArrayList<>()))
                            .add(cut("no answer [" + bad.what() + "]: " + noAnswer.getMessage()));
                        continue;
                      }
                    }
                    sent.incrementAndGet();
                    statuses.merge(endpoint.name() + " " + answer.status(), 1, Integer::sum);
                    String problem = problem(answer, endpoint.confluent());
                    if (problem == null
                        && endpoint.name().startsWith(BadAuthorization.PREFIX)
                        && answer.status() != 401
                        && !bad.what().startsWith(BadAuthorization.OVERSIZED)) {
                      problem = "expected 401, got " + answer.status();
                    }
                    if (problem != null) {
                      failures
                          .computeIfAbsent(
                              endpoint.name(), k -> Collections.synchronizedList(new ArrayList<>()))
                          .add(cut(problem + " [" + bad.what() + "]: " + answer));
                    }
                  }
                }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdownNow();
    }
    var summary = new TreeMap<String, String>();
    failures.forEach(
        (endpoint, list) ->
            summary.put(
                endpoint,
                list.size() + " bad answers, e.g. " + list.subList(0, Math.min(3, list.size()))));
    var report = new ArrayList<String>();
    failures.forEach((endpoint, list) -> list.forEach(f -> report.add(endpoint + " | " + f)));
    java.nio.file.Files.write(java.nio.file.Path.of("target", "faults-http-failures.txt"), report);
    assertThat(summary).as("answers by endpoint and status: %s", new TreeMap<>(statuses)).isEmpty();
    assertThat(sent.get()).isPositive();

    // The services are fine afterwards: running, and the product and contract unchanged.
    for (ApplicationContext context : mesh.all()) {
      assertThat(FaultMesh.state(context)).isEqualTo(KafkaStreams.State.RUNNING);
    }
    var after = http.get("/products/" + product, reader);
    assertThat(after.status()).as(after.toString()).isEqualTo(200);
    assertThat(after.json().path("lifecycle").path("status").asText()).isEqualTo("ACTIVE");
    var versions = http.get("/subjects/" + subject + "/versions", reader);
    assertThat(versions.text()).isEqualTo("[1]");
    for (ApplicationContext context : List.of(mesh.validator, mesh.quality)) {
      var other = new Http(FaultMesh.url(context));
      var answer = other.json("POST", "/products/" + product, "{\"x\":", owner);
      assertThat(problem(answer, false)).as(answer.toString()).isNull();
    }
  }

  private static Http.Answer send(Http http, BadRequest bad) {
    return http.send(bad.method(), bad.path(), bad.contentType(), bad.body(), bad.headers());
  }

  private static String cut(String text) {
    return text.length() > 400 ? text.substring(0, 400) + "..." : text;
  }

  /** Why an answer to a bad request is wrong, or null when it is a 4xx JSON error. */
  private static String problem(Http.Answer answer, boolean confluent) {
    if (answer.status() < 400 || answer.status() >= 500) {
      return "status " + answer.status();
    }
    JsonNode json = answer.json();
    if (json == null || !json.isObject()) {
      return "not a JSON object";
    }
    if (!json.path("message").isTextual() || json.path("message").asText().isBlank()) {
      return "no message";
    }
    if (confluent && answer.status() == 413 && answer.request().length() > 4_000) {
      // A request line over Netty's 4,096 limit is refused before routing, so the answer cannot
      // know it was for the schema registry API: meshbone's shape, with code and message.
      return json.path("code").isTextual() ? null : "no code";
    }
    if (confluent) {
      return json.path("error_code").isInt() ? null : "no integer error_code";
    }
    return json.path("code").isTextual() && !json.path("code").asText().isBlank()
        ? null
        : "no code";
  }

  /** A request a service must refuse. */
  record BadRequest(
      String what,
      String method,
      String path,
      String contentType,
      byte[] body,
      Map<String, String> headers) {}

  /** One HTTP write endpoint and how to make bad requests for it. */
  record Endpoint(String name, boolean confluent, Function<Random, BadRequest> generator) {
    BadRequest generate(Random random) {
      return generator.apply(random);
    }

    static List<Endpoint> all(String domain, String consumer, String product, String subject) {
      var owner = as(domain, "owner-pw", domain);
      var asConsumer = as(consumer, "consumer-pw", consumer);
      String json = "application/json";
      String sr = "application/vnd.schemaregistry.v1+json";
      String validProduct =
          "{\"id\":\""
              + product
              + "\",\"descriptor\":{\"name\":\"Orders\",\"owner\":{\"team\":\"t\"}}}";
      String validDescriptor = "{\"descriptor\":{\"name\":\"Orders\",\"owner\":{\"team\":\"t\"}}}";
      String validSchema = "{\"schema\":" + quote(Orders.SCHEMA.toString()) + "}";
      var list = new ArrayList<Endpoint>();
      list.add(
          body(
              "POST /products",
              false,
              "POST",
              "/products",
              json,
              owner,
              validProduct,
              List.of(
                  "id",
                  "descriptor",
                  "descriptor.name",
                  "descriptor.owner",
                  "descriptor.classification",
                  "descriptor.subscriptionPolicy",
                  "descriptor.slos",
                  "descriptor.tags")));
      list.add(
          body(
              "PUT /products/{id}",
              false,
              "PUT",
              "/products/" + product,
              json,
              owner,
              validDescriptor,
              List.of(
                  "descriptor",
                  "descriptor.name",
                  "descriptor.owner",
                  "descriptor.classification",
                  "descriptor.slos",
                  "descriptor.inputs")));
      list.add(
          body(
              "POST /products/{id}/deprecation",
              false,
              "POST",
              "/products/" + product + "/deprecation",
              json,
              owner,
              "{\"sunsetAt\":\"2030-01-01\"}",
              List.of("sunsetAt")));
      list.add(
          body(
              "POST /products/{id}/retirement",
              false,
              "POST",
              "/products/" + product + "/retirement",
              json,
              owner,
              "{\"reason\":\"done\"}",
              List.of("reason", "actor"),
              false));
      list.add(
          body(
              "POST /products/{id}/quality-results",
              false,
              "POST",
              "/products/" + product + "/quality-results",
              json,
              owner,
              "{\"checkName\":\"c\",\"passed\":true}",
              List.of("checkName", "passed", "dimension", "occurredAt", "measuredValue")));
      list.add(
          body(
              "POST /products/{id}/subscriptions",
              false,
              "POST",
              "/products/" + product + "/subscriptions",
              json,
              asConsumer,
              "{\"purpose\":\"p\"}",
              List.of("purpose", "principal"),
              false));
      list.add(
          path(
              "POST /products/{id}/subscriptions/{consumer}/approval",
              false,
              "POST",
              c -> "/products/" + c + "/subscriptions/" + c + "/approval",
              owner));
      list.add(
          path(
              "POST /products/{id}/subscriptions/{consumer}/rejection",
              false,
              "POST",
              c -> "/products/" + product + "/subscriptions/" + c + "/rejection",
              owner));
      list.add(
          path(
              "DELETE /products/{id}/subscriptions/{consumer}",
              false,
              "DELETE",
              c -> "/products/" + c + "/subscriptions/" + c,
              owner));
      list.add(
          body(
              "POST /internal/lineage/nodes",
              false,
              "POST",
              "/internal/lineage/nodes",
              json,
              Map.of(),
              "{\"ids\":[\"" + product + "\"]}",
              List.of("ids")));
      list.add(
          body(
              "POST /subjects/{s}/versions",
              true,
              "POST",
              "/subjects/" + subject + "/versions",
              sr,
              owner,
              validSchema,
              List.of("schema", "schemaType", "references"),
              false));
      list.add(
          body(
              "POST /subjects/{s}",
              true,
              "POST",
              "/subjects/" + subject,
              sr,
              owner,
              validSchema,
              List.of("schema", "schemaType", "references")));
      list.add(
          body(
              "POST /compatibility/subjects/{s}/versions/latest",
              true,
              "POST",
              "/compatibility/subjects/" + subject + "/versions/latest",
              sr,
              owner,
              validSchema,
              List.of("schema", "schemaType", "references")));
      list.add(
          body(
              "POST /compatibility/subjects/{s}/versions",
              true,
              "POST",
              "/compatibility/subjects/" + subject + "/versions",
              sr,
              owner,
              validSchema,
              List.of("schema", "schemaType", "references")));
      list.add(
          body(
              "PUT /config",
              true,
              "PUT",
              "/config",
              sr,
              as("admin", "admin-pw", null),
              "{\"compatibility\":\"BACKWARD\"}",
              List.of("compatibility")));
      list.add(
          body(
              "PUT /config/{s}",
              true,
              "PUT",
              "/config/" + subject,
              sr,
              owner,
              "{\"compatibility\":\"BACKWARD\"}",
              List.of("compatibility")));
      list.add(path("DELETE /config/{s}", true, "DELETE", c -> "/config/" + c + "-value", owner));
      list.add(
          path("DELETE /subjects/{s}", true, "DELETE", c -> "/subjects/" + c + "-value", owner));
      list.add(
          path(
              "DELETE /subjects/{s}/versions/{v}",
              true,
              "DELETE",
              c -> "/subjects/" + subject + "/versions/" + c,
              owner));
      return list;
    }

    /** Bad bodies (and a few bad identities) for an endpoint that reads a JSON body. */
    static Endpoint body(
        String name,
        boolean confluent,
        String method,
        String path,
        String contentType,
        Map<String, String> identity,
        String valid,
        List<String> fields) {
      return body(name, confluent, method, path, contentType, identity, valid, fields, true);
    }

    static Endpoint body(
        String name,
        boolean confluent,
        String method,
        String path,
        String contentType,
        Map<String, String> identity,
        String valid,
        List<String> fields,
        boolean required) {
      // Lookups and compatibility checks read: any identity, or none, may ask.
      boolean writes =
          !identity.isEmpty()
              && !path.startsWith("/compatibility")
              && !name.equals("POST /subjects/{s}");
      return new Endpoint(
          name,
          confluent,
          random -> {
            int pick = random.nextInt(100);
            if (pick < 6 && writes) {
              // A good body from the wrong place: no identity, a malformed one, another domain.
              // Anonymous writes act as the subject's owner on the schema registry API, and any
              // domain may ask to subscribe: there only a malformed identity is wrong.
              boolean strict = !confluent && !name.endsWith("/subscriptions");
              var headers =
                  switch (strict ? random.nextInt(3) : 1) {
                    case 0 -> Map.<String, String>of();
                    case 1 -> Map.of("X-Mesh-Domain", Garbage.domainLike(random));
                    default -> Map.of("X-Mesh-Domain", "intruder" + random.nextInt(1000));
                  };
              if (identity.isEmpty()) {
                // This endpoint takes no identity: send a bad body instead.
                return new BadRequest(
                    "malformed JSON",
                    method,
                    path,
                    contentType,
                    Garbage.malformedJson(random, valid),
                    headers);
              }
              return new BadRequest(
                  "identity " + headers, method, path, contentType, bytes(valid), headers);
            }
            if (pick < 12) {
              String type = Garbage.wrongContentType(random);
              return new BadRequest(
                  "content type " + type, method, path, type, bytes(valid), identity);
            }
            var bad = Garbage.body(random, valid, fields, required);
            return new BadRequest(bad.what(), method, path, contentType, bad.bytes(), identity);
          });
    }

    /** Bad path variables for an endpoint without a body. */
    static Endpoint path(
        String name,
        boolean confluent,
        String method,
        Function<String, String> path,
        Map<String, String> identity) {
      return new Endpoint(
          name,
          confluent,
          random -> {
            String variable = Garbage.pathSegment(random);
            var headers = random.nextInt(10) == 0 ? Map.<String, String>of() : identity;
            return new BadRequest(
                "path variable " + Garbage.shown(variable),
                method,
                path.apply(variable),
                random.nextBoolean() ? "application/json" : null,
                random.nextBoolean() ? null : Garbage.randomBytes(random),
                headers);
          });
    }

    private static byte[] bytes(String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    }

    static String quote(String text) {
      try {
        return Http.JSON.writeValueAsString(text);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
