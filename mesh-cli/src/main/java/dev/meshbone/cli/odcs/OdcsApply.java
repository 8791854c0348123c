package dev.meshbone.cli.odcs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshbone.cli.Api;
import dev.meshbone.cli.CliException;
import dev.meshbone.cli.Declarations;
import dev.meshbone.cli.Output;
import dev.meshbone.cli.Progress;
import dev.meshbone.cli.commands.ContractCommands;
import dev.meshbone.client.DataProduct;
import dev.meshbone.client.MeshClient;
import dev.meshbone.contracts.AvroContracts;
import dev.meshbone.contracts.InvalidContractException;
import dev.meshbone.contracts.Subjects;
import dev.meshbone.rules.DataRules;
import dev.meshbone.rules.InvalidRuleException;
import dev.meshbone.topics.InvalidNameException;
import dev.meshbone.topics.Names;
import dev.meshbone.topics.ProductId;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.avro.Schema;

/**
 * An ODCS v3 data contract mapped onto meshbone (docs/odcs.md has the table): the product
 * declaration, the Avro contract with its MESH rules, the SLOs. Every element is either mapped or
 * named in {@link Mapped#unmapped()}; nothing is dropped silently.
 */
public final class OdcsApply {
  static final String NS = "meshbone.";
  private static final Set<String> AVRO_PRIMITIVES =
      Set.of("string", "int", "long", "float", "double", "boolean", "bytes");
  private static final Map<String, String[]> AVRO_LOGICAL =
      Map.of(
          "timestamp-millis", new String[] {"long", "timestamp-millis"},
          "timestamp-micros", new String[] {"long", "timestamp-micros"},
          "local-timestamp-millis", new String[] {"long", "local-timestamp-millis"},
          "date", new String[] {"int", "date"},
          "time-millis", new String[] {"int", "time-millis"},
          "time-micros", new String[] {"long", "time-micros"},
          "uuid", new String[] {"string", "uuid"});

  private OdcsApply() {}

  /** What the contract maps to. */
  public record Mapped(
      ProductId id,
      ObjectNode declaration,
      Schema schema,
      String ruleSet,
      String status,
      List<String> unmapped) {
    /**
     * Refuses the contract of {@code source} if it has elements with no meshbone meaning, naming
     * them; with {@code lenient}, returns the warning to show instead (null when there are none).
     */
    public String checkUnmapped(String source, boolean lenient) {
      if (unmapped.isEmpty()) {
        return null;
      }
      if (!lenient) {
        throw CliException.badInput(
            source
                + ": elements with no meshbone meaning: "
                + String.join(", ", unmapped)
                + " (remove them, or --lenient to apply the rest with a warning)");
      }
      return "not applied, no meshbone meaning: " + String.join(", ", unmapped);
    }

    public ObjectNode describe() {
      ObjectNode d = Output.object();
      d.put("product", id.toString());
      d.set("declaration", declaration);
      d.put("schema", schema.toString());
      d.set(
          "ruleSet", ruleSet == null ? null : dev.meshbone.cli.Inputs.parseJson(ruleSet, "rules"));
      ArrayNode u = d.putArray("unmapped");
      unmapped.forEach(u::add);
      return d;
    }
  }

  private final List<String> unmapped = new ArrayList<>();
  private final List<ObjectNode> rules = new ArrayList<>();
  private final ObjectNode slos = Output.object();
  private final ObjectNode properties = Output.object();

  public static Mapped map(
      JsonNode doc, String source, String domainFlag, String productFlag, String ownerFlag) {
    return new OdcsApply().read(doc, source, domainFlag, productFlag, ownerFlag);
  }

