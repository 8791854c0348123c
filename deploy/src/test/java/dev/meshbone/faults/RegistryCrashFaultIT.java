package dev.meshbone.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshbone.events.AccessGrant;
import dev.meshbone.events.Notification;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.validator.ValidatorApp;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mesh-registry SIGKILLed in the middle of subscription requests, approvals and their notification
 * fan-out, and started again on the same state and port: every HTTP write ends answered (retried
 * while the registry is down, with the same outcome), no approval is lost, and every notification
 * and access grant is on its topic exactly once for a {@code read_committed} reader.
 */
@WithKafka
class RegistryCrashFaultIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  // Default run: 32 writes, enough for some before the kill and some while the registry is down.
  private static final int PRODUCTS = FaultSizes.pick(2, 3);
  private static final int CONSUMERS = FaultSizes.pick(8, 40);

  private final MeshTopics topics = MeshTopics.defaults();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 6);
  private final String owner = "own" + run;
  private final AtomicInteger retried = new AtomicInteger();

  @Test
  void shouldLoseNoApprovalAndSendEveryNotificationOnceAcrossASigkill(
      KafkaBroker broker, @TempDir Path work) throws Exception {
    long begin = System.nanoTime();
    int port;
    try (var socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String base = "http://localhost:" + port;
    String appId = KafkaBroker.unique("crash-registry");
    Path registryState = work.resolve("registry");
    // The registry's child JVM starts while the validator (which decides its product writes)
    // starts in this one.
    Process registry =
        ChildService.registry(broker.clientConfig(), appId, registryState, port, "registry-1");
    try (ApplicationContext validator = ValidatorApp.start(validatorSettings(broker, work))) {
      FaultMesh.awaitRunning(validator);
      awaitUp(base);
      List<String> products = new ArrayList<>();
      for (int p = 0; p < PRODUCTS; p++) {
        String id = owner + ".product-" + p;
        products.add(id);
        answer(
            "POST",
            base + "/products",
            owner,
            "{\"id\":\""
                + id
                + "\",\"descriptor\":{\"name\":\"Product "
                + p
                + "\",\"owner\":{\"team\":\"t\"},\"subscriptionPolicy\":\"OWNER_APPROVAL\"}}",
            201);
      }

      // Each consumer asks for every product and the owner approves at once; the registry is
      // killed a third of the way through and started again.
      int writes = 2 * PRODUCTS * CONSUMERS;
      int retriedBefore = retried.get();
      var done = new AtomicInteger();
      CompletableFuture<Void> load =
          CompletableFuture.runAsync(
              () -> {
                for (int c = 0; c < CONSUMERS; c++) {
                  for (String product : products) {
                    String consumer = consumer(c);
                    answer(
                        "POST",
                        base + "/products/" + product + "/subscriptions",
                        consumer,
                        "{\"purpose\":\"crash test\"}",
                        201,
                        200);
                    done.incrementAndGet();
                    answer(
                        "POST",
                        base + "/products/" + product + "/subscriptions/" + consumer + "/approval",
                        owner,
                        null,
                        200);
                    done.incrementAndGet();
                  }
                }
              });
      while (done.get() < writes / 3 && !load.isDone()) {
        TimeUnit.MILLISECONDS.sleep(10);
      }
      registry.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      int doneAtKill = done.get();
      registry =
          ChildService.registry(broker.clientConfig(), appId, registryState, port, "registry-2");
      load.get(4, TimeUnit.MINUTES);
      assertThat(done.get()).isEqualTo(writes);
      // The kill landed mid-stream: writes answered before it, writes after it, and at least one
      // that met the dead registry (refused, 503 or 202) and was retried.
      assertThat(doneAtKill).as("writes answered before the kill").isBetween(1, writes - 1);
      int retries = retried.get() - retriedBefore;
      assertThat(retries).as("writes retried while the registry was down").isPositive();

      for (String product : products) {
        JsonNode subscribers =
            JSON.readTree(
                answer("GET", base + "/products/" + product + "/subscribers", owner, null, 200));
        Map<String, String> states = new TreeMap<>();
        for (JsonNode s : subscribers.get("subscribers")) {
          states.put(s.get("consumerDomain").asText(), s.get("state").asText());
        }
        Map<String, String> expected = new TreeMap<>();
        for (int c = 0; c < CONSUMERS; c++) {
          expected.put(consumer(c), "APPROVED");
        }
        assertThat(states).as("subscribers of %s", product).isEqualTo(expected);
      }
      // The last approvals' notifications commit with the registry's next transaction: read
      // until they are all there (or a minute has passed), then require each exactly once.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!assertEveryNotificationOnce(broker, false) && System.nanoTime() < deadline) {
        TimeUnit.SECONDS.sleep(1);
      }
      assertEveryNotificationOnce(broker, true);
      System.out.printf(
          "registry crash: %d writes (%d consumers x %d products), SIGKILL after %d answered,"
              + " %d retries while down; test %.0f s%n",
          writes, CONSUMERS, PRODUCTS, doneAtKill, retries, (System.nanoTime() - begin) / 1e9);
    } finally {
      registry.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Whether mesh.notifications and mesh.access-grants hold, for a read_committed reader, exactly
   * what the writes caused, each once; with {@code assertIt}, fails the test if not.
   */
  private boolean assertEveryNotificationOnce(KafkaBroker broker, boolean assertIt) {
    Map<String, Integer> notifications = new TreeMap<>();
    Map<String, Integer> grants = new TreeMap<>();
    ChildService.readAll(
        broker,
        topics.notifications.name(),
        (key, bytes) -> {
          Notification n = topics.notifications.valueSerde().deserializer().deserialize("", bytes);
          if (n.getProductId().startsWith(owner + ".")
              && Set.of("SUBSCRIPTION_REQUESTED", "SUBSCRIPTION_APPROVED")
                  .contains(n.getType().name())) {
            notifications.merge(
                n.getType() + " " + n.getProductId() + " -> " + n.getRecipientDomain(),
                1,
                Integer::sum);
          }
        });
    ChildService.readAll(
        broker,
        topics.accessGrants.name(),
        (key, bytes) -> {
          AccessGrant g = topics.accessGrants.valueSerde().deserializer().deserialize("", bytes);
          if (g.getProductId().startsWith(owner + ".")) {
            grants.merge(
                g.getOperation() + " " + g.getProductId() + " -> " + g.getConsumerDomain(),
                1,
                Integer::sum);
          }
        });
    Map<String, Integer> expectedNotifications = new TreeMap<>();
    Map<String, Integer> expectedGrants = new TreeMap<>();
    for (int p = 0; p < PRODUCTS; p++) {
      String product = owner + ".product-" + p;
      // The owner hears of each consumer's request once, each consumer of its approval once.
      expectedNotifications.put("SUBSCRIPTION_REQUESTED " + product + " -> " + owner, CONSUMERS);
      for (int c = 0; c < CONSUMERS; c++) {
        expectedNotifications.put("SUBSCRIPTION_APPROVED " + product + " -> " + consumer(c), 1);
        expectedGrants.put("GRANT " + product + " -> " + consumer(c), 1);
      }
    }
    if (assertIt) {
      assertThat(notifications).isEqualTo(expectedNotifications);
      assertThat(grants).isEqualTo(expectedGrants);
    }
    return notifications.equals(expectedNotifications) && grants.equals(expectedGrants);
  }

  private String consumer(int c) {
    return "con" + c + "x" + run;
  }

  private static Map<String, Object> validatorSettings(KafkaBroker broker, Path work)
      throws IOException {
    var settings = new HashMap<String, Object>();
    broker.clientConfig().forEach((k, v) -> settings.put("kafka." + k, v));
    settings.put("kafka.streams.application.id", KafkaBroker.unique("crash-registry-validator"));
    settings.put(
        "meshbone.state-dir", Files.createDirectories(work.resolve("validator")).toString());
    settings.put("micronaut.server.port", -1);
    settings.put("kafka.streams.consumer.metadata.max.age.ms", 1000);
    settings.put("meshbone.security.enabled", false);
    return settings;
  }

  private void awaitUp(String base) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      try {
        var health =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (health.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("the registry at " + base + " never came up");
  }

  /**
   * Sends until the registry answers with one of {@code accepted}: a refused connection, a 503 or a
   * 202 PENDING (the write is queued, and asking again answers with its outcome) is retried; any
   * other answer fails the test.
   */
  private String answer(String method, String url, String domain, String body, int... accepted) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      var request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(30))
              .header("X-Mesh-Domain", domain)
              .header("Content-Type", "application/json")
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      try {
        HttpResponse<String> response =
            http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (int status : accepted) {
          if (response.statusCode() == status) {
            return response.body();
          }
        }
        last = response.statusCode() + " " + response.body();
        assertThat(response.statusCode()).as("%s %s answered %s", method, url, last).isIn(202, 503);
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      retried.incrementAndGet();
      FaultLoad.pause(200);
    }
    throw new AssertionError(method + " " + url + " never answered: " + last);
  }
}
