package dev.meshbone.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Generated bad input for HTTP fuzzing: malformed JSON, random bytes, JSON of the wrong shape,
 * wrong types, missing fields, huge strings, deep nesting, nulls, bad identities, bad content
 * types, bad path segments. Each generator is deterministic for a seeded {@link Random}.
 */
final class Garbage {
  private Garbage() {}

  record Body(String what, byte[] bytes) {}

  /**
   * A bad body for an endpoint whose good body is {@code valid}, touching its {@code fields} (the
   * first one required when {@code required}; else every field is optional).
   */
  static Body body(Random random, String valid, List<String> fields, boolean required) {
    return switch (random.nextInt(11)) {
      case 0 -> new Body("malformed JSON", malformedJson(random, valid));
      case 1 -> new Body("random bytes", randomBytes(random));
      case 2 -> new Body("JSON that is not an object", bytes(notAnObject(random)));
      case 3, 4 -> wrongType(random, valid, fields);
      case 5 -> required ? nulled(random, valid, fields) : wrongType(random, valid, fields);
      case 6 ->
          new Body(
              "huge body",
              bytes("{\"x\":\"" + "y".repeat(1_000_000 + random.nextInt(2_500_000)) + "\"}"));
      case 7 -> deep(random);
      case 8 ->
          required
              ? new Body("empty or blank body", bytes(random.nextBoolean() ? "" : " \n\t "))
              : new Body("malformed JSON", malformedJson(random, valid));
      case 9 -> new Body("invalid UTF-8", invalidUtf8(random, valid));
      default -> hugeField(random, valid, fields);
    };
  }

  static byte[] malformedJson(Random random, String valid) {
    String text =
        switch (random.nextInt(6)) {
          case 0 -> valid.substring(0, 1 + random.nextInt(valid.length() - 1));
          case 1 -> valid.replace("\"", random.nextBoolean() ? "'" : "");
          case 2 -> valid + random.nextInt(10) + "}";
          case 3 -> valid.replace(":", random.nextBoolean() ? "=" : ":::");
          case 4 -> "{\"a\":1,}" + " ".repeat(random.nextInt(3));
          default -> {
            // A structural character dropped: the closing brace.
            int close = valid.lastIndexOf('}');
            yield valid.substring(0, close) + valid.substring(close + 1);
          }
        };
    return bytes(text);
  }

  static byte[] randomBytes(Random random) {
    byte[] b = new byte[1 + random.nextInt(2_000)];
    random.nextBytes(b);
    // Never something that a JSON reader could take as an object.
    b[0] = (byte) (0x80 | random.nextInt(0x80));
    return b;
  }

  private static String notAnObject(Random random) {
    return switch (random.nextInt(7)) {
      case 0 -> "null";
      case 1 -> Integer.toString(random.nextInt());
      case 2 -> "\"a string\"";
      case 3 -> "true";
      case 4 -> "[]";
      case 5 -> "[{}, 1, null]";
      default -> "1e999999";
    };
  }

  /** A value of a type no field of a write takes where it is: objects, arrays and booleans. */
  private static Body wrongType(Random random, String valid, List<String> fields) {
    String field = fields.get(random.nextInt(fields.size()));
    JsonNode wrong =
        switch (random.nextInt(4)) {
          case 0 -> Http.JSON.createObjectNode().put("nested", random.nextInt());
          case 1 -> Http.JSON.createArrayNode().add(random.nextInt()).add("x");
          case 2 -> Http.JSON.createArrayNode().addObject().putArray("deeper").addArray();
          default ->
              Http.JSON
                  .getNodeFactory()
                  .textNode("not-" + field + "-" + random.nextInt(1000) + "!");
        };
    // A string is a wrong type only where the field is an object, a list, a boolean, an enum, a
    // time or an id; text fields take any string, so there they get an object.
    if (wrong.isTextual() && isFreeText(field)) {
      wrong = Http.JSON.createObjectNode().put("nested", true);
    }
    // An object field takes an object (unknown members are ignored): give it an array instead.
    if (wrong.isObject() && isObject(field)) {
      wrong = Http.JSON.createArrayNode().add(random.nextInt()).add("x");
    }
    // A list field takes an array (of anything that reads as text): give it an object instead.
    if (wrong.isArray() && isList(field)) {
      wrong = Http.JSON.createObjectNode().put("nested", false);
    }
    String shown = wrong.toString();
    return new Body(
        "wrong type at " + field + ": " + shown.substring(0, Math.min(60, shown.length())),
        set(valid, field, wrong));
  }