  private Mapped read(
      JsonNode doc, String source, String domainFlag, String productFlag, String ownerFlag) {
    if (!doc.isObject()) {
      throw CliException.badInput(
          source + ": an ODCS contract is a YAML map (apiVersion, kind, id, schema...)");
    }
    String kind = doc.path("kind").asText("DataContract");
    if (!kind.equals("DataContract")) {
      throw CliException.badInput(source + ": kind is " + kind + ", not DataContract");
    }
    String api = doc.path("apiVersion").asText("");
    if (!api.startsWith("v3.")) {
      throw CliException.badInput(
          source
              + ": apiVersion "
              + (api.isEmpty() ? "is missing" : api + " is not supported")
              + "; meshbone reads ODCS v3.x");
    }
    ObjectNode decl = Output.object();
    String domain = doc.hasNonNull("domain") ? doc.get("domain").asText() : domainFlag;
    if (domain == null) {
      throw CliException.badInput(
          source + ": the contract names no domain: add domain: <your-domain>, or give --domain");
    }
    JsonNode schemas = doc.path("schema");
    if (!schemas.isArray() || schemas.size() != 1) {
      throw CliException.badInput(
          source
              + ": schema must hold exactly one object (one product, one record contract); it has "
              + (schemas.isArray() ? schemas.size() : 0));
    }
    JsonNode object = schemas.get(0);
    String product = doc.hasNonNull("dataProduct") ? doc.get("dataProduct").asText() : productFlag;
    if (product == null && object.hasNonNull("physicalName")) {
      String physical = object.get("physicalName").asText();
      product =
          physical.startsWith(domain + ".") ? physical.substring(domain.length() + 1) : physical;
    }
    if (product == null) {
      product = doc.path("id").asText(null);
    }
    ProductId id;
    try {
      id =
          new ProductId(
              Names.requireDomain(domain), Names.requireProduct(product == null ? "" : product));
    } catch (InvalidNameException e) {
      throw CliException.badInput(
          source
              + ": the product is named by dataProduct (or schema[0].physicalName): "
              + e.getMessage());
    }
    decl.put("id", id.toString());
    for (var it = doc.fields(); it.hasNext(); ) {
      var e = it.next();
      String key = e.getKey();
      JsonNode v = e.getValue();
      switch (key) {
        case "apiVersion", "kind", "domain", "dataProduct", "schema" -> {}
        // Kept only when they say more than the product id and contract version say already.
        case "id" -> {
          if (!v.asText().equals(id.toString())) {
            properties.put("odcs.id", v.asText());
          }
        }
        case "version" -> {
          if (!v.asText().matches("[0-9]+\\.0\\.0")) {
            properties.put("odcs.version", v.asText());
          }
        }
        case "name" -> decl.put("name", v.asText());
        case "status" -> {}
        case "tags" -> decl.set("tags", v);
        case "description" -> description(v, decl);
        case "team" -> team(v, decl);
        case "slaProperties" -> sla(v);
        case "customProperties" -> custom(v, decl);
        default -> unmapped.add(key);
      }
    }
    String status = doc.path("status").asText("active");
    if (!status.equals("active") && !status.equals("deprecated") && !status.equals("retired")) {
      properties.put("odcs.status", status);
    }
    String recordName = object.path("name").asText(null);
    Schema schema = schema(object, id, recordName);
    if (!slos.isEmpty()) {
      decl.set("slos", slos);
    }
    if (!properties.isEmpty()) {
      decl.set("properties", properties);
    }
    if (!decl.has("owner") && ownerFlag != null) {
      decl.putObject("owner").put("team", ownerFlag);
    }
    if (!decl.has("owner")) {
      throw CliException.badInput(
          source
              + ": the contract names no owner: add team: {name: <team>}, or give --owner TEAM"
              + (unmapped.isEmpty()
                  ? ""
                  : "; no meshbone meaning: " + String.join(", ", unmapped)));
    }
    String ruleSet = null;
    if (!rules.isEmpty()) {
      order(doc);
      ObjectNode rs = Output.object();
      ArrayNode domainRules = rs.putArray("domainRules");
      rules.forEach(domainRules::add);
      ruleSet = rs.toString();
      try {
        DataRules.parse(ruleSet, schema);
      } catch (InvalidRuleException e) {
        throw CliException.badInput(
            source + ": the rules do not fit the schema: " + String.join("; ", e.problems()));
      }
    }
    return new Mapped(id, decl, schema, ruleSet, status, List.copyOf(unmapped));
  }

