package dev.meshbone.cli.odcs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshbone.cli.Api;
import dev.meshbone.cli.CliException;
import dev.meshbone.cli.Declarations;
import dev.meshbone.cli.MeshHttp;
import dev.meshbone.cli.Output;
import dev.meshbone.contracts.Subjects;
import dev.meshbone.rules.DataRules;
import dev.meshbone.topics.ProductId;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;

/**
 * A product and its latest contract as an ODCS v3.1.0 document, written so that applying it gives
 * the same product and contract back (docs/odcs.md). What ODCS cannot say (Avro defaults,
 * namespaces, types beyond its logical types) travels in customProperties meshbone reads back.
 */
public final class OdcsExport {
  private OdcsExport() {}

  public static ObjectNode export(Api.Http http, ProductId id) {
    JsonNode p = http.get("/products/" + Api.seg(id.toString()));
    JsonNode d = p.path("descriptor");
    String subject =
        d.hasNonNull("contractSubject")
            ? d.get("contractSubject").asText()
            : Subjects.valueSubject(id);
    MeshHttp.Answer latest =
        http.answer("GET", "/subjects/" + Api.seg(subject) + "/versions/latest", null);
    if (!latest.ok()) {
      throw CliException.notFound(
          id + " has no contract under " + subject + " to export: register one first");
    }
    JsonNode version = latest.body();
    Map<String, String> props = new LinkedHashMap<>();
    d.path("properties")
        .fields()
        .forEachRemaining(e -> props.put(e.getKey(), e.getValue().asText()));

    ObjectNode doc = Output.object();
    doc.put("apiVersion", "v3.1.0");
    doc.put("kind", "DataContract");
    doc.put("id", props.getOrDefault("odcs.id", id.toString()));
    doc.put(
        "version", props.getOrDefault("odcs.version", version.path("version").asText() + ".0.0"));
    String lifecycle = p.path("lifecycle").path("status").asText("ACTIVE");
    doc.put(
        "status",
        lifecycle.equals("DEPRECATED")
            ? "deprecated"
            : lifecycle.equals("RETIRED")
                ? "retired"
                : props.getOrDefault("odcs.status", "active"));
    doc.put("name", d.path("name").asText(id.product()));
    doc.put("domain", id.domain());
    doc.put("dataProduct", id.product());
    ObjectNode description = Output.object();
    if (d.hasNonNull("description")) {
      // The descriptor's description is the ODCS purpose.
    }
    putIf(
        description,
        "purpose",
        props.containsKey("odcs.purpose")
            ? props.get("odcs.purpose")
            : d.path("description").asText(null));
    putIf(description, "usage", props.get("odcs.usage"));
    putIf(description, "limitations", props.get("odcs.limitations"));
    if (!description.isEmpty()) {
      doc.set("description", description);
    }
    if (d.path("tags").size() > 0) {
      doc.set("tags", d.get("tags"));
    }
    ObjectNode team = doc.putObject("team");
    team.put("name", d.path("owner").path("team").asText());
    if (d.path("owner").hasNonNull("contact")) {
      team.putArray("members")
          .addObject()
          .put("username", d.path("owner").path("contact").asText())
          .put("role", "owner");
    }

    Schema schema = new Schema.Parser().parse(version.path("schema").asText());
    if (schema.getType() != Schema.Type.RECORD) {
      throw CliException.badInput(
          subject + " holds a " + schema.getType() + ", not a record: ODCS describes records");
    }
    ObjectNode object = doc.putArray("schema").addObject();
    object.put("name", schema.getName());
    object.put("physicalName", id.toString());
    object.put("physicalType", "topic");
    object.put("logicalType", "object");
    if (schema.getDoc() != null) {
      object.put("description", schema.getDoc());
    }
    ArrayNode objectCustom = Output.JSON.createArrayNode();
    objectCustom.addObject().put("property", "avroNamespace").put("value", schema.getNamespace());
    object.set("customProperties", objectCustom);
    Map<String, ObjectNode> byPath = new LinkedHashMap<>();
    object.set("properties", properties(schema, "", byPath));

    List<String> order = new ArrayList<>();
    ArrayNode objectQuality = Output.JSON.createArrayNode();
    for (JsonNode rule : version.path("ruleSet").path("domainRules")) {
      order.add(rule.path("name").asText());
      place((ObjectNode) rule, byPath, objectQuality);
    }
    for (String other : List.of("migrationRules", "encodingRules")) {
      if (version.path("ruleSet").path(other).size() > 0) {
        throw CliException.badInput(subject + " has " + other + ", which ODCS has no place for");
      }
    }
    JsonNode slos = d.path("slos");
    if (slos.hasNonNull("minVolume")) {
      objectQuality
          .addObject()
          .put("name", "min-volume")
          .put("metric", "rowCount")
          .put("mustBeGreaterOrEqualTo", slos.get("minVolume").asLong());
    }
    if (!objectQuality.isEmpty()) {
      object.set("quality", objectQuality);
    }
    ArrayNode sla = Output.JSON.createArrayNode();
    if (slos.hasNonNull("maxStalenessMs")) {
      sla.add(duration("latency", Duration.ofMillis(slos.get("maxStalenessMs").asLong())));
    }
    if (slos.hasNonNull("minPassRate")) {
      sla.addObject().put("property", "passRate").put("value", slos.get("minPassRate").asDouble());
    }
    if (slos.hasNonNull("maxRejectionRate")) {
      sla.addObject()
          .put("property", "rejectionRate")
          .put("value", slos.get("maxRejectionRate").asDouble());
    }
    if (slos.hasNonNull("volumeWindowMs")) {
      sla.add(duration("volumeWindow", Duration.ofMillis(slos.get("volumeWindowMs").asLong())));
    }
    if (!sla.isEmpty()) {
      doc.set("slaProperties", sla);
    }
    ArrayNode custom = Output.JSON.createArrayNode();
    if (d.hasNonNull("classification")) {
      custom
          .addObject()
          .put("property", OdcsApply.NS + "classification")
          .put("value", d.get("classification").asText());
    }
    if (d.hasNonNull("subscriptionPolicy")) {
      custom
          .addObject()
          .put("property", OdcsApply.NS + "subscriptionPolicy")
          .put("value", d.get("subscriptionPolicy").asText());
    }
    if (d.path("inputs").size() > 0) {
      custom.addObject().put("property", OdcsApply.NS + "inputs").set("value", d.get("inputs"));
    }
    if (d.path("glossaryTerms").size() > 0) {
      custom
          .addObject()
          .put("property", OdcsApply.NS + "glossaryTerms")
          .set("value", d.get("glossaryTerms"));
    }
    if (order.size() > 1) {
      ArrayNode names =
          custom.addObject().put("property", OdcsApply.NS + "ruleOrder").putArray("value");
      order.forEach(names::add);
    }
    props.forEach(
        (k, v) -> {
          if (k.startsWith("odcs.custom.")) {
            custom
                .addObject()
                .put("property", k.substring("odcs.custom.".length()))
                .put("value", v);
          } else if (!k.startsWith("odcs.")) {
            custom.addObject().put("property", OdcsApply.NS + "property." + k).put("value", v);
          }
        });
    if (!custom.isEmpty()) {
      doc.set("customProperties", custom);
    }
    return doc;
  }

