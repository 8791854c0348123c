package dev.meshbone.registry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * contract-validator replaced by one with a new application id (so empty stores and no committed
 * offsets) on the same topics: it starts from {@code mesh.contracts}, so a schema keeps its id, a
 * new one gets an id no schema had, and proposals decided by the first one are not decided again.
 */
@WithKafka
class ValidatorNewApplicationIdIT {
  private ApplicationContext validator;
  private ApplicationContext registry;

  @AfterEach
  void stop() {
    if (registry != null) {
      registry.close();
    }
    if (validator != null) {
      validator.close();
    }
  }

  private static String order(String domain, String extraFields) {
    return "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\""
        + domain
        + "\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}"
        + extraFields
        + "]}";
  }

  private static Set<Integer> allIds(SchemaHttp http) {
    Set<Integer> ids = new HashSet<>();
    for (JsonNode schema : http.get("/schemas?deleted=true").json()) {
      ids.add(schema.get("id").asInt());
    }
    return ids;
  }

  @Test
  void shouldKeepIdsAndAllocateFreshOnesAfterANewApplicationId(KafkaBroker broker)
      throws Exception {
    Path stateDir = Files.createTempDirectory("validator-new-app-id-it");
    validator =
        SchemaServices.validator(broker, stateDir.resolve("v1"), KafkaBroker.unique("validator"));
    registry =
        SchemaServices.registry(
            broker, stateDir.resolve("r"), KafkaBroker.unique("registry"), Map.of());
    var http = new SchemaHttp(SchemaServices.url(registry));
    String domain = SchemaServices.uniqueDomain();
    String orders = domain + ".orders-value";
    String customers = domain + ".customers-value";
    String v1 = order(domain, "");
    String v2 = order(domain, ",{\"name\":\"note\",\"type\":\"string\",\"default\":\"\"}");
    String v3 = order(domain, ",{\"name\":\"channel\",\"type\":\"string\",\"default\":\"web\"}");
    String customer =
        "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\""
            + domain
            + "\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
    int id1 = http.register(orders, v1).json().get("id").asInt();
    int id2 = http.register(orders, v2).json().get("id").asInt();
    int customerId = http.register(customers, customer).json().get("id").asInt();
    assertThat(http.delete("/subjects/" + orders + "/versions/2").status()).isEqualTo(200);
    Set<Integer> idsBefore = allIds(http);
    assertThat(idsBefore).contains(id1, id2, customerId);

    validator.close();
    validator =
        SchemaServices.validator(broker, stateDir.resolve("v2"), KafkaBroker.unique("validator"));
    var same = http.register(customers, customer);
    var fresh = http.register(orders, v3);
    var v1Again = http.register(orders, v1);

    assertThat(same.status()).as("%s", same).isEqualTo(200);
    assertThat(same.json().get("id").asInt()).isEqualTo(customerId);
    assertThat(fresh.status()).as("%s", fresh).isEqualTo(200);
    int freshId = fresh.json().get("id").asInt();
    assertThat(freshId).isGreaterThan(idsBefore.stream().mapToInt(i -> i).max().orElseThrow());
    assertThat(v1Again.json().get("id").asInt()).isEqualTo(id1);
    // Version 2 stays soft-deleted: the first validator's proposals were not decided again (a
    // replayed registration of v2 would have made it version 3, and v3 version 4).
    assertThat(http.get("/subjects/" + orders + "/versions").json().toString()).isEqualTo("[1,3]");
    assertThat(http.get("/subjects/" + orders + "/versions/3").json().get("id").asInt())
        .isEqualTo(freshId);
    assertThat(http.get("/schemas/ids/" + freshId).json().get("schema").asText())
        .contains("channel");
  }
}
