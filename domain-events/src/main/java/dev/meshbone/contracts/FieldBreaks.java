package dev.meshbone.contracts;

import dev.meshbone.rules.RuleTargets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * Which declared field paths a schema change breaks: the consumer-declared field contracts that
 * both the registry (the impact answer) and contract-validator (the registration gate) apply.
 *
 * <p>A field path is the data rules' syntax: Avro field names separated by dots ({@code
 * site.code}); before each step unions are entered by every branch that is not null, and arrays and
 * maps by their items and values ({@link RuleTargets}), so {@code lines.sku} reaches every line's
 * {@code sku}.
 *
 * <p>A change from {@code before} (the latest version) to {@code after} (the candidate) breaks a
 * path that exists in {@code before} when, walking the path step by step:
 *
 * <ul>
 *   <li>{@link Kind#REMOVED}: a step's field is in no record of {@code after}, under its name or as
 *       an alias of a field;
 *   <li>{@link Kind#RENAMED_WITHOUT_ALIAS}: the same, but {@code after} has exactly one new field
 *       of the same type in that record, which looks like the field renamed without the old name
 *       among its aliases;
 *   <li>{@link Kind#TYPE_CHANGED}: a step on the way may now be null, changed shape (a record that
 *       became an array, a string, ...) or record name; or the value at the end of the path, as
 *       {@code after} writes it, cannot be read by Avro's schema resolution with {@code before} as
 *       the reader ({@code int} to {@code long}, a new enum symbol without a default, a value that
 *       may now be null...).
 * </ul>
 *
 * A field renamed with the old name among the new field's aliases is the same field to Avro's
 * resolution, so the path is kept. A path that does not exist in {@code before} is not broken by
 * this change. Pure functions; thread-safe.
 */
public final class FieldBreaks {
  private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** At most this many paths are derived from one reader schema. */
  public static final int MAX_DERIVED_PATHS = 1_000;

  private FieldBreaks() {}

  /** How a change breaks a path. */
  public enum Kind {
    REMOVED,
    RENAMED_WITHOUT_ALIAS,
    TYPE_CHANGED
  }

  /** One declared field of one consumer that the change breaks, with why, in words. */
  public record Break(String consumer, String field, Kind kind, String reason) {
    /** {@code consumer field (KIND: reason)}, as messages list it. */
    @Override
    public String toString() {
      return consumer + " reads " + field + " (" + kind + ": " + reason + ")";
    }
  }

  /** Why a path breaks, before it is attributed to a consumer. */
  public record Problem(Kind kind, String reason) {}

  /**
   * The path's steps.
   *
   * @throws IllegalArgumentException when it is not Avro field names separated by dots
   */
  public static List<String> path(String field) {
    if (field == null || field.isBlank()) {
      throw new IllegalArgumentException("a field path is empty");
    }
    String[] parts = field.split("\\.", -1);
    for (String part : parts) {
      if (!FIELD_NAME.matcher(part).matches()) {
        throw new IllegalArgumentException(
            "field \"" + field + "\" is not a path of Avro field names separated by dots");
      }
    }
    return List.of(parts);
  }

  /**
   * Why {@code field} is no path of {@code schema} (bad syntax, or it leads nowhere); empty if it
   * is.
   */
  public static Optional<String> pathProblem(Schema schema, String field) {
    List<String> steps;
    try {
      steps = path(field);
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
    if (RuleTargets.fieldSchemas(schema, steps).isEmpty()) {
      return Optional.of("field \"" + field + "\" does not exist in the current contract");
    }
    return Optional.empty();
  }

  /**
   * The paths a reader schema reads: every field whose value is not a record, below the records
   * (entered through unions, arrays and maps), in the schema's order; at most {@link
   * #MAX_DERIVED_PATHS}.
   */
  public static List<String> leafPaths(Schema reader) {
    var out = new LinkedHashSet<String>();
    collect(reader, "", out, new IdentityHashMap<>());
    return List.copyOf(out);
  }

  private static void collect(
      Schema s, String prefix, Set<String> out, Map<Schema, Boolean> onPath) {
    List<Schema> records = records(s);
    for (Schema record : records) {
      if (onPath.put(record, Boolean.TRUE) != null) {
        // A recursive type: its fields are already listed above.
        if (!prefix.isEmpty()) {
          out.add(prefix);
        }
        continue;
      }
      for (Schema.Field f : record.getFields()) {
        if (out.size() >= MAX_DERIVED_PATHS) {
          break;
        }
        String path = prefix.isEmpty() ? f.name() : prefix + "." + f.name();
        if (records(f.schema()).isEmpty()) {
          out.add(path);
        } else {
          collect(f.schema(), path, out, onPath);
        }
      }
      onPath.remove(record);
    }
  }

  /**
   * Every break of the declared fields of {@code readSets} (consumer → its fields), in consumer
   * then declaration order. A field that is not a well-formed path is skipped (it was refused when
   * declared).
   */
  public static List<Break> breaks(
      Schema before, Schema after, Map<String, List<String>> readSets) {
    var out = new ArrayList<Break>();
    for (var entry : new TreeMap<>(readSets).entrySet()) {
      for (String field : entry.getValue()) {
        check(before, after, field)
            .ifPresent(p -> out.add(new Break(entry.getKey(), field, p.kind(), p.reason())));
      }
    }
    return out;
  }

  /**
   * How the change from {@code before} to {@code after} breaks {@code field}; empty if it does not.
   */
  public static Optional<Problem> check(Schema before, Schema after, String field) {
    List<String> steps;
    try {
      steps = path(field);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (RuleTargets.fieldSchemas(before, steps).isEmpty()) {
      return Optional.empty(); // not a path of the latest version: not this change's doing
    }
    Schema b = before;
    Schema a = after;
    for (int i = 0; i < steps.size(); i++) {
      String step = steps.get(i);
      String prefix = i == 0 ? "the record" : String.join(".", steps.subList(0, i));
      List<Schema> bRecords = records(b);
      Schema.Field fb = field(bRecords, step);
      if (fb == null) {
        return Optional.empty(); // not a path of the latest version: not this change's doing
      }
      if (i > 0) {
        Optional<Problem> shape = shape(prefix, b, a);
        if (shape.isPresent()) {
          return shape;
        }
      }
      List<Schema> aRecords = records(a);
      if (aRecords.isEmpty()) {
        return Optional.of(
            new Problem(
                Kind.TYPE_CHANGED, prefix + " is now " + typeName(a) + ", which has no fields"));
      }
      Schema.Field fa = field(aRecords, step);
      if (fa == null) {
        fa = aliased(aRecords, step);
      }
      if (fa == null) {
        return Optional.of(missing(step, fb, bRecords, aRecords));
      }
      b = fb.schema();
      a = fa.schema();
    }
    var result = SchemaCompatibility.checkReaderWriterCompatibility(b, a).getResult();
    if (result.getCompatibility() == SchemaCompatibility.SchemaCompatibilityType.INCOMPATIBLE) {
      String detail =
          result.getIncompatibilities().isEmpty()
              ? ""
              : " (" + result.getIncompatibilities().get(0).getMessage() + ")";
      return Optional.of(
          new Problem(
              Kind.TYPE_CHANGED,
              "was "
                  + typeName(b)
                  + ", is now "
                  + typeName(a)
                  + ", which a reader of "
                  + typeName(b)
                  + " cannot read"
                  + detail));
    }
    return Optional.empty();
  }

  private static Problem missing(
      String step, Schema.Field was, List<Schema> bRecords, List<Schema> aRecords) {
    Set<String> oldNames =
        bRecords.stream()
            .flatMap(r -> r.getFields().stream())
            .map(Schema.Field::name)
            .collect(Collectors.toSet());
    List<String> lookalikes =
        aRecords.stream()
            .flatMap(r -> r.getFields().stream())
            .filter(f -> !oldNames.contains(f.name()) && f.schema().equals(was.schema()))
            .map(Schema.Field::name)
            .distinct()
            .toList();
    if (lookalikes.size() == 1) {
      String to = lookalikes.get(0);
      return new Problem(
          Kind.RENAMED_WITHOUT_ALIAS,
          "renamed to "
              + to
              + " without an alias: "
              + to
              + " would need \"aliases\": [\""
              + step
              + "\"] for readers of "
              + step);
    }
    return new Problem(
        Kind.REMOVED,
        (aRecords.size() == 1 ? "record " : "records ")
            + aRecords.stream().map(Schema::getName).distinct().collect(Collectors.joining(", "))
            + " no longer ha"
            + (aRecords.size() == 1 ? "s" : "ve")
            + " a field "
            + step);
  }

  /** A step on the way that may now be null, changed its shape, or its record's name. */
  private static Optional<Problem> shape(String prefix, Schema b, Schema a) {
    if (!nullable(b) && nullable(a)) {
      return Optional.of(
          new Problem(
              Kind.TYPE_CHANGED,
              prefix + " may now be null, and readers of the path expect it always present"));
    }
    Set<String> was = shapes(b);
    Set<String> is = shapes(a);
    if (!is.equals(was)) {
      return Optional.of(
          new Problem(
              Kind.TYPE_CHANGED,
              prefix + " was " + String.join(" or ", was) + ", is now " + String.join(" or ", is)));
    }
    List<Schema> bRecords = records(b);
    List<Schema> aRecords = records(a);
    if (bRecords.size() == 1 && aRecords.size() == 1) {
      Schema br = bRecords.get(0);
      Schema ar = aRecords.get(0);
      if (!br.getName().equals(ar.getName())) {
        return Optional.of(
            new Problem(
                Kind.TYPE_CHANGED,
                prefix
                    + " was record "
                    + br.getName()
                    + ", is now record "
                    + ar.getName()
                    + ", which Avro's resolution does not match"));
      }
    }
    return Optional.empty();
  }

  private static boolean nullable(Schema s) {
    return s.getType() == Schema.Type.NULL
        || (s.getType() == Schema.Type.UNION
            && s.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL));
  }

  /**
   * How a value nests, ignoring null: {@code record}, {@code array of record}, {@code string}...
   */
  private static Set<String> shapes(Schema s) {
    var out = new LinkedHashSet<String>();
    for (Schema p : RuleTargets.present(s)) {
      out.add(
          switch (p.getType()) {
            case ARRAY -> "array of " + String.join(" or ", shapes(p.getElementType()));
            case MAP -> "map of " + String.join(" or ", shapes(p.getValueType()));
            case RECORD -> "record";
            default -> typeName(p);
          });
    }
    return out;
  }

  /** The records reachable at a step: unions, arrays and maps entered. */
  private static List<Schema> records(Schema s) {
    return switch (s.getType()) {
      case RECORD -> List.of(s);
      case UNION -> s.getTypes().stream().flatMap(t -> records(t).stream()).toList();
      case ARRAY -> records(s.getElementType());
      case MAP -> records(s.getValueType());
      default -> List.of();
    };
  }

  private static Schema.Field field(List<Schema> records, String name) {
    for (Schema r : records) {
      Schema.Field f = r.getField(name);
      if (f != null) {
        return f;
      }
    }
    return null;
  }

  private static Schema.Field aliased(List<Schema> records, String name) {
    for (Schema r : records) {
      for (Schema.Field f : r.getFields()) {
        if (f.aliases().contains(name)) {
          return f;
        }
      }
    }
    return null;
  }

  private static String typeName(Schema s) {
    return switch (s.getType()) {
      case RECORD, ENUM, FIXED -> s.getType().getName() + " " + s.getName();
      case ARRAY -> "array of " + typeName(s.getElementType());
      case MAP -> "map of " + typeName(s.getValueType());
      case UNION ->
          s.getTypes().stream().map(FieldBreaks::typeName).collect(Collectors.joining(" or "));
      default -> s.getLogicalType() != null ? s.getLogicalType().getName() : s.getType().getName();
    };
  }
}