  private static ObjectNode duration(String property, Duration d) {
    String text = Declarations.format(d);
    String unit = text.replaceAll("[0-9]", "");
    return Output.object()
        .put("property", property)
        .put("value", Long.parseLong(text.replaceAll("[^0-9]", "")))
        .put("unit", unit);
  }

  private static void putIf(ObjectNode node, String key, String value) {
    if (value != null && !value.isBlank()) {
      node.put(key, value);
    }
  }

  private static ArrayNode properties(Schema record, String path, Map<String, ObjectNode> byPath) {
    ArrayNode list = Output.JSON.createArrayNode();
    for (Schema.Field f : record.getFields()) {
      ObjectNode prop = list.addObject();
      prop.put("name", f.name());
      String fieldPath = path + f.name();
      byPath.put(fieldPath, prop);
      Schema type = f.schema();
      boolean optional = false;
      if (type.getType() == Schema.Type.UNION
          && type.getTypes().size() == 2
          && type.getTypes().get(0).getType() == Schema.Type.NULL
          && f.hasDefaultValue()
          && f.defaultVal() == org.apache.avro.JsonProperties.NULL_VALUE) {
        optional = true;
        type = type.getTypes().get(1);
      }
      boolean simple = describe(prop, type, fieldPath, byPath, f.name());
      if (!f.aliases().isEmpty()
          || !f.getObjectProps().isEmpty()
          || f.order() != Schema.Field.Order.ASCENDING) {
        simple = false;
      }
      if (simple && !optional && f.hasDefaultValue()) {
        addCustom(
            prop,
            "avroDefault",
            Output.JSON.valueToTree(
                org.apache.avro.util.internal.JacksonUtils.toJsonNode(f.defaultVal())));
      }
      if (!simple) {
        // What ODCS cannot say: the field's whole Avro type, which apply takes as it is.
        prop.remove(List.of("physicalType", "properties", "items"));
        prop.put("logicalType", logical(type));
        addCustom(prop, "avroType", Output.JSON.getNodeFactory().textNode(f.schema().toString()));
        if (f.hasDefaultValue()) {
          addCustom(
              prop,
              "avroDefault",
              Output.JSON.valueToTree(
                  org.apache.avro.util.internal.JacksonUtils.toJsonNode(f.defaultVal())));
        }
        optional = true; // apply does not wrap an avroType in a union
        prop.put("required", true);
      } else {
        prop.put("required", !optional);
      }
      if (f.doc() != null) {
        prop.put("description", f.doc());
      }
      if (!simple) {
        prop.put("required", false);
      }
    }
    return list;
  }

