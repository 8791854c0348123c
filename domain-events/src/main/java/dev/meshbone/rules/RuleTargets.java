package dev.meshbone.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Where a rule's field path leads in an Avro schema, and which constraints fit which types. Shared
 * by the registry's check at registration and the validator's rule compiler, so both agree on what
 * a rule means.
 *
 * <p>A path step names a record field. Before each step, unions are entered by every branch that is
 * not null, and arrays and maps by their items and values, so {@code lines.sku} on {@code lines:
 * array<Line>} reaches every line's {@code sku}.
 */
public final class RuleTargets {
  private RuleTargets() {}

  /**
   * The schemas of the fields the path names (as declared: a nullable field is its union); empty
   * when the path leads nowhere.
   */
  public static List<Schema> fieldSchemas(Schema root, List<String> path) {
    Set<Schema> current = new LinkedHashSet<>(List.of(root));
    for (String step : path) {
      Set<Schema> next = new LinkedHashSet<>();
      for (Schema s : current) {
        for (Schema record : containers(s)) {
          Schema.Field field = record.getField(step);
          if (field != null) {
            next.add(field.schema());
          }
        }
      }
      if (next.isEmpty()) {
        return List.of();
      }
      current = next;
    }
    return List.copyOf(current);
  }

  /** The non-null branches of a union, or the schema itself. */
  public static List<Schema> present(Schema s) {
    if (s.getType() != Schema.Type.UNION) {
      return List.of(s);
    }
    return s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
  }

  /**
   * The types value constraints (min, max, pattern, allowed) apply to at a field of this schema:
   * its non-null branches, with arrays and maps replaced by their items and values.
   */
  public static List<Schema> valueTargets(Schema s) {
    var out = new ArrayList<Schema>();
    for (Schema p : present(s)) {
      switch (p.getType()) {
        case ARRAY -> out.addAll(valueTargets(p.getElementType()));
        case MAP -> out.addAll(valueTargets(p.getValueType()));
        default -> out.add(p);
      }
    }
    return out;
  }

  /** Whether min and max apply: int, long, float, double, or a decimal. */
  public static boolean fitsMinMax(Schema s) {
    return switch (s.getType()) {
      case INT, LONG, FLOAT, DOUBLE -> true;
      case BYTES, FIXED -> isDecimal(s);
      default -> false;
    };
  }

  /** Whether a pattern applies: a string, or an enum's symbol. */
  public static boolean fitsPattern(Schema s) {
    return s.getType() == Schema.Type.STRING || s.getType() == Schema.Type.ENUM;
  }

  /** Whether allowed values apply: a string, an enum symbol, an int or a long. */
  public static boolean fitsAllowed(Schema s) {
    return switch (s.getType()) {
      case STRING, ENUM, INT, LONG -> true;
      default -> false;
    };
  }

  /** Whether minLength and maxLength apply: a string, bytes, a fixed, an array or a map. */
  public static boolean fitsLength(Schema s) {
    return switch (s.getType()) {
      case STRING, BYTES, FIXED, ARRAY, MAP -> true;
      default -> false;
    };
  }

  public static boolean isDecimal(Schema s) {
    return s.getLogicalType() instanceof LogicalTypes.Decimal;
  }

