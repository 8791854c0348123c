package dev.meshbone.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.avro.Schema;

/**
 * The meshbone data rules of one contract version, read from Confluent's {@code ruleSet} JSON,
 * which the registry keeps verbatim beside the schema.
 *
 * <p>A mesh rule is a Confluent domain rule of type {@code MESH}, so the rule set stays readable by
 * Confluent clients (which skip it when its {@code onFailure} is {@code NONE}, what the registry
 * gives a MESH rule that names none: {@link #withClientFailureActions}):
 *
 * <pre>{@code
 * {"domainRules": [
 *   {"name": "amount-range", "kind": "CONDITION", "mode": "WRITE", "type": "MESH",
 *    "params": {"field": "order.amount", "min": "0", "max": "10000"}},
 *   {"name": "currency-known", "kind": "CONDITION", "mode": "WRITE", "type": "MESH",
 *    "params": {"field": "order.currency", "required": "true", "allowed": "EUR,USD,GBP"}}
 * ]}
 * }</pre>
 *
 * <p>Parameters (all JSON strings, as Confluent's {@code params} map requires): {@code field} (the
 * dot-separated path, required), {@code required} ({@code true}/{@code false}), {@code min}, {@code
 * max} (decimal numbers, inclusive), {@code pattern} (a Java regex the whole value must match),
 * {@code allowed} (comma-separated, or a JSON array in the string when a value holds a comma),
 * {@code minLength}, {@code maxLength}. A rule needs at least one constraint; see {@link DataRule}
 * for what each means on a record. {@code kind} is {@code CONDITION} (the default), {@code mode}
 * {@code WRITE} (the default) or {@code WRITEREAD}; {@code "disabled": true} switches a rule off.
 *
 * <p>Rules of other types (Confluent's {@code CEL}, {@code CEL_FIELD}, {@code JSONATA}, encryption
 * rules...) and migration or encoding rules are not meshbone's: they are kept, listed by {@link
 * #ignored()}, and never checked by contract-validator.
 */
public final class DataRules {
  /** The rule type that marks a Confluent domain rule as meshbone's. */
  public static final String MESH_TYPE = "MESH";

  /** No rules: what an absent or empty rule set parses to. */
  public static final DataRules NONE = new DataRules(List.of(), List.of());

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Set<String> PARAMS =
      Set.of("field", "required", "min", "max", "pattern", "allowed", "minLength", "maxLength");

  private final List<DataRule> rules;
  private final List<String> ignored;

  private DataRules(List<DataRule> rules, List<String> ignored) {
    this.rules = List.copyOf(rules);
    this.ignored = List.copyOf(ignored);
  }

  /** The mesh rules, in rule-set order (the order violations are reported in). */
  public List<DataRule> rules() {
    return rules;
  }

