package dev.meshbone.rules;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * One meshbone data rule: constraints on the value found at a field path of a record. Made only by
 * {@link DataRules#parse(String)}, so a rule in hand is well formed (its path is syntactically a
 * path, min &lt;= max, its pattern compiles, ...); whether it fits a given schema is {@link
 * DataRules#problemsWith(org.apache.avro.Schema)}'s question.
 *
 * <p>Semantics, as contract-validator applies them to each record:
 *
 * <ul>
 *   <li>{@code required}: the value at the path is present and not null; a null anywhere along the
 *       path (a nullable record left out) breaks it.
 *   <li>every other constraint holds for values that are present: a null value, or a null enclosing
 *       record, satisfies them (use {@code required} as well to forbid nulls).
 *   <li>{@code min} / {@code max}: inclusive bounds of an int, long, float, double or decimal.
 *   <li>{@code pattern}: a Java regular expression the whole string (or enum symbol) must match.
 *   <li>{@code allowed}: the value is one of the listed strings, enum symbols or integers.
 *   <li>{@code minLength} / {@code maxLength}: in Unicode code points for a string, bytes for bytes
 *       and fixed, items for an array, entries for a map.
 *   <li>a path through an array or a map applies to every item (every map value); a path ending at
 *       an array or map applies the length constraints to the collection and the other constraints
 *       to each item.
 * </ul>
 */
public final class DataRule {
  private final String name;
  private final String field;
  private final List<String> path;
  private final boolean required;
  private final BigDecimal min;
  private final BigDecimal max;
  private final Pattern pattern;
  private final List<String> allowed;
  private final Integer minLength;
  private final Integer maxLength;

  DataRule(
      String name,
      String field,
      boolean required,
      BigDecimal min,
      BigDecimal max,
      Pattern pattern,
      List<String> allowed,
      Integer minLength,
      Integer maxLength) {
    this.name = Objects.requireNonNull(name, "name");
    this.field = Objects.requireNonNull(field, "field");
    this.path = List.of(field.split("\\."));
    this.required = required;
    this.min = min;
    this.max = max;
    this.pattern = pattern;
    this.allowed = allowed == null ? List.of() : List.copyOf(allowed);
    this.minLength = minLength;
    this.maxLength = maxLength;
  }

  /** The rule's name, unique in its rule set; DLQ headers and metrics name it. */
  public String name() {
    return name;
  }

  /** The field path as written, e.g. {@code order.amount}. */
  public String field() {
    return field;
  }

  /** The field path, one field name per element. */
  public List<String> path() {
    return path;
  }

  public boolean required() {
    return required;
  }

  public Optional<BigDecimal> min() {
    return Optional.ofNullable(min);
  }

  public Optional<BigDecimal> max() {
    return Optional.ofNullable(max);
  }

  /** The compiled pattern; it must match the whole value. */
  public Optional<Pattern> pattern() {
    return Optional.ofNullable(pattern);
  }

  /** The allowed values as written; empty when the rule does not restrict them. */
  public List<String> allowed() {
    return allowed;
  }

  public OptionalInt minLength() {
    return minLength == null ? OptionalInt.empty() : OptionalInt.of(minLength);
  }

  public OptionalInt maxLength() {
    return maxLength == null ? OptionalInt.empty() : OptionalInt.of(maxLength);
  }

  /** Whether the rule has min, max, pattern or allowed: constraints on a single value. */
  public boolean hasValueConstraints() {
    return min != null || max != null || pattern != null || !allowed.isEmpty();
  }

  /** Whether the rule has minLength or maxLength. */
  public boolean hasLengthConstraints() {
    return minLength != null || maxLength != null;
  }

  /** The constraints in words, e.g. {@code required, min 0, max 10000}. */
  public String describe() {
    var parts = new java.util.ArrayList<String>();
    if (required) {
      parts.add("required");
    }
    if (min != null) {
      parts.add("min " + min.toPlainString());
    }
    if (max != null) {
      parts.add("max " + max.toPlainString());
    }
    if (pattern != null) {
      parts.add("pattern " + pattern.pattern());
    }
    if (!allowed.isEmpty()) {
      parts.add("allowed " + allowed);
    }
    if (minLength != null) {
      parts.add("minLength " + minLength);
    }
    if (maxLength != null) {
      parts.add("maxLength " + maxLength);
    }
    return String.join(", ", parts);
  }

  @Override
  public String toString() {
    return name + " (" + field + ": " + describe() + ")";
  }
}