  /** Rules in the order the contract's meshbone.ruleOrder names (an export writes it). */
  private void order(JsonNode doc) {
    List<String> order = new ArrayList<>();
    for (JsonNode c : doc.path("customProperties")) {
      if ((NS + "ruleOrder").equals(c.path("property").asText())) {
        c.path("value").forEach(n -> order.add(n.asText()));
      }
    }
    if (order.isEmpty()) {
      return;
    }
    rules.sort(
        java.util.Comparator.comparingInt(
            r -> {
              int i = order.indexOf(r.path("name").asText());
              return i < 0 ? Integer.MAX_VALUE : i;
            }));
  }

  private void description(JsonNode v, ObjectNode decl) {
    if (v.isTextual()) {
      decl.put("description", v.asText());
      return;
    }
    for (var it = v.fields(); it.hasNext(); ) {
      var e = it.next();
      switch (e.getKey()) {
        case "purpose" -> decl.put("description", e.getValue().asText());
        case "usage" -> properties.put("odcs.usage", e.getValue().asText());
        case "limitations" -> properties.put("odcs.limitations", e.getValue().asText());
        default -> unmapped.add("description." + e.getKey());
      }
    }
  }

  private void team(JsonNode v, ObjectNode decl) {
    JsonNode members = v.isArray() ? v : v.path("members");
    String name = v.isObject() ? v.path("name").asText(null) : null;
    if (v.isObject()) {
      v.fieldNames()
          .forEachRemaining(
              k -> {
                if (!k.equals("name") && !k.equals("members")) {
                  unmapped.add("team." + k);
                }
              });
    }
    String contact = null;
    int used = -1;
    for (int i = 0; i < members.size(); i++) {
      if ("owner".equalsIgnoreCase(members.get(i).path("role").asText())) {
        used = i;
        break;
      }
    }
    if (used < 0 && members.size() > 0) {
      used = 0;
    }
    for (int i = 0; i < members.size(); i++) {
      JsonNode m = members.get(i);
      if (i == used) {
        contact = m.path("username").asText(null);
        final int index = i;
        m.fieldNames()
            .forEachRemaining(
                k -> {
                  if (!k.equals("username") && !k.equals("role")) {
                    unmapped.add("team.members[" + index + "]." + k);
                  }
                });
      } else {
        unmapped.add("team.members[" + i + "]");
      }
    }
    if (name == null) {
      name = contact;
    }
    if (name != null) {
      ObjectNode owner = decl.putObject("owner");
      owner.put("team", name);
      if (contact != null) {
        owner.put("contact", contact);
      }
    }
  }

  private void sla(JsonNode list) {
    for (int i = 0; i < list.size(); i++) {
      JsonNode p = list.get(i);
      String property = p.path("property").asText();
      String where = "slaProperties[" + i + "] (" + property + ")";
      JsonNode value = p.path("value");
      switch (property) {
        case "latency", "freshness" ->
            slos.put(
                "maxStaleness",
                Declarations.format(duration(value, p.path("unit").asText("ms"), where)));
        case "passRate" -> slos.put("minPassRate", rate(value, p, where));
        case "rejectionRate" -> slos.put("maxRejectionRate", rate(value, p, where));
        case "volume" -> slos.put("minVolume", value.asLong());
        case "volumeWindow" ->
            slos.put(
                "volumeWindow",
                Declarations.format(duration(value, p.path("unit").asText("ms"), where)));
        default -> {
          unmapped.add(where);
          continue;
        }
      }
      p.fieldNames()
          .forEachRemaining(
              k -> {
                if (!List.of("property", "value", "unit").contains(k)) {
                  unmapped.add(where + "." + k);
                }
              });
    }
  }