  /**
   * The rules that are not meshbone's, each as {@code name (type)}; contract-validator does not
   * check them.
   */
  public List<String> ignored() {
    return ignored;
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /**
   * Reads the mesh rules from Confluent {@code ruleSet} JSON; null or blank text has no rules.
   *
   * @throws InvalidRuleException listing every problem, each naming its rule
   */
  public static DataRules parse(String ruleSetJson) {
    if (ruleSetJson == null || ruleSetJson.isBlank()) {
      return NONE;
    }
    JsonNode root;
    try {
      root = JSON.readTree(ruleSetJson);
    } catch (JsonProcessingException e) {
      var where = e.getLocation();
      throw new InvalidRuleException(
          "ruleSet is not valid JSON: "
              + e.getOriginalMessage()
              + (where == null
                  ? ""
                  : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")"));
    }
    if (root == null || root.isNull() || root.isMissingNode()) {
      return NONE;
    }
    if (!root.isObject()) {
      throw new InvalidRuleException(
          "ruleSet must be a JSON object with domainRules, migrationRules or encodingRules, not "
              + root.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    var problems = new ArrayList<String>();
    var ignored = new ArrayList<String>();
    for (String other : List.of("migrationRules", "encodingRules")) {
      JsonNode list = root.get(other);
      if (list == null || list.isNull()) {
        continue;
      }
      if (!list.isArray()) {
        problems.add("ruleSet." + other + " must be an array");
        continue;
      }
      for (JsonNode rule : list) {
        String type = text(rule, "type");
        if (MESH_TYPE.equalsIgnoreCase(type)) {
          problems.add(
              label(rule, other, -1)
                  + " is a MESH rule in "
                  + other
                  + "; mesh rules check records and belong in domainRules");
        } else {
          ignored.add(text(rule, "name") + " (" + type + ", " + other + ")");
        }
      }
    }

    var rules = new ArrayList<DataRule>();
    JsonNode domain = root.get("domainRules");
    if (domain != null && !domain.isNull()) {
      if (!domain.isArray()) {
        problems.add("ruleSet.domainRules must be an array of rules");
      } else {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < domain.size(); i++) {
          JsonNode rule = domain.get(i);
          String label = label(rule, "domainRules", i);
          if (!rule.isObject()) {
            problems.add(label + " must be a JSON object");
            continue;
          }
          String name = text(rule, "name");
          if (name == null || name.isBlank()) {
            problems.add(label + " has no name; every rule needs one");
            continue;
          }
          if (!names.add(name)) {
            problems.add(label + ": the name is used by an earlier rule; names must be unique");
          }
          String type = text(rule, "type");
          if (type == null || type.isBlank()) {
            problems.add(label + " has no type; mesh rules have \"type\": \"MESH\"");
            continue;
          }
          if (!MESH_TYPE.equalsIgnoreCase(type)) {
            ignored.add(name + " (" + type + ")");
            continue;
          }
          DataRule parsed = parseMeshRule(rule, name, label, problems);
          JsonNode disabled = rule.get("disabled");
          if (disabled != null && disabled.asBoolean(false)) {
            ignored.add(name + " (MESH, disabled)");
          } else if (parsed != null) {
            rules.add(parsed);
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidRuleException(problems);
    }
    return rules.isEmpty() && ignored.isEmpty() ? NONE : new DataRules(rules, ignored);
  }

  /**
   * The rule set as the registry keeps and serves it: every MESH domain rule that names no {@code
   * onFailure} gets {@code "onFailure": "NONE"}. Confluent's serializers and deserializers run a
   * rule's {@code onFailure} action when they have no executor for its type, and that action is
   * {@code ERROR} when none is named: a stock client configured with {@code use.latest.version} or
   * {@code use.schema.id} could not write at all on a contract with a MESH rule. {@code NONE} tells
   * a client to go on; contract-validator enforces the rule (it does not read {@code onFailure}),
   * and a client that registers a MESH executor can override the action for the type. A rule that
   * names its own {@code onFailure} keeps it. Text that is not a JSON object, or has nothing to
   * add, is returned unchanged.
   */
  public static String withClientFailureActions(String ruleSetJson) {
    if (ruleSetJson == null || ruleSetJson.isBlank()) {
      return ruleSetJson;
    }
    JsonNode root;
    try {
      root = JSON.readTree(ruleSetJson);
    } catch (JsonProcessingException e) {
      return ruleSetJson; // the parse that decides reports it
    }
    if (root == null || !root.isObject() || !root.path("domainRules").isArray()) {
      return ruleSetJson;
    }
    boolean changed = false;
    for (JsonNode rule : root.get("domainRules")) {
      if (rule.isObject()
          && MESH_TYPE.equalsIgnoreCase(text(rule, "type"))
          && !rule.hasNonNull("onFailure")) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) rule).put("onFailure", "NONE");
        changed = true;
      }
    }
    if (!changed) {
      return ruleSetJson;
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed rule set writes back", e);
    }
  }

  /**
   * Reads the mesh rules of one contract version and checks that they apply to its schema: the one
   * parse behind both the registry's refusal of a bad rule set (at registration) and
   * contract-validator's compiled rules (per record), so the two never disagree.
   *
   * @throws InvalidRuleException listing every problem of {@link #parse(String)} or, when the rules
   *     themselves parse, of {@link #problemsWith(Schema)}
   */
  public static DataRules parse(String ruleSetJson, Schema schema) {
    DataRules rules = parse(ruleSetJson);
    rules.requireApplicableTo(schema);
    return rules;
  }

  private static DataRule parseMeshRule(
      JsonNode rule, String name, String label, List<String> problems) {
    int before = problems.size();
    String kind = text(rule, "kind");
    if (kind != null && !kind.equalsIgnoreCase("CONDITION")) {
      problems.add(label + ": kind " + kind + " is not supported; mesh rules are CONDITION rules");
    }
    String mode = text(rule, "mode");
    if (mode != null && !mode.equalsIgnoreCase("WRITE") && !mode.equalsIgnoreCase("WRITEREAD")) {
      problems.add(
          label
              + ": mode "
              + mode
              + " is not supported; mesh rules check records as they are written (WRITE or"
              + " WRITEREAD)");
    }
    JsonNode params = rule.get("params");
    if (params == null || !params.isObject()) {
      problems.add(label + " needs params with at least \"field\" and one constraint");
      return null;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
      var entry = it.next();
      if (!entry.getValue().isTextual()) {
        problems.add(
            label
                + ": param "
                + entry.getKey()
                + " must be a JSON string (Confluent clients read params as strings), e.g. \""
                + entry.getValue().asText()
                + "\"");
      }
      if (!PARAMS.contains(entry.getKey())) {
        problems.add(
            label + ": unknown param " + entry.getKey() + "; known params are " + sorted(PARAMS));
      }
    }
    String field = text(params, "field");
    if (field == null || field.isBlank()) {
      problems.add(label + " has no field param: the path of the field it checks, e.g. a.b");
    } else {
      for (String part : field.split("\\.", -1)) {
        if (!FIELD_NAME.matcher(part).matches()) {
          problems.add(
              label
                  + ": field \""
                  + field
                  + "\" is not a path of Avro field names separated by dots");
          break;
        }
      }
    }

    boolean required = false;
    String requiredText = text(params, "required");
    if (requiredText != null) {
      if (requiredText.equalsIgnoreCase("true")) {
        required = true;
      } else if (!requiredText.equalsIgnoreCase("false")) {
        problems.add(
            label + ": required must be \"true\" or \"false\", not \"" + requiredText + "\"");
      }
    }
    BigDecimal min = number(params, "min", label, problems);
    BigDecimal max = number(params, "max", label, problems);
    if (min != null && max != null && min.compareTo(max) > 0) {
      problems.add(label + ": min " + min.toPlainString() + " is above max " + max.toPlainString());
    }
    Pattern pattern = null;
    String patternText = text(params, "pattern");
    if (patternText != null) {
      try {
        pattern = Pattern.compile(patternText);
      } catch (PatternSyntaxException e) {
        problems.add(label + ": pattern is not a valid regular expression: " + e.getDescription());
      }
    }
    List<String> allowed = allowed(params, label, problems);
    Integer minLength = length(params, "minLength", label, problems);
    Integer maxLength = length(params, "maxLength", label, problems);
    if (minLength != null && maxLength != null && minLength > maxLength) {
      problems.add(label + ": minLength " + minLength + " is above maxLength " + maxLength);
    }
    if (!required
        && min == null
        && max == null
        && patternText == null
        && params.get("allowed") == null
        && params.get("minLength") == null
        && params.get("maxLength") == null) {
      problems.add(
          label
              + " has no constraint; give required, min, max, pattern, allowed, minLength or"
              + " maxLength");
    }
    if (problems.size() > before) {
      return null;
    }
    return new DataRule(name, field, required, min, max, pattern, allowed, minLength, maxLength);
  }

  /**
   * What is wrong with these rules on records of {@code schema}: a path naming a field the schema
   * lacks, a constraint that fits none of the types found at its path (a pattern on a number, an
   * allowed enum symbol the enum lacks...). Empty when every rule applies.
   */
  public List<String> problemsWith(Schema schema) {
    var problems = new ArrayList<String>();
    for (DataRule rule : rules) {
      problems.addAll(RuleTargets.problems(rule, schema));
    }
    return problems;
  }

  /**
   * Checks that every rule applies to records of {@code schema}.
   *
   * @throws InvalidRuleException listing {@link #problemsWith(Schema)}
   */
  public void requireApplicableTo(Schema schema) {
    var problems = problemsWith(schema);
    if (!problems.isEmpty()) {
      throw new InvalidRuleException(problems);
    }
  }

  @Override
  public String toString() {
    return "DataRules" + rules + (ignored.isEmpty() ? "" : " ignoring " + ignored);
  }

  private static List<String> allowed(JsonNode params, String label, List<String> problems) {
    String text = text(params, "allowed");
    if (text == null) {
      return null;
    }
    var values = new ArrayList<String>();
    String trimmed = text.trim();
    if (trimmed.startsWith("[")) {
      try {
        JsonNode array = JSON.readTree(trimmed);
        for (JsonNode v : array) {
          if (!v.isValueNode() || v.isNull()) {
            problems.add(label + ": allowed must be a JSON array of strings or numbers");
            return null;
          }
          values.add(v.asText());
        }
      } catch (JsonProcessingException e) {
        problems.add(
            label + ": allowed starts with [ but is not a JSON array: " + e.getOriginalMessage());
        return null;
      }
    } else {
      for (String v : trimmed.split(",", -1)) {
        values.add(v.trim());
      }
    }
    if (values.isEmpty() || values.stream().anyMatch(String::isEmpty)) {
      problems.add(
          label + ": allowed has an empty value; list values separated by commas, e.g. \"A,B,C\"");
      return null;
    }
    return List.copyOf(new LinkedHashSet<>(values));
  }

  private static BigDecimal number(
      JsonNode params, String param, String label, List<String> problems) {
    String text = text(params, param);
    if (text == null) {
      return null;
    }
    try {
      return new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      problems.add(label + ": " + param + " \"" + text + "\" is not a decimal number");
      return null;
    }
  }

  private static Integer length(
      JsonNode params, String param, String label, List<String> problems) {
    String text = text(params, param);
    if (text == null) {
      return null;
    }
    try {
      int value = Integer.parseInt(text.trim());
      if (value < 0) {
        problems.add(label + ": " + param + " must not be negative");
        return null;
      }
      return value;
    } catch (NumberFormatException e) {
      problems.add(label + ": " + param + " \"" + text + "\" is not a whole number");
      return null;
    }
  }

  private static String text(JsonNode node, String field) {
    if (node == null || !node.isObject()) {
      return null;
    }
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static String label(JsonNode rule, String list, int index) {
    String name = text(rule, "name");
    if (name != null && !name.isBlank()) {
      return "rule \"" + name + "\"";
    }
    return index < 0 ? "a rule in " + list : list + "[" + index + "]";
  }

  private static List<String> sorted(Set<String> set) {
    return set.stream().sorted().toList();
  }
}