  /** Fills logicalType/physicalType (and nested properties); false when ODCS cannot say it. */
  private static boolean describe(
      ObjectNode prop, Schema type, String path, Map<String, ObjectNode> byPath, String name) {
    LogicalType lt = type.getLogicalType();
    switch (type.getType()) {
      case STRING, INT, LONG, FLOAT, DOUBLE, BOOLEAN, BYTES -> {
        if (lt != null
            && !Set.of(
                    "timestamp-millis",
                    "timestamp-micros",
                    "local-timestamp-millis",
                    "date",
                    "time-millis",
                    "time-micros",
                    "uuid")
                .contains(lt.getName())) {
          return false;
        }
        if (!type.getObjectProps().isEmpty() && lt == null) {
          return false;
        }
        prop.put("logicalType", logical(type));
        prop.put("physicalType", lt != null ? lt.getName() : type.getName());
        return true;
      }
      case RECORD -> {
        String expected = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        if (!type.getName().equals(expected) || type.getDoc() != null) {
          return false;
        }
        prop.put("logicalType", "object");
        prop.set("properties", properties(type, path + ".", byPath));
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private static String logical(Schema type) {
    LogicalType lt = type.getLogicalType();
    if (lt != null) {
      switch (lt.getName()) {
        case "date":
          return "date";
        case "time-millis":
        case "time-micros":
          return "time";
        case "timestamp-millis":
        case "timestamp-micros":
        case "local-timestamp-millis":
          return "timestamp";
        default:
          break;
      }
    }
    return switch (type.getType()) {
      case INT, LONG -> "integer";
      case FLOAT, DOUBLE -> "number";
      case BOOLEAN -> "boolean";
      case RECORD, MAP -> "object";
      case ARRAY -> "array";
      default -> "string";
    };
  }

  private static void addCustom(ObjectNode prop, String property, JsonNode value) {
    ArrayNode custom =
        prop.path("customProperties").isArray()
            ? (ArrayNode) prop.get("customProperties")
            : prop.putArray("customProperties");
    custom.addObject().put("property", property).set("value", value);
  }

  private static final Set<String> PLAIN_KEYS =
      Set.of("name", "kind", "mode", "type", "params", "onFailure");

  /** Puts one rule where apply will find it again. */
  private static void place(
      ObjectNode rule, Map<String, ObjectNode> byPath, ArrayNode objectQuality) {
    JsonNode params = rule.path("params");
    String field = params.path("field").asText(null);
    ObjectNode prop = field == null ? null : byPath.get(field);
    boolean plain =
        DataRules.MESH_TYPE.equals(rule.path("type").asText())
            && "CONDITION".equals(rule.path("kind").asText("CONDITION"))
            && "WRITE".equals(rule.path("mode").asText("WRITE"))
            && "NONE".equals(rule.path("onFailure").asText("NONE"))
            && iterable(rule).stream().allMatch(PLAIN_KEYS::contains)
            && prop != null
            && prop.path("customProperties").findValues("property").stream()
                .noneMatch(v -> v.asText().equals("avroType"));
    if (plain) {
      Set<String> keys = new java.util.HashSet<>(iterable(params));
      keys.remove("field");
      String logical = prop.path("logicalType").asText();
      Set<String> optionKeys =
          logical.equals("string")
              ? Set.of("pattern", "minLength", "maxLength")
              : Set.of("min", "max");
      if ((logical.equals("string") || logical.equals("integer") || logical.equals("number"))
          && optionKeys.containsAll(keys)
          && !prop.has("logicalTypeOptions")
          && !prop.has("quality")) {
        ObjectNode options = prop.putObject("logicalTypeOptions");
        for (String k : keys) {
          String v = params.get(k).asText();
          switch (k) {
            case "min" -> options.set("minimum", numberNode(v));
            case "max" -> options.set("maximum", numberNode(v));
            case "minLength", "maxLength" -> options.put(k, Integer.parseInt(v));
            default -> options.put(k, v);
          }
        }
        if (!rule.path("name").asText().equals(field)) {
          addCustom(
              prop, "meshRule", Output.JSON.getNodeFactory().textNode(rule.path("name").asText()));
        }
        return;
      }
      ArrayNode quality = prop.path("quality").isArray() ? (ArrayNode) prop.get("quality") : null;
      if (keys.equals(Set.of("required")) && params.path("required").asText().equals("true")) {
        (quality == null ? prop.putArray("quality") : quality)
            .addObject()
            .put("name", rule.path("name").asText())
            .put("metric", "nullValues")
            .put("mustBe", 0);
        return;
      }
      if (keys.equals(Set.of("allowed"))) {
        String allowed = params.path("allowed").asText();
        ArrayNode values = Output.JSON.createArrayNode();
        if (allowed.trim().startsWith("[")) {
          dev.meshbone.cli.Inputs.parseJson(allowed, "allowed").forEach(values::add);
        } else {
          for (String v : allowed.split(",", -1)) {
            values.add(v);
          }
        }
        if (!allowed.trim().startsWith("[") || values.toString().contains(",\"")) {
          ObjectNode check = (quality == null ? prop.putArray("quality") : quality).addObject();
          check
              .put("name", rule.path("name").asText())
              .put("metric", "invalidValues")
              .put("mustBe", 0);
          check.putObject("arguments").set("validValues", values);
          return;
        }
      }
    }
    ObjectNode custom = Output.object();
    custom.put("name", rule.path("name").asText());
    custom.put("type", "custom");
    custom.put("engine", "meshbone");
    custom.put("implementation", rule.toString());
    if (prop != null && plain) {
      (prop.path("quality").isArray() ? (ArrayNode) prop.get("quality") : prop.putArray("quality"))
          .add(custom);
    } else {
      objectQuality.add(custom);
    }
  }

  private static List<String> iterable(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode numberNode(String v) {
    BigDecimal d = new BigDecimal(v);
    return d.scale() <= 0
        ? Output.JSON.getNodeFactory().numberNode(d.longValueExact())
        : Output.JSON.getNodeFactory().numberNode(d);
  }
}