  private static boolean isObject(String field) {
    return List.of("descriptor", "descriptor.owner", "descriptor.slos").contains(field);
  }

  private static boolean isList(String field) {
    return List.of("ids", "descriptor.tags", "descriptor.inputs", "references").contains(field);
  }

  private static boolean isFreeText(String field) {
    return List.of(
            "reason", "actor", "purpose", "principal", "descriptor.name", "checkName", "schema")
        .contains(field);
  }

  private static Body nulled(Random random, String valid, List<String> fields) {
    // Required fields only: the first field of each endpoint is its required one.
    String field = fields.get(0);
    if (random.nextBoolean()) {
      return new Body("null " + field, set(valid, field, Http.JSON.nullNode()));
    }
    try {
      ObjectNode tree = (ObjectNode) Http.JSON.readTree(valid);
      removePath(tree, field);
      return new Body("missing " + field, bytes(Http.JSON.writeValueAsString(tree)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Body hugeField(Random random, String valid, List<String> fields) {
    String field = fields.get(random.nextInt(fields.size()));
    String huge = "z".repeat(300_000 + random.nextInt(100_000));
    return new Body("huge " + field, set(valid, field, Http.JSON.getNodeFactory().textNode(huge)));
  }

  private static Body deep(Random random) {
    int depth = 2_000 + random.nextInt(50_000);
    String open = random.nextBoolean() ? "[" : "{\"a\":";
    String close = open.equals("[") ? "]" : "}";
    String value = open.repeat(depth) + "1" + close.repeat(depth);
    return new Body(
        "nesting " + depth + " deep",
        bytes(random.nextBoolean() ? value : "{\"x\":" + value + "}"));
  }

  private static byte[] invalidUtf8(Random random, String valid) {
    byte[] b = bytes(valid.replaceFirst("\"([a-z])", "\"\u0000$1"));
    // Lone continuation and overlong bytes inside the first string.
    int at = valid.indexOf('"') + 1;
    byte[] out = new byte[b.length + 3];
    System.arraycopy(b, 0, out, 0, at);
    out[at] = (byte) 0xc0;
    out[at + 1] = (byte) 0x80;
    out[at + 2] = (byte) (0x80 + random.nextInt(0x40));
    System.arraycopy(b, at, out, at + 3, b.length - at);
    return out;
  }

  static String wrongContentType(Random random) {
    return List.of(
            "text/xml",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz",
            "image/png",
            "application/xml")
        .get(random.nextInt(5));
  }

  /** An acting-domain header value that is not a domain name. */
  static String domainLike(Random random) {
    return List.of("UPPER", "a b", "../etc", "-x", "x".repeat(300), "ä", "a..b", "1")
        .get(random.nextInt(8));
  }

  /** A path segment that is no valid id, subject, domain or version (URL-encoded). */
  static String pathSegment(Random random) {
    String raw =
        switch (random.nextInt(12)) {
          case 0 -> "..";
          case 1 -> "\u0000";
          case 2 -> "x".repeat(2_000 + random.nextInt(3_000));
          case 3 -> "0";
          case 4 -> "-" + (2 + random.nextInt(1000));
          case 5 -> "99999999999999999999";
          case 6 -> "1.5";
          case 7 -> "a b/c";
          case 8 -> "é\uD83D\uDE00";
          case 9 -> "UPPER.Case";
          case 10 -> "%";
          default -> "x;y=" + random.nextInt();
        };
    return URLEncoder.encode(raw, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A path segment as a test message shows it. */
  static String shown(String segment) {
    return segment.length() > 60
        ? segment.substring(0, 60) + "...(" + segment.length() + ")"
        : segment;
  }

  private static byte[] set(String valid, String dotted, JsonNode value) {
    try {
      ObjectNode tree = (ObjectNode) Http.JSON.readTree(valid);
      String[] parts = dotted.split("\\.");
      ObjectNode at = tree;
      for (int i = 0; i < parts.length - 1; i++) {
        at = at.with(parts[i]);
      }
      at.set(parts[parts.length - 1], value);
      return bytes(Http.JSON.writeValueAsString(tree));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void removePath(ObjectNode tree, String dotted) {
    String[] parts = dotted.split("\\.");
    ObjectNode at = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      at = at.with(parts[i]);
    }
    at.remove(parts[parts.length - 1]);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
