package dev.meshbone.registry.products;

import static dev.meshbone.registry.products.Events.created;
import static dev.meshbone.registry.products.Events.descriptor;
import static dev.meshbone.registry.products.RegistryReadApiIT.assertError;
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
 * again. Product issues are tested here too (writes on one instance, reads on the other), so they
 * cost no registry start of their own.
 */
@WithKafka
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryTwoInstancesIT {
  private static final int PRODUCTS = 12;

  private final MeshTopics topics = MeshTopics.defaults();
  private final String domain = KafkaBroker.unique("twins");
  private final List<String> products = new ArrayList<>();
  private final String consumer = KafkaBroker.unique("twin-reader");
  // Product issues: an owner, a reporter, an APPROVED subscriber, a third domain.
  private static final String PASSWORD = "issues-pw";
  private final String owner = KafkaBroker.unique("owner");
  private final String reporter = KafkaBroker.unique("reporter");
  private final String subscriber = KafkaBroker.unique("subscriber");
  private final String third = KafkaBroker.unique("third");
  private final String product = owner + ".batch-releases";
  private KafkaBroker broker;
  private TestRegistry a;
  private TestRegistry b;

  @BeforeAll
  void start(KafkaBroker broker) throws Exception {
    this.broker = broker;
    String applicationId = KafkaBroker.unique("registry-twins");
    var users = Files.createTempFile("twin-users", ".properties");
    Files.writeString(
        users,
        String.join(
            "\n",
            "admin=admin-pw",
            consumer + "=reader-pw",
            owner + "=" + PASSWORD,
            reporter + "=" + PASSWORD,
            subscriber + "=" + PASSWORD,
            third + "=" + PASSWORD,
            ""));
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
      producer.send(topics.products, product, created(product, descriptor("Batches").build()));
      producer.send(
          topics.subscriptions,
          Events.subscriptionKey(product, subscriber),
          Events.subscription(product, subscriber, SubscriptionState.APPROVED, 2_000));
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
                        == PRODUCTS
                    && a.get("/products/" + product + "/subscribers?state=APPROVED")
                        .body()
                        .contains(subscriber));
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
  void shouldForwardABatchsProductsToTheInstancesThatHoldThem() {
    // Every product of the batch exists already: each is answered 409 by the instance that holds
    // it, at once (no verdict to wait for), the other instance's through one forwarded request.
    String body =
        products.stream()
            .map(id -> "{\"id\":\"" + id + "\",\"descriptor\":{\"name\":\"Again\"}}")
            .collect(java.util.stream.Collectors.joining(",", "[", "]"));

    var response =
        a.send("POST", "/domains/" + domain + "/products", body, "X-Mesh-Domain", domain);

    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    var results = response.json().path("products");
    assertThat(results.findValuesAsText("productId")).containsExactlyElementsOf(products);
    assertThat(results.findValuesAsText("code")).containsOnly("PRODUCT_EXISTS");
    assertThat(results.findValuesAsText("status")).containsOnly("409");
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

  // Product issues over real HTTP with security on, across the two instances: a consumer domain
  // reports a problem, the owner acknowledges, comments and resolves it, the reporter reopens it;
  // the notifications each step sends; and the refusals (another domain 403, bad input 400,
  // unknown product or issue 404).

  /**
   * A request of {@code domain}'s: writes to instance a, reads to b (which forwards or gathers).
   */
  private TestRegistry.Response as(String domain, String method, String path, String body) {
    TestRegistry on = method.equals("GET") ? b : a;
    return on.send(method, path, body, "Authorization", TestRegistry.basic(domain, PASSWORD));
  }

  private List<String> notificationTypes(String domain) {
    var r = as(domain, "GET", "/domains/" + domain + "/notifications?limit=100", null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return StreamSupport.stream(r.json().path("notifications").spliterator(), false)
        .filter(n -> n.path("productId").asText().equals(product))
        .map(n -> n.path("type").asText())
        .filter(t -> t.startsWith("PRODUCT_ISSUE_"))
        .toList();
  }

  private static final String PROBLEM =
      "{\"kind\":\"PROBLEM\",\"title\":\"Released during the cold-room breach\","
          + "\"description\":\"Batch 4711 left the cold room at 9 C\",\"severity\":\"HIGH\","
          + "\"evidence\":{\"topic\":\"supply-chain.batch-releases\",\"partition\":0,"
          + "\"offset\":42}}";

  @Test
  void shouldCarryAnIssueThroughItsLifeCycleWithItsNotifications() {
    String issues = "/products/" + product + "/issues";

    var opened = as(reporter, "POST", issues, PROBLEM);
    assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
    JsonNode issue = opened.json();
    String id = issue.path("issueId").asText();
    String path = issues + "/" + id;
    assertThat(issue.path("state").asText()).isEqualTo("OPEN");
    assertThat(issue.path("reporterDomain").asText()).isEqualTo(reporter);
    assertThat(issue.path("ownerDomain").asText()).isEqualTo(owner);
    assertThat(issue.path("evidence").path("offset").asLong()).isEqualTo(42);
    assertThat(opened.header("Location")).isEqualTo(path);

    // Only the owner moves the state; the reporter only reopens; others only read.
    assertError(
        as(third, "POST", path + "/state", "{\"state\":\"ACKNOWLEDGED\"}"), 403, "FORBIDDEN");
    assertError(
        as(reporter, "POST", path + "/state", "{\"state\":\"ACKNOWLEDGED\"}"), 403, "FORBIDDEN");
    assertError(as(third, "POST", path + "/comments", "{\"text\":\"me too\"}"), 403, "FORBIDDEN");
    assertError(
        as(owner, "POST", path + "/state", "{\"state\":\"RESOLVED\"}"),
        409,
        "ISSUE_STATE_CONFLICT");

    var acked =
        as(owner, "POST", path + "/state", "{\"state\":\"ACKNOWLEDGED\",\"comment\":\"on it\"}");
    assertThat(acked.status()).as(acked.toString()).isEqualTo(200);
    assertThat(acked.json().path("state").asText()).isEqualTo("ACKNOWLEDGED");
    var commented = as(owner, "POST", path + "/comments", "{\"text\":\"quarantined batch 4711\"}");
    assertThat(commented.status()).as(commented.toString()).isEqualTo(201);
    var resolved = as(owner, "POST", path + "/state", "{\"state\":\"RESOLVED\"}");
    assertThat(resolved.json().path("state").asText()).isEqualTo("RESOLVED");
    var reopened = as(reporter, "POST", path + "/state", "{\"state\":\"OPEN\"}");
    assertThat(reopened.status()).as(reopened.toString()).isEqualTo(200);
    assertThat(reopened.json().path("state").asText()).isEqualTo("OPEN");

    var read = as(third, "GET", path, null);
    assertThat(read.status()).as(read.toString()).isEqualTo(200);
    assertThat(read.json().path("thread").findValuesAsText("action"))
        .containsExactly("OPEN", "CHANGE_STATE", "COMMENT", "CHANGE_STATE", "CHANGE_STATE");
    assertThat(read.json().path("thread").get(2).path("text").asText())
        .isEqualTo("quarantined batch 4711");
    assertThat(
            as(third, "GET", issues + "?state=OPEN", null)
                .json()
                .path("issues")
                .findValuesAsText("issueId"))
        .containsExactly(id);
    assertThat(as(third, "GET", issues + "?state=RESOLVED", null).json().path("issues").size())
        .isZero();
    assertThat(
            as(reporter, "GET", "/domains/" + reporter + "/issues", null)
                .json()
                .path("reported")
                .findValuesAsText("issueId"))
        .containsExactly(id);
    assertThat(
            as(owner, "GET", "/domains/" + owner + "/issues", null)
                .json()
                .path("toAnswer")
                .findValuesAsText("issueId"))
        .containsExactly(id);
    JsonNode figures = as(third, "GET", "/products/" + product, null).json().path("accountability");
    assertThat(figures.path("openIssues").asLong()).isEqualTo(1);
    assertThat(figures.path("openBySeverity").path("HIGH").asLong()).isEqualTo(1);
    assertThat(figures.path("acknowledgedCount").asLong()).isEqualTo(1);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(notificationTypes(owner))
                  .containsExactlyInAnyOrder("PRODUCT_ISSUE_OPENED", "PRODUCT_ISSUE_UPDATED");
              assertThat(notificationTypes(subscriber)).containsExactly("PRODUCT_ISSUE_OPENED");
              assertThat(notificationTypes(reporter))
                  .containsExactly(
                      "PRODUCT_ISSUE_UPDATED", "PRODUCT_ISSUE_UPDATED", "PRODUCT_ISSUE_UPDATED");
              assertThat(notificationTypes(third)).isEmpty();
            });
  }

  @Test
  void shouldRefuseBadInputAndUnknownProductsAndIssuesWithJsonErrors() {
    String issues = "/products/" + product + "/issues";

    assertError(
        as(reporter, "POST", issues, PROBLEM.replace("HIGH", "SEVERE")), 400, "INVALID_REQUEST");
    assertError(
        as(reporter, "POST", issues, PROBLEM.replace("PROBLEM", "RANT")), 400, "INVALID_REQUEST");
    assertError(
        as(reporter, "POST", issues, "{\"kind\":\"PROBLEM\",\"severity\":\"LOW\"}"),
        400,
        "INVALID_REQUEST");
    assertError(as(reporter, "POST", issues, "{not json"), 400, "MALFORMED_JSON");
    assertError(as(reporter, "POST", issues, null), 400, "INVALID_REQUEST");
    assertError(
        as(reporter, "POST", issues, PROBLEM.replace("\"partition\":0", "\"partition\":-1")),
        400,
        "INVALID_REQUEST");
    assertError(as(reporter, "GET", issues + "?state=LOST", null), 400, "INVALID_REQUEST");
    assertError(as(reporter, "GET", issues + "/not-an-id", null), 400, "INVALID_ISSUE_ID");
    assertError(
        as(owner, "POST", issues + "/000000000000/state", "{\"state\":\"ACKNOWLEDGED\"}"),
        404,
        "ISSUE_NOT_FOUND");
    assertError(as(owner, "GET", issues + "/000000000000", null), 404, "ISSUE_NOT_FOUND");
    String unknown = "/products/" + owner + ".unknown/issues";
    assertError(as(reporter, "POST", unknown, PROBLEM), 404, "PRODUCT_NOT_FOUND");
    assertError(as(reporter, "GET", unknown, null), 404, "PRODUCT_NOT_FOUND");
    assertError(
        as(reporter, "POST", "/products/Not_A_Product/issues", PROBLEM), 400, "INVALID_PRODUCT_ID");
    var refused =
        a.send("POST", issues, PROBLEM, "Authorization", TestRegistry.basic(third, "wrong-pw"));
    assertThat(refused.status()).isEqualTo(401);
  }

  @Test
  void shouldListAProductsHistoryAndAnswerAsOfAnInstant() throws Exception {
    String id = owner + ".history";
    var d1 = descriptor("History v1").build();
    var d2 = descriptor("History v2").build();
    try (var producer = new TestRegistry.Producer(broker)) {
      producer.send(topics.products, id, created(id, d1));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> as(third, "GET", "/products/" + id, null).status() == 200);
      producer.send(
          topics.products,
          id,
          Events.event(
              id,
              dev.meshbone.events.ChangeType.UPDATED,
              dev.meshbone.events.LifecycleStatus.ACTIVE,
              2,
              d2));
      producer.send(
          topics.products,
          id,
          Events.deprecated(id, 3, d2, java.time.Instant.parse("2027-03-01T00:00:00Z")));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  as(third, "GET", "/products/" + id + "/history", null)
                          .json()
                          .path("changes")
                          .size()
                      == 3);

      JsonNode history = as(third, "GET", "/products/" + id + "/history", null).json();
      // "As of" the first change's own instant: the product as created, before the rename.
      java.time.Instant between =
          java.time.Instant.parse(history.path("changes").get(0).path("at").asText());
      assertThat(java.time.Instant.parse(history.path("changes").get(1).path("at").asText()))
          .isAfter(between);
      assertThat(history.path("changes").findValuesAsText("kind"))
          .containsExactly("LIFECYCLE", "DESCRIPTOR", "LIFECYCLE");
      JsonNode rename = history.path("changes").get(1).path("changes").get(0);
      assertThat(rename.path("field").asText()).isEqualTo("descriptor.name");
      assertThat(rename.path("before").asText()).isEqualTo("History v1");
      assertThat(rename.path("after").asText()).isEqualTo("History v2");
      assertThat(history.path("changes").get(1).path("actor").asText()).isEqualTo(owner);
      assertThat(history.path("changes").get(1).path("topic").asText())
          .isEqualTo(topics.products.name());
      var page = as(third, "GET", "/products/" + id + "/history?limit=2", null).json();
      assertThat(page.path("changes").size()).isEqualTo(2);
      assertThat(page.path("nextAfter").asLong()).isEqualTo(2);

      JsonNode then = as(third, "GET", "/products/" + id + "?asOf=" + between, null).json();
      assertThat(then.path("descriptor").path("name").asText()).isEqualTo("History v1");
      assertThat(then.path("lifecycle").path("status").asText()).isEqualTo("ACTIVE");
      JsonNode now = as(third, "GET", "/products/" + id + "?asOf=2100-01-01", null).json();
      assertThat(now.path("lifecycle").path("status").asText()).isEqualTo("DEPRECATED");
      assertError(
          as(third, "GET", "/products/" + id + "?asOf=2000-01-01", null), 404, "PRODUCT_NOT_FOUND");
      assertError(
          as(third, "GET", "/products/" + id + "?asOf=yesterday", null), 400, "INVALID_REQUEST");
      JsonNode catalogue =
          as(third, "GET", "/products?asOf=" + between + "&domain=" + owner, null).json();
      assertThat(catalogue.path("items").findValuesAsText("id")).contains(id, product);
      assertThat(
              StreamSupport.stream(catalogue.path("items").spliterator(), false)
                  .filter(p -> p.path("id").asText().equals(id))
                  .findFirst()
                  .orElseThrow()
                  .path("descriptor")
                  .path("name")
                  .asText())
          .isEqualTo("History v1");

      // Paged one product at a time, across both instances' partitions: the same products, once.
      String all = "/products?asOf=2100-01-01&domain=" + owner;
      List<String> whole = as(third, "GET", all, null).json().path("items").findValuesAsText("id");
      assertThat(whole).contains(id, product).doesNotHaveDuplicates();
      List<String> paged = new ArrayList<>();
      String cursor = null;
      for (int pages = 0; pages <= whole.size(); pages++) {
        JsonNode onePage =
            as(third, "GET", all + "&limit=1" + (cursor == null ? "" : "&cursor=" + cursor), null)
                .json();
        paged.addAll(onePage.path("items").findValuesAsText("id"));
        cursor =
            onePage.path("nextCursor").isTextual() ? onePage.path("nextCursor").asText() : null;
        if (cursor == null) {
          break;
        }
      }
      assertThat(paged).isEqualTo(whole);
      assertError(as(third, "GET", all + "&cursor=garbage", null), 400, "INVALID_PAGING");
      assertError(as(third, "GET", all + "&limit=0", null), 400, "INVALID_PAGING");
    }
  }
}
