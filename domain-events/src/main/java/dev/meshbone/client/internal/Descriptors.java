package dev.meshbone.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshbone.client.ProductDeclaration;
import dev.meshbone.client.Slos;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** A {@link ProductDeclaration} as the registry API's descriptor JSON, and comparing the two. */
public final class Descriptors {
  private Descriptors() {}

  public static ObjectNode toJson(ProductDeclaration d) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("name", d.name());
    json.put("description", d.description());
    ObjectNode owner = json.putObject("owner");
    owner.put("team", d.ownerTeam());
    owner.put("contact", d.ownerContact());
    d.tags().forEach(json.putArray("tags")::add);
    d.glossaryTerms().forEach(json.putArray("glossaryTerms")::add);
    json.put("classification", d.classification().name());
    Slos s = d.slos();
    if (s == null || isEmpty(s)) {
      json.putNull("slos");
    } else {
      ObjectNode slos = json.putObject("slos");
      slos.put("maxStalenessMs", s.maxStaleness() == null ? null : s.maxStaleness().toMillis());
      slos.put("minPassRate", s.minPassRate());
      slos.put("minVolume", s.minVolume());
      slos.put("volumeWindowMs", s.volumeWindow() == null ? null : s.volumeWindow().toMillis());
      slos.put("maxRejectionRate", s.maxRejectionRate());
    }
    d.inputs().forEach(json.putArray("inputs")::add);
    json.put("subscriptionPolicy", d.subscriptionPolicy().name());
    ObjectNode properties = json.putObject("properties");
    d.properties().forEach(properties::put);
    return json;
  }

  private static boolean isEmpty(Slos s) {
    return s.minPassRate() == null
        && s.maxStaleness() == null
        && s.minVolume() == null
        && s.volumeWindow() == null
        && s.maxRejectionRate() == null;
  }

  /**
   * Whether the registry's descriptor already says what {@code ours} says. The sunset date is left
   * out: deprecation sets it, and a declaration does not speak of it.
   */
  static boolean same(ObjectNode ours, JsonNode theirs) {
    if (theirs == null || theirs.isNull()) {
      return false;
    }
    return Objects.equals(text(ours, "name"), text(theirs, "name"))
        && Objects.equals(text(ours, "description"), text(theirs, "description"))
        && Objects.equals(text(ours.path("owner"), "team"), text(theirs.path("owner"), "team"))
        && Objects.equals(
            text(ours.path("owner"), "contact"), text(theirs.path("owner"), "contact"))
        && list(ours, "tags").equals(list(theirs, "tags"))
        && list(ours, "glossaryTerms").equals(list(theirs, "glossaryTerms"))
        && Objects.equals(text(ours, "classification"), text(theirs, "classification"))
        && slos(ours).equals(slos(theirs))
        && list(ours, "inputs").equals(list(theirs, "inputs"))
        && Objects.equals(text(ours, "subscriptionPolicy"), text(theirs, "subscriptionPolicy"))
        && map(ours, "properties").equals(map(theirs, "properties"))
        && text(theirs, "contractSubject") == null;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isNull() || v.isMissingNode() ? null : v.asText();
  }

  private static List<String> list(JsonNode node, String field) {
    List<String> values = new ArrayList<>();
    node.path(field).forEach(v -> values.add(v.asText()));
    return values;
  }

  private static Map<String, String> map(JsonNode node, String field) {
    Map<String, String> values = new TreeMap<>();
    node.path(field).fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
    return values;
  }

  private static List<Object> slos(JsonNode node) {
    JsonNode s = node.path("slos");
    List<Object> values = new ArrayList<>();
    for (String f :
        List.of(
            "maxStalenessMs", "minPassRate", "minVolume", "volumeWindowMs", "maxRejectionRate")) {
      JsonNode v = s.path(f);
      values.add(
          v.isNull() || v.isMissingNode()
              ? null
              : v.isNumber() ? v.decimalValue().stripTrailingZeros() : v.asText());
    }
    return values.stream().allMatch(Objects::isNull) ? List.of() : values;
  }
}
