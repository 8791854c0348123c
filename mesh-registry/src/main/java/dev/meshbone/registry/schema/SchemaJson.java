package dev.meshbone.registry.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshbone.contracts.CompatibilityRules;
import dev.meshbone.contracts.RegistryErrors;
import dev.meshbone.events.Compatibility;
import dev.meshbone.events.ContractVersion;
import dev.meshbone.events.SchemaReference;
import dev.meshbone.rules.DataRules;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of Confluent Schema Registry's REST API: request bodies read leniently (unknown fields
 * ignored) but strictly typed, responses written with Confluent's field names and media type.
 */
final class SchemaJson {
  static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
  static final ObjectMapper MAPPER = new ObjectMapper();

  /** Longer schemas do not fit a Kafka record of the default size with room to spare. */
  static final int MAX_BODY_CHARS = 900_000;

  private SchemaJson() {}

  /** The body of register, lookup and compatibility requests. */
  record SchemaRequest(
      String schema,
      String schemaType,
      List<SchemaReference> references,
      String metadataJson,
      String ruleSetJson,
      Integer version,
      Integer id) {}

  static MutableHttpResponse<String> ok(Object body) {
    return respond(HttpStatus.OK, body);
  }

  static MutableHttpResponse<String> respond(HttpStatus status, Object body) {
    try {
      return HttpResponse.<String>status(status)
          .body(MAPPER.writeValueAsString(body))
          .contentType(MEDIA_TYPE);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a response body", e);
    }
  }

  /** Raw text, as {@code GET .../schema} answers the schema itself. */
  static MutableHttpResponse<String> raw(String text) {
    return HttpResponse.ok(text).contentType(MEDIA_TYPE);
  }