  /** What keeps {@code rule} from applying to records of {@code root}; empty when it applies. */
  static List<String> problems(DataRule rule, Schema root) {
    String label = "rule \"" + rule.name() + "\" on " + rule.field();
    var problems = new ArrayList<String>();
    List<Schema> fields = fieldSchemas(root, rule.path());
    if (fields.isEmpty()) {
      problems.add(label + ": " + missingStep(root, rule.path()));
      return problems;
    }
    List<Schema> present = fields.stream().flatMap(f -> present(f).stream()).toList();
    if (rule.required() && present.isEmpty()) {
      problems.add(label + ": the field is always null, so it can never be present");
    }
    List<Schema> values = fields.stream().flatMap(f -> valueTargets(f).stream()).toList();
    if ((rule.min().isPresent() || rule.max().isPresent())
        && values.stream().noneMatch(RuleTargets::fitsMinMax)) {
      problems.add(
          label
              + ": min and max apply to int, long, float, double or decimal values, not "
              + typeNames(values));
    }
    if (rule.pattern().isPresent() && values.stream().noneMatch(RuleTargets::fitsPattern)) {
      problems.add(label + ": pattern applies to strings and enums, not " + typeNames(values));
    }
    if (!rule.allowed().isEmpty()) {
      List<Schema> fit = values.stream().filter(RuleTargets::fitsAllowed).toList();
      if (fit.isEmpty()) {
        problems.add(
            label
                + ": allowed applies to strings, enums, ints and longs, not "
                + typeNames(values));
      } else {
        for (String value : rule.allowed()) {
          boolean possible =
              fit.stream()
                  .anyMatch(
                      s ->
                          switch (s.getType()) {
                            case STRING -> true;
                            case ENUM -> s.getEnumSymbols().contains(value);
                            default -> isLong(value);
                          });
          if (!possible) {
            problems.add(
                label
                    + ": allowed value \""
                    + value
                    + "\" can never occur in "
                    + typeNames(fit)
                    + (fit.stream().anyMatch(s -> s.getType() == Schema.Type.ENUM)
                        ? " (enum symbols: "
                            + fit.stream()
                                .filter(s -> s.getType() == Schema.Type.ENUM)
                                .flatMap(s -> s.getEnumSymbols().stream())
                                .toList()
                            + ")"
                        : ""));
          }
        }
      }
    }
    if (rule.hasLengthConstraints() && present.stream().noneMatch(RuleTargets::fitsLength)) {
      problems.add(
          label
              + ": minLength and maxLength apply to strings, bytes, fixed, arrays and maps, not "
              + typeNames(present));
    }
    return problems;
  }

  /** The records reachable at a step: unions, arrays and maps entered. */
  private static List<Schema> containers(Schema s) {
    return switch (s.getType()) {
      case RECORD -> List.of(s);
      case UNION -> s.getTypes().stream().flatMap(t -> containers(t).stream()).toList();
      case ARRAY -> containers(s.getElementType());
      case MAP -> containers(s.getValueType());
      default -> List.of();
    };
  }

  private static String missingStep(Schema root, List<String> path) {
    Set<Schema> current = new LinkedHashSet<>(List.of(root));
    for (int i = 0; i < path.size(); i++) {
      String step = path.get(i);
      Set<Schema> records = new LinkedHashSet<>();
      current.forEach(s -> records.addAll(containers(s)));
      Set<Schema> next = new LinkedHashSet<>();
      for (Schema r : records) {
        Schema.Field f = r.getField(step);
        if (f != null) {
          next.add(f.schema());
        }
      }
      String prefix = String.join(".", path.subList(0, i));
      if (records.isEmpty()) {
        return (prefix.isEmpty() ? "the record" : prefix)
            + " is "
            + typeNames(List.copyOf(current))
            + ", which has no fields";
      }
      if (next.isEmpty()) {
        return (records.size() == 1 ? "record " : "records ")
            + records.stream().map(Schema::getFullName).collect(Collectors.joining(", "))
            + " ha"
            + (records.size() == 1 ? "s" : "ve")
            + " no field "
            + step
            + " (fields: "
            + records.stream()
                .flatMap(r -> r.getFields().stream())
                .map(Schema.Field::name)
                .distinct()
                .collect(Collectors.joining(", "))
            + ")";
      }
      current = next;
    }
    return "the path leads nowhere";
  }

  private static String typeNames(List<Schema> schemas) {
    return schemas.stream()
        .map(
            s ->
                switch (s.getType()) {
                  case RECORD, ENUM, FIXED -> s.getType().getName() + " " + s.getName();
                  case ARRAY -> "array";
                  case MAP -> "map";
                  default ->
                      s.getLogicalType() != null
                          ? s.getLogicalType().getName()
                          : s.getType().getName();
                })
        .distinct()
        .collect(Collectors.joining(" or "));
  }

  private static boolean isLong(String value) {
    try {
      Long.parseLong(value);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
