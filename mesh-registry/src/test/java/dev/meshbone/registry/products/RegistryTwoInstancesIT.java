package dev.meshbone.registry.products;

import static dev.meshbone.registry.products.Events.created;
import static dev.meshbone.registry.products.Events.descriptor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.routing.InstanceAddress;
import dev.meshbone.registry.products.routing.LocalStores;
import dev.meshbone.registry.products.routing.RegistryRouter;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import dev.meshbone.topics.MeshTopics;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two registry instances with one application id share the partitions: each answers for every
 * product, forwarding to the other what it does not hold, and lists gather from both. Security is
 * on: a forwarded request carries its caller's credentials, and the other instance checks them
 * again.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryTwoInstancesIT {
  private static final int PRODUCTS = 12;

  private final MeshTopics topics = MeshTopics.defaults();
  private final String domain = KafkaBroker.unique("twins");
  private final List<String> products = new ArrayList<>();
  private final String consumer = KafkaBroker.unique("twin-reader");
  private TestRegistry a;
  private TestRegistry b;

  @BeforeAll
  void start(KafkaBroker broker) throws Exception {
    String applicationId = KafkaBroker.unique("registry-twins");
    var users = Files.createTempFile("twin-users", ".properties");
    Files.writeString(users, "admin=admin-pw\n" + consumer + "=reader-pw\n");
    Map<String, Object> secure =
        Map.of("meshbone.security.enabled", true, "meshbone.security.users-file", users.toString());
    a = TestRegistry.start(broker, applicationId, Files.createTempDirectory("twin-a"), secure);
    b = TestRegistry.start(broker, applicationId, Files.createTempDirectory("twin-b"), secure);
    a.authenticate("admin", "admin-pw");
    b.authenticate("admin", "admin-pw");
    try (var producer = new TestRegistry.Producer(broker)) {
      for (int i = 0; i < PRODUCTS; i++) {
        String id = domain + ".product-" + (char) ('a' + i);
        products.add(id);
        // Each product reads from the one before it: a lineage chain across both instances.
        var d = descriptor("Product " + i);
        if (i > 0) {
          d.setInputs(List.of(products.get(i - 1)));
        }
        producer.send(topics.products, id, created(id, d.build()));
      }
      producer.send(
          topics.subscriptions,
          Events.subscriptionKey(products.get(0), "finance"),
          Events.subscription(products.get(0), "finance", SubscriptionState.APPROVED, 2_000));
    }
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () ->
                !partitionsOf(a).isEmpty()
                    && !partitionsOf(b).isEmpty()
                    && ids(a.get("/products?domain=" + domain + "&limit=100").json()).size()
                        == PRODUCTS
                    && ids(b.get("/products?domain=" + domain + "&limit=100").json()).size()
                        == PRODUCTS);
  }

  @AfterAll
  void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  private List<Integer> partitionsOf(TestRegistry registry) {
    try {
      return registry
          .context()
          .getBean(LocalStores.class)
          .localPartitions(CatalogStores.PRODUCTS_STORE, topics.products.name());
    } catch (RuntimeException rebalancing) {
      return List.of();
    }
  }

  private static List<String> ids(JsonNode page) {
    return StreamSupport.stream(page.path("items").spliterator(), false)
        .map(n -> n.path("id").asText())
        .toList();
  }

  private String heldBy(TestRegistry registry) {
    var router = registry.context().getBean(RegistryRouter.class);
    return products.stream()
        .filter(id -> router.locate(CatalogStores.PRODUCTS_STORE, id).local())
        .findFirst()
        .orElseThrow(() -> new AssertionError("this instance holds none of the products"));
  }

  @Test
  void shouldAdvertiseThePortItListensOn() {
    for (TestRegistry r : List.of(a, b)) {
      var address = r.context().getBean(InstanceAddress.class);
      assertThat(r.url("/")).endsWith(":" + address.self().port() + "/");
    }
  }

  @Test
  void shouldShareThePartitionsBetweenTheInstances() {
    var all = new ArrayList<Integer>(partitionsOf(a));
    all.addAll(partitionsOf(b));

    assertThat(all).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
  }

  @Test
  void shouldAnswerForAProductTheOtherInstanceHolds() {
    String onB = heldBy(b);
    String onA = heldBy(a);

    var forwarded = a.get("/products/" + onB);
    var local = b.get("/products/" + onB);
    assertThat(forwarded.status()).isEqualTo(200);
    assertThat(forwarded.json()).isEqualTo(local.json());
    assertThat(b.get("/products/" + onA).json()).isEqualTo(a.get("/products/" + onA).json());
  }

  @Test
  void shouldAnswerEveryProductFromEitherInstance() {
    for (String id : products) {
      assertThat(a.get("/products/" + id).status()).as(id).isEqualTo(200);
      assertThat(b.get("/products/" + id + "/stats").status()).as(id).isEqualTo(200);
    }
    assertThat(
            a.get("/products/" + products.get(0) + "/subscribers")
                .json()
                .path("subscribers")
                .size())
        .isEqualTo(1);
    assertThat(
            b.get("/products/" + products.get(0) + "/subscribers")
                .json()
                .path("subscribers")
                .size())
        .isEqualTo(1);
  }

  @Test
  void shouldForwardAnUnknownProductsNotFound() {
    String missing = domain + ".missing";
    RegistryReadApiIT.assertError(a.get("/products/" + missing), 404, "PRODUCT_NOT_FOUND");
    RegistryReadApiIT.assertError(b.get("/products/" + missing), 404, "PRODUCT_NOT_FOUND");
  }

  @Test
  void shouldGatherListsFromBothInstancesInOneOrder() {
    List<String> paged = new ArrayList<>();
    String cursor = null;
    do {
      var page =
          a.get(
                  "/products?domain="
                      + domain
                      + "&limit=5"
                      + (cursor == null ? "" : "&cursor=" + cursor))
              .json();
      paged.addAll(ids(page));
      cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
    } while (cursor != null);

    assertThat(paged).isEqualTo(products.stream().sorted().toList());
    assertThat(ids(b.get("/products?domain=" + domain + "&limit=3&offset=3").json()))
        .isEqualTo(products.stream().sorted().toList().subList(3, 6));
  }

  @Test
  void shouldCountADomainsProductsOnBothInstances() {
    for (TestRegistry r : List.of(a, b)) {
      JsonNode mine =
          StreamSupport.stream(r.get("/domains").json().path("domains").spliterator(), false)
              .filter(d -> d.path("domain").asText().equals(domain))
              .findFirst()
              .orElseThrow();
      assertThat(mine.path("products").asInt()).isEqualTo(PRODUCTS);
    }
  }

  @Test
  void shouldWalkLineageAcrossInstances() {
    String last = products.get(PRODUCTS - 1);
    var upstream = a.get("/products/" + last + "/lineage?direction=upstream&depth=10").json();
    var downstream =
        b.get("/products/" + products.get(0) + "/lineage?direction=downstream&depth=10").json();

    assertThat(upstream.path("nodes").findValuesAsText("id"))
        .containsExactlyInAnyOrderElementsOf(products.subList(PRODUCTS - 11, PRODUCTS));
    assertThat(upstream.path("edges").size()).isEqualTo(10);
    assertThat(downstream.path("nodes").findValuesAsText("id"))
        .containsExactlyInAnyOrderElementsOf(products.subList(0, 11));
  }

  @Test
  void shouldForwardAWriteWithItsBodyAndActingDomain() {
    String onB = heldBy(b);
    String as = TestRegistry.basic(consumer, "reader-pw");

    var subscribed =
        a.send(
            "POST",
            "/products/" + onB + "/subscriptions",
            "{\"purpose\":\"forwarded\"}",
            "Authorization",
            as);

    assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(201);
    assertThat(subscribed.json().path("purpose").asText()).isEqualTo("forwarded");
    assertThat(
            b.get("/products/" + onB + "/subscribers")
                .json()
                .path("subscribers")
                .findValuesAsText("consumerDomain"))
        .contains(consumer);
    // The consumer's notifications live on whichever instance holds its domain; both answer.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (TestRegistry r : List.of(a, b)) {
                var n = r.get("/domains/" + consumer + "/notifications", "Authorization", as);
                assertThat(n.json().path("notifications").findValuesAsText("type"))
                    .containsExactly("SUBSCRIPTION_APPROVED");
              }
            });
  }

  @Test
  void shouldRefuseToForwardAForwardedRequestAgain() {
    String onB = heldBy(b);

    var response = a.get("/products/" + onB, RegistryRouter.FORWARDED_HEADER, "elsewhere:1");

    RegistryReadApiIT.assertError(response, 503, "REGISTRY_REBALANCING");
  }

  @Test
  void shouldCheckTheCallersCredentialsOnTheInstanceThatAnswers() {
    String onB = heldBy(b);
    String wrong = TestRegistry.basic("admin", "not-the-password");

    RegistryReadApiIT.assertError(
        a.get("/products/" + onB, "Authorization", wrong), 401, "CREDENTIALS_REFUSED");
    RegistryReadApiIT.assertError(
        a.get("/products?limit=100", "Authorization", wrong), 401, "CREDENTIALS_REFUSED");
    // A domain reading another's notifications is refused wherever they live.
    String reader = TestRegistry.basic(consumer, "reader-pw");
    for (TestRegistry r : List.of(a, b)) {
      RegistryReadApiIT.assertError(
          r.get("/domains/" + domain + "/notifications", "Authorization", reader),
          403,
          "FORBIDDEN");
    }
  }
}
