package dev.meshbone.serde.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;

/** Schema helpers of the serde: Java-only properties, schemas of primitive values. */
public final class AvroSchemas {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static final Schema NULL = Schema.create(Schema.Type.NULL);
  public static final Schema BOOLEAN = Schema.create(Schema.Type.BOOLEAN);
  public static final Schema INT = Schema.create(Schema.Type.INT);
  public static final Schema LONG = Schema.create(Schema.Type.LONG);
  public static final Schema FLOAT = Schema.create(Schema.Type.FLOAT);
  public static final Schema DOUBLE = Schema.create(Schema.Type.DOUBLE);
  public static final Schema STRING = Schema.create(Schema.Type.STRING);
  public static final Schema BYTES = Schema.create(Schema.Type.BYTES);

  private AvroSchemas() {}

  /**
   * The schema of a value the serializer is given: a record, enum, fixed or array's own schema, or
   * the primitive schema of a Java value (as Confluent's serializer: String, Integer, Long, Float,
   * Double, Boolean, byte[] and ByteBuffer). Null for anything else.
   */
  public static Schema schemaOf(Object value) {
    if (value instanceof GenericContainer container) {
      return container.getSchema();
    }
    if (value instanceof CharSequence) {
      return STRING;
    }
    if (value instanceof Integer) {
      return INT;
    }
    if (value instanceof Long) {
      return LONG;
    }
    if (value instanceof Boolean) {
      return BOOLEAN;
    }
    if (value instanceof Double) {
      return DOUBLE;
    }
    if (value instanceof Float) {
      return FLOAT;
    }
    if (value instanceof byte[] || value instanceof ByteBuffer) {
      return BYTES;
    }
    return null;
  }

  /**
   * Whether a schema property exists only for Avro's Java code: {@code avro.java.string} (added by
   * code generation with {@code stringType=String}) and the {@code java-class} family of reflect.
   * Other languages' clients never see them, so a schema that keeps them registers under a
   * different text than the .avsc other clients register.
   */
  public static boolean isJavaOnly(String property) {
    return property.startsWith("avro.java.")
        || property.equals("java-class")
        || property.equals("java-key-class")
        || property.equals("java-element-class");
  }

  /**
   * {@code schema} without its Java-only properties (see {@link #isJavaOnly}), or {@code schema}
   * itself when it has none. Everything else (logical types, docs, aliases, defaults, other
   * properties) is kept.
   */
  public static Schema withoutJavaProperties(Schema schema) {
    if (!hasJavaProperties(schema, Collections.newSetFromMap(new IdentityHashMap<>()))) {
      return schema;
    }
    try {
      JsonNode tree = JSON.readTree(schema.toString());
      JsonNode stripped = stripSchema(tree);
      return new Schema.Parser().parse(JSON.writeValueAsString(stripped));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean hasJavaProperties(Schema schema, Set<Schema> seen) {
    if (!seen.add(schema)) {
      return false;
    }
    for (String key : schema.getObjectProps().keySet()) {
      if (isJavaOnly(key)) {
        return true;
      }
    }
    switch (schema.getType()) {
      case RECORD -> {
        for (Schema.Field field : schema.getFields()) {
          for (String key : field.getObjectProps().keySet()) {
            if (isJavaOnly(key)) {
              return true;
            }
          }
          if (hasJavaProperties(field.schema(), seen)) {
            return true;
          }
        }
        return false;
      }
      case ARRAY -> {
        return hasJavaProperties(schema.getElementType(), seen);
      }
      case MAP -> {
        return hasJavaProperties(schema.getValueType(), seen);
      }
      case UNION -> {
        for (Schema branch : schema.getTypes()) {
          if (hasJavaProperties(branch, seen)) {
            return true;
          }
        }
        return false;
      }
      default -> {
        return false;
      }
    }
  }

  // Walks the JSON of a schema (never into "default" values, whose keys are data, not properties).
  private static JsonNode stripSchema(JsonNode node) {
    if (node.isArray()) {
      for (JsonNode branch : node) {
        stripSchema(branch);
      }
      return node;
    }
    if (!(node instanceof ObjectNode object)) {
      return node;
    }
    removeJavaKeys(object);
    String type = object.path("type").asText("");
    switch (type) {
      case "record", "error" -> {
        for (JsonNode field : object.path("fields")) {
          if (field instanceof ObjectNode fieldObject) {
            removeJavaKeys(fieldObject);
            if (fieldObject.has("type")) {
              stripSchema(fieldObject.get("type"));
            }
          }
        }
      }
      case "array" -> stripIfPresent(object, "items");
      case "map" -> stripIfPresent(object, "values");
      default -> {
        // A primitive with properties ({"type":"string", ...}) or a nested schema as "type".
        if (object.get("type") != null && !object.get("type").isTextual()) {
          stripSchema(object.get("type"));
        }
      }
    }
    return object;
  }

  private static void stripIfPresent(ObjectNode object, String key) {
    if (object.has(key)) {
      stripSchema(object.get(key));
    }
  }

  private static void removeJavaKeys(ObjectNode object) {
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      if (isJavaOnly(names.next())) {
        names.remove();
      }
    }
  }
}
