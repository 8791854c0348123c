package dev.meshbone.registry.products.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshbone.runtime.http.ApiException;
import io.micronaut.json.JsonMapper;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The bulk onboarding body: what is taken, and every way it is a 400 before anything is written.
 */
class BatchRequestsTest {
  private final Bodies bodies = new Bodies(JsonMapper.createDefault());

  private static String item(String id) {
    return "{\"id\":\"" + id + "\",\"descriptor\":{\"name\":\"N\",\"owner\":{\"team\":\"t\"}}}";
  }

  private void assertRefused(String body, String code, String message) {
    assertThatThrownBy(() -> BatchRequests.parse(bodies, body, "sales"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status().getCode()).isEqualTo(400);
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).contains(message);
            });
  }

  @Test
  void shouldTakeProductsWithTheirSchemaAsTextOrAsJson() {
    var items =
        BatchRequests.parse(
            bodies,
            "[{\"id\":\"sales.aa\",\"eventId\":\"e1\",\"descriptor\":{\"name\":\"A\"},"
                + "\"schema\":\"{\\\"type\\\":\\\"string\\\"}\"},"
                + "{\"id\":\"sales.bb\",\"descriptor\":{\"name\":\"B\"},\"schema\":{\"type\":\"long\"}},"
                + item("sales.cc")
                + "]",
            "sales");

    assertThat(items).hasSize(3);
    assertThat(items.get(0).eventId()).isEqualTo("e1");
    assertThat(items.get(0).schema()).isEqualTo("{\"type\":\"string\"}");
    assertThat(items.get(1).schema()).isEqualTo("{\"type\":\"long\"}");
    assertThat(items.get(1).eventId()).isNotBlank();
    assertThat(items.get(2).schema()).isNull();
    assertThat(items.get(2).descriptor().getName()).isEqualTo("N");
  }

  @Test
  void shouldRefuseBadBatchesWithA400() {
    assertRefused(null, "INVALID_REQUEST", "JSON array");
    assertRefused("{\"id\":\"sales.aa\"}", "INVALID_REQUEST", "JSON array");
    assertRefused("[1,", "MALFORMED_JSON", "not JSON");
    assertRefused("[]", "EMPTY_BATCH", "no product");
    String tooMany =
        IntStream.range(0, BatchRequests.MAX_PRODUCTS + 1)
            .mapToObj(i -> item("sales.p" + i))
            .collect(Collectors.joining(",", "[", "]"));
    assertRefused(tooMany, "BATCH_TOO_LARGE", "at most " + BatchRequests.MAX_PRODUCTS);
    assertRefused(
        "[" + item("sales.aa") + "," + item("sales.aa") + "]", "DUPLICATE_PRODUCT", "[1]");
    assertRefused("[" + item("sales.aa") + ",7]", "INVALID_REQUEST", "products[1]: not a JSON");
    assertRefused("[" + item("other.aa") + "]", "WRONG_DOMAIN", "not a product of domain sales");
    assertRefused("[{\"descriptor\":{\"name\":\"N\"}}]", "INVALID_REQUEST", "id is required");
    assertRefused("[{\"id\":\"sales.aa\"}]", "INVALID_REQUEST", "descriptor is required");
    assertRefused(
        "[{\"id\":\"sales.aa\",\"descriptor\":{\"owner\":{}}}]",
        "INVALID_REQUEST",
        "descriptor.name");
    assertRefused(
        "[{\"id\":\"Bad Id\",\"descriptor\":{\"name\":\"N\"}}]", "INVALID_PRODUCT_ID", "");
    assertRefused(
        "[{\"id\":\"sales.aa\",\"descriptor\":{\"name\":\"N\"},\"eventId\":\"e\"},"
            + "{\"id\":\"sales.bb\",\"descriptor\":{\"name\":\"N\"},\"eventId\":\"e\"}]",
        "DUPLICATE_EVENT_ID",
        "products[1]");
    assertRefused(
        "[{\"id\":\"sales.aa\",\"descriptor\":{\"name\":\"N\"},\"schema\":\"\"}]",
        "INVALID_REQUEST",
        "schema is empty");
    assertRefused(
        "[{\"id\":\"sales.aa\",\"descriptor\":{\"name\":\"N\"},\"eventId\":5}]",
        "INVALID_REQUEST",
        "eventId must be a string");
  }

  @Test
  void shouldTakeARuleSetBesideTheSchemaAsTheSubjectsEndpointKeepsIt() {
    var items =
        BatchRequests.parse(
            bodies,
            "[{\"id\":\"sales.aa\",\"descriptor\":{\"name\":\"A\"},"
                + "\"schema\":{\"type\":\"string\"},"
                + "\"ruleSet\":{\"domainRules\":[{\"name\":\"r\",\"kind\":\"CONDITION\","
                + "\"mode\":\"WRITE\",\"type\":\"MESH\",\"params\":{\"required\":\"true\"}}]}},"
                + item("sales.bb")
                + "]",
            "sales");

    assertThat(items.get(0).ruleSet())
        .contains("\"name\":\"r\"")
        .contains("\"onFailure\":\"NONE\"");
    assertThat(items.get(1).ruleSet()).isNull();
  }

  @Test
  void shouldRefuseARuleSetThatIsNoObjectOrHasNoSchema() {
    assertRefused(
        "[{\"id\":\"sales.aa\",\"descriptor\":{\"name\":\"N\"},\"schema\":{\"type\":\"string\"},"
            + "\"ruleSet\":[]}]",
        "INVALID_REQUEST",
        "products[0]: ruleSet must be a JSON object");
    assertRefused(
        "[{\"id\":\"sales.aa\",\"descriptor\":{\"name\":\"N\"},\"ruleSet\":{\"domainRules\":[]}}]",
        "INVALID_REQUEST",
        "ruleSet needs a schema");
  }
}
