package dev.meshbone.contracts;

import dev.meshbone.events.Compatibility;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Confluent Schema Registry's compatibility levels over Apache Avro's schema resolution rules, with
 * Confluent's messages.
 *
 * <ul>
 *   <li>BACKWARD: the new schema reads data written with the previous one
 *   <li>FORWARD: the previous schema reads data written with the new one
 *   <li>FULL: both
 *   <li>the TRANSITIVE forms check every earlier (not deleted) version instead of only the latest,
 *       newest first, and report the first version that conflicts
 *   <li>NONE: nothing is checked
 * </ul>
 *
 * <p>Each problem reads as Confluent writes it, e.g. {@code
 * {errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'f' at path '/fields/1'
 * in the new schema has no default value and is missing in the old schema', additionalInfo:'f'}},
 * followed by {@code {oldSchemaVersion: n}}, {@code {oldSchema: '...'}} and, last, {@code
 * {validateFields: 'false', compatibility: 'BACKWARD'}}.
 */
public final class CompatibilityRules {
  /** The level when neither the subject nor the registry sets one. */
  public static final Compatibility DEFAULT = Compatibility.BACKWARD;

  private static final int MAX_SCHEMA_IN_MESSAGE = 10 * 1024;

  private CompatibilityRules() {}

  /** An earlier version of the subject to check against. */
  public record Previous(int version, String canonical, Schema schema) {}

  /** The level named by {@code name}, case-insensitively, if it is one. */
  public static Optional<Compatibility> parseLevel(String name) {
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Compatibility.valueOf(name.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public static boolean isTransitive(Compatibility level) {
    return level.name().endsWith("_TRANSITIVE");
  }

  /**
   * Why {@code candidate} may not follow {@code previous} under {@code level}; empty when it may.
   *
   * @param previous the subject's versions that are not deleted, newest first
   */
  public static List<String> check(Compatibility level, Schema candidate, List<Previous> previous) {
    if (level == Compatibility.NONE || previous.isEmpty()) {
      return List.of();
    }
    List<Previous> against = isTransitive(level) ? previous : previous.subList(0, 1);
    List<String> messages = new ArrayList<>();
    for (Previous existing : against) {
      messages = checkOne(level, candidate, existing);
      if (!messages.isEmpty()) {
        break;
      }
    }
    if (!messages.isEmpty()) {
      messages.add("{validateFields: 'false', compatibility: '" + level + "'}");
    }
    return messages;
  }

  private static List<String> checkOne(Compatibility level, Schema candidate, Previous existing) {
    return switch (level) {
      case BACKWARD, BACKWARD_TRANSITIVE ->
          withOldSchema(problems(candidate, existing.schema(), "new", "old"), existing);
      case FORWARD, FORWARD_TRANSITIVE ->
          withOldSchema(problems(existing.schema(), candidate, "old", "new"), existing);
      case FULL, FULL_TRANSITIVE -> {
        // As Confluent: the forward problems first, the old schema only after the backward ones.
        List<String> messages = problems(existing.schema(), candidate, "old", "new");
        messages.addAll(
            withOldSchema(problems(candidate, existing.schema(), "new", "old"), existing));
        yield messages;
      }
      case NONE -> new ArrayList<>();
    };
  }

  /** The problems of reading data written with {@code writer} using {@code reader}, described. */
  private static List<String> problems(
      Schema reader, Schema writer, String readerName, String writerName) {
    List<String> messages = new ArrayList<>();
    try {
      for (Incompatibility problem :
          SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
              .getResult()
              .getIncompatibilities()) {
        messages.add(describe(problem, readerName, writerName));
      }
    } catch (RuntimeException | StackOverflowError e) {
      // Avro's checker should not throw; if it does, the answer must still be "incompatible".
      messages.add("Unexpected exception during compatibility check: " + e.getMessage());
    }
    return messages;
  }

  private static List<String> withOldSchema(List<String> messages, Previous existing) {
    if (!messages.isEmpty()) {
      messages.add("{oldSchemaVersion: " + existing.version() + "}");
      String old = existing.canonical();
      messages.add(
          old.length() <= MAX_SCHEMA_IN_MESSAGE
              ? "{oldSchema: '" + old + "'}"
              : "{oldSchema: <truncated to "
                  + MAX_SCHEMA_IN_MESSAGE
                  + " characters> '"
                  + old.substring(0, MAX_SCHEMA_IN_MESSAGE)
                  + "'}");
    }
    return messages;
  }

  private static String describe(Incompatibility problem, String reader, String writer) {
    String path = problem.getLocation();
    String detail = problem.getMessage();
    String description =
        switch (problem.getType()) {
          case FIXED_SIZE_MISMATCH ->
              "The size of FIXED type field at path '"
                  + path
                  + "' in the "
                  + reader
                  + " schema does not match with the "
                  + writer
                  + " schema";
          case TYPE_MISMATCH ->
              "The type (path '"
                  + path
                  + "') of a field in the "
                  + reader
                  + " schema does not match with the "
                  + writer
                  + " schema";
          case NAME_MISMATCH -> "The name of the schema has changed (path '" + path + "')";
          case MISSING_ENUM_SYMBOLS ->
              "The "
                  + reader
                  + " schema is missing enum symbols '"
                  + detail
                  + "' at path '"
                  + path
                  + "' in the "
                  + writer
                  + " schema";
          case MISSING_UNION_BRANCH ->
              "The "
                  + reader
                  + " schema is missing a type inside a union field at path '"
                  + path
                  + "' in the "
                  + writer
                  + " schema";
          case READER_FIELD_MISSING_DEFAULT_VALUE ->
              "The field '"
                  + detail
                  + "' at path '"
                  + path
                  + "' in the "
                  + reader
                  + " schema has no default value and is missing in the "
                  + writer
                  + " schema";
          default -> "";
        };
    return "{errorType:'"
        + problem.getType()
        + "', description:'"
        + description
        + "', additionalInfo:'"
        + detail
        + "'}";
  }
}