  private static double rate(JsonNode value, JsonNode p, String where) {
    double v = value.asDouble(Double.NaN);
    if ("percent".equalsIgnoreCase(p.path("unit").asText())
        || "%".equals(p.path("unit").asText())) {
      v = v / 100;
    }
    if (Double.isNaN(v) || v < 0 || v > 1) {
      throw CliException.badInput(
          where + ": a rate between 0 and 1 (or a percent with unit: percent)");
    }
    return v;
  }

  static java.time.Duration duration(JsonNode value, String unit, String where) {
    long n = value.asLong(-1);
    if (n < 0 || !value.isNumber() && !value.asText().matches("[0-9]+")) {
      throw CliException.badInput(where + ": value must be a whole number of " + unit);
    }
    return switch (unit.toLowerCase(Locale.ROOT)) {
      case "ms", "millisecond", "milliseconds" -> java.time.Duration.ofMillis(n);
      case "s", "sec", "second", "seconds" -> java.time.Duration.ofSeconds(n);
      case "m", "min", "minute", "minutes" -> java.time.Duration.ofMinutes(n);
      case "h", "hr", "hour", "hours" -> java.time.Duration.ofHours(n);
      case "d", "day", "days" -> java.time.Duration.ofDays(n);
      default -> throw CliException.badInput(where + ": unit " + unit + " is not ms, s, m, h or d");
    };
  }

  private void custom(JsonNode list, ObjectNode decl) {
    for (JsonNode c : list) {
      String property = c.path("property").asText();
      JsonNode value = c.path("value");
      switch (property) {
        case NS + "classification" -> decl.put("classification", value.asText());
        case NS + "subscriptionPolicy" -> decl.put("subscriptionPolicy", value.asText());
        case NS + "inputs" -> decl.set("inputs", value);
        case NS + "glossaryTerms" -> decl.set("glossaryTerms", value);
        case NS + "ruleOrder" -> {}
        default -> {
          if (property.startsWith(NS + "property.")) {
            properties.put(property.substring((NS + "property.").length()), value.asText());
          } else {
            properties.put(
                "odcs.custom." + property, value.isTextual() ? value.asText() : value.toString());
          }
        }
      }
    }
  }

  private Schema schema(JsonNode object, ProductId id, String recordName) {
    String where = "schema[0]";
    String namespace = id.domain().replace('-', '_');
    String avroName = recordName;
    for (JsonNode c : object.path("customProperties")) {
      switch (c.path("property").asText()) {
        case "avroNamespace" -> namespace = c.path("value").asText();
        case "avroName" -> avroName = c.path("value").asText();
        default -> unmapped.add(where + ".customProperties." + c.path("property").asText());
      }
    }
    for (var it = object.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      switch (k) {
        case "name",
            "logicalType",
            "physicalName",
            "description",
            "properties",
            "quality",
            "customProperties" -> {}
        case "physicalType" -> {
          if (!object.get(k).asText().equalsIgnoreCase("topic")) {
            unmapped.add(
                where + ".physicalType (" + object.get(k).asText() + ": a product is a topic)");
          }
        }
        default -> unmapped.add(where + "." + k);
      }
    }
    for (int i = 0; i < object.path("quality").size(); i++) {
      JsonNode q = object.path("quality").get(i);
      String qwhere = where + ".quality[" + i + "]";
      if ("rowCount".equals(q.path("metric").asText())) {
        if (q.has("mustBeGreaterOrEqualTo")) {
          slos.put("minVolume", q.get("mustBeGreaterOrEqualTo").asLong());
        } else if (q.has("mustBeGreaterThan")) {
          slos.put("minVolume", q.get("mustBeGreaterThan").asLong() + 1);
        } else {
          unmapped.add(qwhere + " (rowCount is a minimum volume: mustBeGreaterOrEqualTo N)");
        }
      } else if ("custom".equals(q.path("type").asText())
          && "meshbone".equals(q.path("engine").asText())) {
        rules.add(customRule(q, qwhere));
      } else {
        unmapped.add(qwhere + describeCheck(q));
      }
    }
    ObjectNode record = Output.object();
    record.put("type", "record");
    record.put("name", avroName == null ? "Record" : avroName);
    record.put("namespace", namespace);
    if (object.hasNonNull("description")) {
      record.put("doc", object.get("description").asText());
    }
    record.set("fields", fields(object.path("properties"), where, ""));
    try {
      return AvroContracts.parse(record.toString()).schema();
    } catch (InvalidContractException e) {
      throw CliException.badInput("the schema does not make an Avro record: " + e.getMessage());
    }
  }