  static ObjectNode error(int errorCode, String message) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("error_code", errorCode);
    body.put("message", message);
    return body;
  }

  /** Parses a JSON request body into a tree, refusing malformed JSON with 400. */
  static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return MAPPER.createObjectNode();
    }
    if (body.length() > MAX_BODY_CHARS) {
      throw new SchemaRegistryException(
          RegistryErrors.SCHEMA_TOO_LARGE,
          "the request is "
              + body.length()
              + " characters long; a schema with its rules must stay under "
              + MAX_BODY_CHARS);
    }
    try {
      // One JSON document and nothing after it (the plain reader stops after the first value).
      JsonNode node =
          MAPPER
              .reader()
              .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
              .readTree(body);
      if (node == null || !node.isObject()) {
        throw new SchemaRegistryException(
            RegistryErrors.BAD_REQUEST, "the request body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new SchemaRegistryException(
          RegistryErrors.BAD_REQUEST,
          "malformed JSON in the request body: " + e.getOriginalMessage());
    }
  }

  static SchemaRequest schemaRequest(String body) {
    JsonNode json = parse(body);
    String schema = text(json, "schema", RegistryErrors.INVALID_SCHEMA);
    String schemaType = text(json, "schemaType", RegistryErrors.INVALID_SCHEMA);
    List<SchemaReference> references = new ArrayList<>();
    JsonNode refs = json.get("references");
    if (refs != null && !refs.isNull()) {
      if (!refs.isArray()) {
        throw new SchemaRegistryException(
            RegistryErrors.INVALID_SCHEMA,
            "references must be an array of {name, subject, version}");
      }
      for (JsonNode ref : refs) {
        String name = ref.path("name").asText(null);
        String subject = ref.path("subject").asText(null);
        JsonNode version = ref.get("version");
        if (!ref.isObject()
            || name == null
            || subject == null
            || version == null
            || !version.canConvertToInt()) {
          throw new SchemaRegistryException(
              RegistryErrors.INVALID_SCHEMA,
              "each reference needs a name, a subject and an integer version: " + ref);
        }
        references.add(new SchemaReference(name, subject, version.asInt()));
      }
    }
    return new SchemaRequest(
        schema,
        schemaType,
        references,
        object(json, "metadata", RegistryErrors.INVALID_SCHEMA),
        // MESH rules are kept, compared and served with a failure action stock Confluent clients
        // can run (DataRules.withClientFailureActions): they skip the rule and the validator
        // enforces it.
        DataRules.withClientFailureActions(object(json, "ruleSet", RegistryErrors.INVALID_RULESET)),
        integer(json, "version"),
        integer(json, "id"));
  }

  /** The level of a config update, {@code {"compatibility": "FULL"}}. */
  static Compatibility compatibilityRequest(String body) {
    JsonNode json = parse(body);
    JsonNode level = json.get("compatibility");
    if (level == null || level.isNull()) {
      level = json.get("compatibilityLevel");
    }
    if (level == null || !level.isTextual()) {
      throw new SchemaRegistryException(
          RegistryErrors.INVALID_COMPATIBILITY_LEVEL, RegistryErrors.INVALID_COMPATIBILITY_MESSAGE);
    }
    return CompatibilityRules.parseLevel(level.asText())
        .orElseThrow(
            () ->
                new SchemaRegistryException(
                    RegistryErrors.INVALID_COMPATIBILITY_LEVEL,
                    RegistryErrors.INVALID_COMPATIBILITY_MESSAGE));
  }

  /**
   * A version path parameter: {@code latest} or {@code -1} (returned as -1), or 1 to 2^31-1.
   *
   * @throws SchemaRegistryException 42202 otherwise
   */
  static int version(String text) {
    String trimmed = text == null ? "" : text.trim();
    if (trimmed.equalsIgnoreCase("latest") || trimmed.equals("-1")) {
      return -1;
    }
    try {
      int version = Integer.parseInt(trimmed);
      if (version >= 1) {
        return version;
      }
    } catch (NumberFormatException notANumber) {
      // answered below
    }
    throw new SchemaRegistryException(
        RegistryErrors.INVALID_VERSION, RegistryErrors.invalidVersion(abbreviate(trimmed)));
  }

  /** One version of a subject, as {@code GET /subjects/{s}/versions/{v}} answers it. */
  static ObjectNode version(ContractVersion version) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("subject", version.getSubject());
    node.put("version", version.getVersion());
    node.put("id", version.getSchemaId());
    addContract(node, version);
    return node;
  }

  /** A schema by id, as {@code GET /schemas/ids/{id}} answers it. */
  static ObjectNode schema(ContractVersion version) {
    ObjectNode node = MAPPER.createObjectNode();
    addContract(node, version);
    return node;
  }

  /** The schema, its references, metadata and rule set (AVRO, the only type, goes unnamed). */
  static void addContract(ObjectNode node, ContractVersion version) {
    if (!version.getReferences().isEmpty()) {
      ArrayNode refs = node.putArray("references");
      for (SchemaReference ref : version.getReferences()) {
        refs.addObject()
            .put("name", ref.getName())
            .put("subject", ref.getSubject())
            .put("version", ref.getVersion());
      }
    }
    if (version.getMetadataJson() != null) {
      node.set("metadata", tree(version.getMetadataJson()));
    }
    if (version.getRuleSetJson() != null) {
      // Versions stored before MESH rules got a failure action are served with it too.
      node.set("ruleSet", tree(DataRules.withClientFailureActions(version.getRuleSetJson())));
    }
    node.put("schema", version.getSchema$());
  }

  static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return MAPPER.getNodeFactory().textNode(json);
    }
  }

  private static String text(JsonNode json, String field, int errorCode) {
    JsonNode node = json.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new SchemaRegistryException(
          errorCode,
          field
              + " must be a JSON string"
              + (field.equals("schema") ? " holding the schema's own JSON text" : "")
              + ", not "
              + node.getNodeType().name().toLowerCase());
    }
    return node.asText();
  }

  private static String object(JsonNode json, String field, int errorCode) {
    JsonNode node = json.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new SchemaRegistryException(
          errorCode,
          field + " must be a JSON object, not " + node.getNodeType().name().toLowerCase());
    }
    return node.toString();
  }

  private static Integer integer(JsonNode json, String field) {
    JsonNode node = json.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.canConvertToInt() || !node.isIntegralNumber()) {
      throw new SchemaRegistryException(
          RegistryErrors.INVALID_SCHEMA, field + " must be an integer, not " + node);
    }
    return node.asInt();
  }

  static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
