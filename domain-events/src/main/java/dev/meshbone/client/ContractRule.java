package dev.meshbone.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One data rule of a contract: contract-validator checks it on every record of the product and
 * sends a record that breaks it to the dead-letter topic, naming the rule and the field. Rules go
 * in the contract version's Confluent {@code ruleSet} as domain rules of type {@code MESH}, which
 * Confluent's own clients leave alone.
 *
 * <pre>{@code
 * ContractRule.named("age-in-range").field("age").min(18).max(100)
 * ContractRule.named("site-code").field("siteId").required().pattern("[A-Z]{2}-[0-9]{3}")
 * ContractRule.named("known-arm").field("arm").allowed("PLACEBO", "LOW_DOSE", "HIGH_DOSE")
 * }</pre>
 *
 * <p>{@code field} is a dot-separated path into the record ({@code address.country}). Immutable:
 * each method returns a new rule.
 */
public final class ContractRule {
  private final String name;
  private final Map<String, String> params;

  private ContractRule(String name, Map<String, String> params) {
    this.name = name;
    this.params = params;
  }

  /** A rule named {@code name} (unique within the contract, shown in dead-letter headers). */
  public static ContractRule named(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a contract rule needs a name");
    }
    return new ContractRule(name, new LinkedHashMap<>());
  }

  private ContractRule with(String key, String value) {
    var copy = new LinkedHashMap<>(params);
    copy.put(key, Objects.requireNonNull(value, key));
    return new ContractRule(name, copy);
  }

  /** The field the rule checks, a dot-separated path. */
  public ContractRule field(String path) {
    return with("field", path);
  }

  /** The field must be present and not null. */
  public ContractRule required() {
    return with("required", "true");
  }

  /** The lowest value allowed (inclusive). */
  public ContractRule min(Number min) {
    return with("min", new BigDecimal(min.toString()).toPlainString());
  }

  /** The highest value allowed (inclusive). */
  public ContractRule max(Number max) {
    return with("max", new BigDecimal(max.toString()).toPlainString());
  }

  /** A Java regular expression the whole text must match. */
  public ContractRule pattern(String regex) {
    return with("pattern", regex);
  }

  /** The values allowed. */
  public ContractRule allowed(String... values) {
    boolean comma = List.of(values).stream().anyMatch(v -> v.contains(","));
    if (!comma) {
      return with("allowed", String.join(",", values));
    }
    var array = JsonNodeFactory.instance.arrayNode();
    List.of(values).forEach(array::add);
    return with("allowed", array.toString());
  }

  public ContractRule minLength(int length) {
    return with("minLength", Integer.toString(length));
  }

  public ContractRule maxLength(int length) {
    return with("maxLength", Integer.toString(length));
  }

  public String name() {
    return name;
  }

  /** The rule's parameters as the rule set holds them (all strings). */
  public Map<String, String> params() {
    return Map.copyOf(params);
  }

  /** The Confluent domain rule this is. */
  ObjectNode toJson() {
    if (!params.containsKey("field")) {
      throw new IllegalStateException("contract rule '" + name + "' needs a field: .field(path)");
    }
    if (params.size() < 2) {
      throw new IllegalStateException(
          "contract rule '"
              + name
              + "' checks nothing: add required(), min, max, pattern, allowed or a length");
    }
    ObjectNode rule = JsonNodeFactory.instance.objectNode();
    rule.put("name", name);
    rule.put("kind", "CONDITION");
    rule.put("mode", "WRITE");
    rule.put("type", "MESH");
    ObjectNode p = rule.putObject("params");
    params.forEach(p::put);
    return rule;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ContractRule r && r.name.equals(name) && r.params.equals(params);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, params);
  }

  @Override
  public String toString() {
    return name + params;
  }
}