  private static String describeCheck(JsonNode q) {
    String what =
        q.hasNonNull("metric") ? q.get("metric").asText() : q.path("type").asText("check");
    return " (" + what + (q.hasNonNull("name") ? " " + q.get("name").asText() : "") + ")";
  }

  private ArrayNode fields(JsonNode props, String where, String path) {
    ArrayNode fields = Output.JSON.createArrayNode();
    for (int i = 0; i < props.size(); i++) {
      JsonNode p = props.get(i);
      String pwhere = where + ".properties[" + i + "]";
      String name = p.path("name").asText(null);
      if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw CliException.badInput(pwhere + ": name '" + name + "' is not an Avro field name");
      }
      String fieldPath = path + name;
      ObjectNode field = fields.addObject();
      field.put("name", name);
      if (p.hasNonNull("description")) {
        field.put("doc", p.get("description").asText());
      }
      JsonNode avroType = null;
      JsonNode avroDefault = null;
      String ruleName = null;
      for (JsonNode c : p.path("customProperties")) {
        switch (c.path("property").asText()) {
          case "avroType" ->
              avroType =
                  c.path("value").isTextual()
                      ? dev.meshbone.cli.Inputs.parseJson(
                          c.path("value").asText(), pwhere + " avroType")
                      : c.path("value");
          case "avroDefault" -> avroDefault = c.path("value");
          case "meshRule" -> ruleName = c.path("value").asText();
          default -> unmapped.add(pwhere + ".customProperties." + c.path("property").asText());
        }
      }
      for (var it = p.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!List.of(
                "name",
                "description",
                "logicalType",
                "physicalType",
                "required",
                "logicalTypeOptions",
                "quality",
                "properties",
                "items",
                "customProperties")
            .contains(k)) {
          unmapped.add(pwhere + "." + k);
        }
      }
      JsonNode type = avroType != null ? avroType : type(p, pwhere, fieldPath, name);
      boolean required = p.path("required").asBoolean(false);
      if (avroType == null && !required) {
        ArrayNode union = Output.JSON.createArrayNode();
        union.add("null");
        union.add(type);
        field.set("type", union);
        field.putNull("default");
      } else {
        field.set("type", type);
      }
      if (avroDefault != null) {
        field.set("default", avroDefault);
      }
      rulesOf(p, pwhere, fieldPath, ruleName);
    }
    return fields;
  }

  private JsonNode type(JsonNode p, String where, String path, String name) {
    String logical = p.path("logicalType").asText("string");
    String physical = p.path("physicalType").asText("").toLowerCase(Locale.ROOT);
    if (logical.equals("object") || p.has("properties")) {
      ObjectNode record = Output.object();
      record.put("type", "record");
      record.put("name", Character.toUpperCase(name.charAt(0)) + name.substring(1));
      record.set("fields", fields(p.path("properties"), where, path + "."));
      return record;
    }
    if (logical.equals("array")) {
      ObjectNode array = Output.object();
      array.put("type", "array");
      JsonNode items = p.path("items");
      if (!items.isObject()) {
        throw CliException.badInput(where + ": an array needs items");
      }
      ObjectNode itemsCopy = ((ObjectNode) items).deepCopy();
      itemsCopy.put("name", name);
      array.set("items", type(itemsCopy, where + ".items", path, name));
      rulesOf(items, where + ".items", path, null);
      return array;
    }
    if (AVRO_PRIMITIVES.contains(physical)) {
      return Output.JSON.getNodeFactory().textNode(physical);
    }
    if (AVRO_LOGICAL.containsKey(physical)) {
      String[] t = AVRO_LOGICAL.get(physical);
      return Output.object().put("type", t[0]).put("logicalType", t[1]);
    }
    return switch (logical) {
      case "string" -> Output.JSON.getNodeFactory().textNode("string");
      case "integer" -> Output.JSON.getNodeFactory().textNode("long");
      case "number" -> Output.JSON.getNodeFactory().textNode("double");
      case "boolean" -> Output.JSON.getNodeFactory().textNode("boolean");
      case "date" -> Output.object().put("type", "int").put("logicalType", "date");
      case "timestamp" ->
          Output.object().put("type", "long").put("logicalType", "timestamp-millis");
      case "time" -> Output.object().put("type", "int").put("logicalType", "time-millis");
      default ->
          throw CliException.badInput(where + ": logicalType " + logical + " has no Avro type");
    };
  }

  private void rulesOf(JsonNode p, String where, String path, String ruleName) {
    JsonNode options = p.path("logicalTypeOptions");
    if (options.isObject() && !options.isEmpty()) {
      ObjectNode params = Output.object();
      params.put("field", path);
      for (var it = options.fields(); it.hasNext(); ) {
        var e = it.next();
        switch (e.getKey()) {
          case "pattern", "minLength", "maxLength" -> params.put(e.getKey(), e.getValue().asText());
          case "minimum" -> params.put("min", e.getValue().asText());
          case "maximum" -> params.put("max", e.getValue().asText());
          default -> unmapped.add(where + ".logicalTypeOptions." + e.getKey());
        }
      }
      if (params.size() > 1) {
        rules.add(meshRule(ruleName == null ? path : ruleName, params));
      }
    }
    JsonNode quality = p.path("quality");
    for (int i = 0; i < quality.size(); i++) {
      JsonNode q = quality.get(i);
      String qwhere = where + ".quality[" + i + "]";
      String metric = q.path("metric").asText(q.path("rule").asText(""));
      boolean zero =
          q.has("mustBe") && q.get("mustBe").isNumber() && q.get("mustBe").asDouble() == 0;
      String name = q.path("name").asText(path + "-" + metric);
      if ("custom".equals(q.path("type").asText())
          && "meshbone".equals(q.path("engine").asText())) {
        rules.add(customRule(q, qwhere));
        continue;
      }
      ObjectNode params = Output.object();
      params.put("field", path);
      if (metric.equals("nullValues") && zero) {
        params.put("required", "true");
      } else if (metric.equals("invalidValues") && zero && q.path("arguments").has("validValues")) {
        List<String> values = new ArrayList<>();
        boolean comma = false;
        for (JsonNode v : q.path("arguments").path("validValues")) {
          if (v.isNull()) {
            continue;
          }
          values.add(v.asText());
          comma |= v.asText().contains(",");
        }
        params.put(
            "allowed",
            comma ? Output.JSON.valueToTree(values).toString() : String.join(",", values));
      } else if (metric.equals("invalidValues") && zero && q.path("arguments").has("pattern")) {
        params.put("pattern", q.path("arguments").path("pattern").asText());
      } else {
        unmapped.add(
            qwhere
                + describeCheck(q)
                + (q.has("mustBe") && !zero || !q.has("mustBe")
                    ? " (meshbone rules hold for every record: mustBe: 0)"
                    : ""));
        continue;
      }
      q.fieldNames()
          .forEachRemaining(
              k -> {
                if (!List.of(
                        "name",
                        "metric",
                        "rule",
                        "mustBe",
                        "arguments",
                        "type",
                        "dimension",
                        "description",
                        "severity")
                    .contains(k)) {
                  unmapped.add(qwhere + "." + k);
                }
              });
      rules.add(meshRule(name, params));
    }
  }

  private static ObjectNode meshRule(String name, ObjectNode params) {
    ObjectNode rule = Output.object();
    rule.put("name", name);
    rule.put("kind", "CONDITION");
    rule.put("mode", "WRITE");
    rule.put("type", DataRules.MESH_TYPE);
    rule.set("params", params);
    return rule;
  }

  private static ObjectNode customRule(JsonNode q, String where) {
    JsonNode impl = q.path("implementation");
    JsonNode rule =
        impl.isTextual()
            ? dev.meshbone.cli.Inputs.parseJson(impl.asText(), where + ".implementation")
            : impl;
    if (!rule.isObject() || !rule.hasNonNull("name")) {
      throw CliException.badInput(
          where
              + ": a meshbone custom check's implementation is a Confluent rule (name, type, params)");
    }
    return (ObjectNode) rule;
  }

  // ---- applying ----

  /** Declares, registers and reports what changed; idempotent. */
  public static ObjectNode apply(Mapped m, Api api, Function<String, Progress> progress) {
    String acting = api.acting(m.id().domain());
    if (!acting.equals(m.id().domain())) {
      throw new CliException(
          CliException.DENIED,
          "domain "
              + acting
              + " cannot apply the contract of "
              + m.id()
              + ": it belongs to domain "
              + m.id().domain());
    }
    Api.Http http = api.registry(acting);
    var existing = http.answer("GET", "/products/" + Api.seg(m.id().toString()), null);
    long before = existing.ok() ? existing.body().path("lifecycle").path("version").asLong() : 0;
    String lifecycle =
        existing.ok() ? existing.body().path("lifecycle").path("status").asText() : "ACTIVE";
    if ((m.status().equals("deprecated") || m.status().equals("retired"))
        && !lifecycle.equalsIgnoreCase(m.status())) {
      throw CliException.badInput(
          "the contract says status "
              + m.status()
              + " but "
              + m.id()
              + " is "
              + lifecycle
              + ": use mesh product "
              + (m.status().equals("deprecated") ? "deprecate ID --sunset DATE" : "retire ID"));
    }
    var declared = Declarations.read(m.declaration(), "the contract");
    DataProduct product;
    try (MeshClient client = api.client(acting);
        Progress p = progress.apply("waiting for contract-validator's verdict on " + m.id())) {
      product = Api.sdk(() -> client.declare(declared.declaration()));
    }
    ContractCommands.Registered r;
    try (Progress p =
        progress.apply("waiting for contract-validator's decision on the contract of " + m.id())) {
      r = ContractCommands.register(http, Subjects.valueSubject(m.id()), m.schema(), m.ruleSet());
    }
    ObjectNode data = Output.object();
    data.put("product", m.id().toString());
    data.put("productVersion", product.version());
    data.put("productChanged", product.version() != before);
    data.put("subject", r.subject());
    data.put("contractVersion", r.version());
    data.put("schemaId", r.id());
    data.put("contractChanged", r.created());
    data.put(
        "rules",
        m.ruleSet() == null
            ? 0
            : dev.meshbone.cli.Inputs.parseJson(m.ruleSet(), "rules").path("domainRules").size());
    ArrayNode u = data.putArray("unmapped");
    m.unmapped().forEach(u::add);
    return data;
  }

  public static List<String> lines(ObjectNode data) {
    boolean changed =
        data.path("productChanged").asBoolean() || data.path("contractChanged").asBoolean();
    List<String> lines = new ArrayList<>();
    lines.add(
        (changed ? "applied " : "unchanged ")
            + data.path("product").asText()
            + ": product version "
            + data.path("productVersion").asText()
            + (data.path("productChanged").asBoolean() ? " (changed)" : "")
            + ", contract "
            + data.path("subject").asText()
            + " version "
            + data.path("contractVersion").asText()
            + " (schema id "
            + data.path("schemaId").asText()
            + (data.path("contractChanged").asBoolean() ? ", new" : "")
            + "), "
            + data.path("rules").asText()
            + " rules");
    return lines;
  }

  static String number(String text) {
    return new BigDecimal(text).toPlainString();
  }
}
