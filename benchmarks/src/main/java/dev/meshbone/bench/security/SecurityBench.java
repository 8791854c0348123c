package dev.meshbone.bench.security;

import dev.meshbone.bench.MeshApps;
import dev.meshbone.contracts.Subjects;
import dev.meshbone.events.ChangeType;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.registry.RegistryApp;
import dev.meshbone.runtime.security.PasswordHashes;
import dev.meshbone.topics.MeshTopics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What HTTP security costs: one-product lookups ({@code GET /products/{id}}) and contract
 * registrations ({@code POST /subjects/{s}/versions}) against an open mesh-registry and, in the
 * same JVM and run, a second one with security on (HTTP Basic against a users file, every request
 * authenticated and checked against the rule table), both reading the same Kafka topics and using
 * the same contract-validator. Lookups are also measured for a user whose password is stored as a
 * PBKDF2 hash (310,000 iterations: paid once, then remembered). Sequential requests on a keep-alive
 * connection, variants interleaved round by round.
 */
public final class SecurityBench {
  /** Latencies in nanoseconds, one sorted array per round, by variant. */
  public record Result(
      Map<String, List<long[]>> lookups, Map<String, List<long[]>> registrations) {}

  private SecurityBench() {}

  /**
   * @param openRegistryUrl a running open registry (its validator decides registrations)
   */
  public static Result measure(
      String bootstrap, String openRegistryUrl, int lookups, int registrations, int rounds)
      throws Exception {
    Path users = Files.createTempFile("bench-users", ".properties");
    Files.writeString(
        users,
        "bench=bench-password\nbench-hashed=" + PasswordHashes.pbkdf2("bench-password") + "\n");
    String run = UUID.randomUUID().toString().substring(0, 8);
    var settings = new HashMap<String, Object>();
    settings.put("kafka.bootstrap.servers", bootstrap);
    settings.put("kafka.streams.application.id", "bench-secure-registry-" + run);
    settings.put("meshbone.state-dir", Files.createTempDirectory("bench-secure").toString());
    settings.put("micronaut.server.port", -1);
    settings.put("meshbone.security.users-file", users.toString());
    ApplicationContext secure = RegistryApp.start(settings);
    try {
      MeshApps.awaitRunning(secure);
      String secureUrl = "http://localhost:" + secure.getBean(EmbeddedServer.class).getPort();
      String product = "bench.security-" + run;
      publish(bootstrap, product);
      var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      var variants = new LinkedHashMap<String, HttpRequest.Builder>();
      variants.put("security off", get(openRegistryUrl, product, null));
      variants.put("security on, Basic", get(secureUrl, product, basic("bench")));
      variants.put(
          "security on, Basic, PBKDF2-stored", get(secureUrl, product, basic("bench-hashed")));
      awaitFound(http, variants);

      Map<String, List<long[]>> lookupResults = new LinkedHashMap<>();
      variants.forEach((name, request) -> time(http, request, Math.max(50, lookups / 4)));
      for (int round = 0; round < rounds; round++) {
        for (var variant : variants.entrySet()) {
          lookupResults
              .computeIfAbsent(variant.getKey(), k -> new ArrayList<>())
              .add(time(http, variant.getValue(), lookups));
        }
      }

      Map<String, List<long[]>> registrationResults = new LinkedHashMap<>();
      var writers = new LinkedHashMap<String, String[]>();
      writers.put("security off", new String[] {openRegistryUrl, null});
      writers.put("security on, Basic", new String[] {secureUrl, basic("bench")});
      int[] serial = {0};
      writers.forEach((name, w) -> register(http, w[0], w[1], run, serial, 3));
      for (int round = 0; round < rounds; round++) {
        for (var writer : writers.entrySet()) {
          registrationResults
              .computeIfAbsent(writer.getKey(), k -> new ArrayList<>())
              .add(
                  register(
                      http,
                      writer.getValue()[0],
                      writer.getValue()[1],
                      run,
                      serial,
                      registrations));
        }
      }
      return new Result(lookupResults, registrationResults);
    } finally {
      secure.close();
    }
  }

  private static String basic(String user) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":bench-password").getBytes(StandardCharsets.UTF_8));
  }

  private static HttpRequest.Builder get(String base, String product, String authorization) {
    var request =
        HttpRequest.newBuilder(URI.create(base + "/products/" + product))
            .timeout(Duration.ofSeconds(10))
            .header("Accept", "application/json");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request;
  }

  private static long[] time(HttpClient http, HttpRequest.Builder request, int count) {
    HttpRequest built = request.build();
    long[] latencies = new long[count];
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      int status = send(http, built).statusCode();
      latencies[i] = System.nanoTime() - t0;
      if (status != 200) {
        throw new IllegalStateException(built.uri() + " answered " + status);
      }
    }
    Arrays.sort(latencies);
    return latencies;
  }

  private static long[] register(
      HttpClient http, String base, String authorization, String run, int[] serial, int count) {
    long[] latencies = new long[count];
    for (int i = 0; i < count; i++) {
      int n = serial[0]++;
      String subject = "bench.sec-" + run + "-" + n + Subjects.VALUE_SUFFIX;
      String schema =
          "{\"type\":\"record\",\"name\":\"S"
              + n
              + "\",\"namespace\":\"bench.sec"
              + run.replace("-", "")
              + "\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
      String body = "{\"schema\":\"" + schema.replace("\"", "\\\"") + "\"}";
      var request =
          HttpRequest.newBuilder(URI.create(base + "/subjects/" + subject + "/versions"))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/vnd.schemaregistry.v1+json")
              .POST(HttpRequest.BodyPublishers.ofString(body));
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      long t0 = System.nanoTime();
      var response = send(http, request.build());
      latencies[i] = System.nanoTime() - t0;
      if (response.statusCode() != 200) {
        throw new IllegalStateException("register " + subject + ": " + response.body());
      }
    }
    Arrays.sort(latencies);
    return latencies;
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(request.uri() + ": " + e, e);
    }
  }

  private static void publish(String bootstrap, String product) throws Exception {
    MeshTopics topics = MeshTopics.defaults();
    var event =
        DataProductEvent.newBuilder()
            .setEventId("bench-" + product)
            .setProductId(product)
            .setDomain("bench")
            .setType(ChangeType.CREATED)
            .setStatus(LifecycleStatus.ACTIVE)
            .setVersion(1)
            .setOccurredAt(Instant.now())
            .build();
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", bootstrap),
            topics.products.keySerde().serializer(),
            topics.products.valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(topics.products.name(), product, event)).get();
    }
  }

  private static void awaitFound(HttpClient http, Map<String, HttpRequest.Builder> variants)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    for (var variant : variants.entrySet()) {
      HttpRequest request = variant.getValue().build();
      String last = "no answer";
      while (true) {
        try {
          var response = send(http, request);
          if (response.statusCode() == 200) {
            break;
          }
          last = response.statusCode() + " " + response.body();
        } catch (IllegalStateException slow) {
          last = slow.getMessage(); // a registry still starting on a busy machine
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              variant.getKey() + ": " + request.uri() + " never answered 200; last: " + last);
        }
        Thread.sleep(200);
      }
      System.out.println("security bench: " + variant.getKey() + " answers " + request.uri());
    }
  }
}
