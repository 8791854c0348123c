package dev.meshbone.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshbone.events.SchemaReference;
import dev.meshbone.rules.DataRules;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Avro contracts as the registry identifies them.
 *
 * <p><b>Canonical text.</b> A schema is stored and served as the text Avro writes for it after
 * parsing ({@link Schema#toString(java.util.Collection, boolean)}, named types of its references
 * written by name): whitespace and the order of JSON attributes do not matter, while everything
 * that can change how data is read does (field order, defaults, aliases, docs and custom
 * properties). This is Confluent's {@code canonicalString()} for Avro, so the same schema text gets
 * the same id here as there. (Avro's Parsing Canonical Form would not do: it drops defaults and
 * aliases, which decide compatibility.)
 *
 * <p><b>Identity.</b> One schema id stands for one canonical text together with its references and
 * its Confluent {@code metadata} and {@code ruleSet}: as in Confluent, the same schema with other
 * rules is a new version with a new id. {@link #identity} is the SHA-256 of all four.
 */
public final class AvroContracts {
  public static final String AVRO = "AVRO";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper SORTED_JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private AvroContracts() {}

  /** A parsed schema and its canonical text. */
  public record Parsed(Schema schema, String canonical) {}

  /**
   * Parses {@code text} as an Avro schema after the schemas it references (in order), validating
   * defaults and names.
   *
   * @throws InvalidContractException ({@link RegistryErrors#INVALID_SCHEMA}) naming what is wrong
   */
  public static Parsed parse(String text, List<String> referencedSchemas) {
    if (text == null || text.isBlank()) {
      throw new InvalidContractException(RegistryErrors.INVALID_SCHEMA, "Empty schema");
    }
    var parser = new Schema.Parser().setValidateDefaults(true);
    var references = new ArrayList<Schema>();
    try {
      for (String referenced : referencedSchemas) {
        references.add(parser.parse(referenced));
      }
    } catch (RuntimeException | StackOverflowError e) {
      throw new InvalidContractException(
          RegistryErrors.INVALID_SCHEMA,
          "Invalid schema: a referenced schema does not parse, details: " + describe(e));
    }
    try {
      Schema schema = parser.parse(text);
      return new Parsed(schema, schema.toString(references, false));
    } catch (RuntimeException | StackOverflowError e) {
      throw new InvalidContractException(
          RegistryErrors.INVALID_SCHEMA,
          "Invalid schema " + abbreviate(text, 500) + " of type AVRO, details: " + describe(e));
    }
  }

  /** Parses a schema without references. */
  public static Parsed parse(String text) {
    return parse(text, List.of());
  }

  /**
   * The identity of a contract: SHA-256 (hex) over the canonical schema text, its references and
   * the canonical forms of its metadata and rule set. Two registrations with the same identity get
   * the same schema id.
   */
  public static String identity(
      String canonical, List<SchemaReference> references, String metadataJson, String ruleSetJson) {
    var text = new StringBuilder();
    appendField(text, AVRO);
    appendField(text, canonical);
    for (SchemaReference reference : references) {
      appendField(
          text,
          reference.getName()
              + "\u0000"
              + reference.getSubject()
              + "\u0000"
              + reference.getVersion());
    }
    appendField(text, "metadata");
    appendField(text, canonicalJson(metadataJson));
    appendField(text, "ruleSet");
    // A MESH rule without onFailure is the rule with onFailure NONE, as the registry serves it: a
    // version stored before the registry added it is found again by the rules it was given.
    appendField(text, canonicalJson(DataRules.withClientFailureActions(ruleSetJson)));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Checks that {@code json} (if present) is a JSON object, as Confluent's {@code metadata} and
   * {@code ruleSet} are.
   *
   * @param field the field's name, for the message
   * @param errorCode the error code of a refusal
   * @throws InvalidContractException if it is not
   */
  public static void requireJsonObject(String field, String json, int errorCode) {
    if (json == null) {
      return;
    }
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new InvalidContractException(
          errorCode, field + " is not valid JSON: " + jsonMessage(e));
    }
    if (node == null || !node.isObject()) {
      throw new InvalidContractException(
          errorCode,
          field
              + " must be a JSON object, not "
              + (node == null ? "nothing" : node.getNodeType().name().toLowerCase()));
    }
  }

  /**
   * The canonical form of a JSON text (object keys sorted, no whitespace), or the empty string for
   * null; text that does not parse is kept as it is.
   */
  public static String canonicalJson(String json) {
    if (json == null) {
      return "";
    }
    try {
      Object value = JSON.readValue(json, Object.class);
      return SORTED_JSON.writeValueAsString(value);
    } catch (JsonProcessingException | RuntimeException e) {
      return json;
    }
  }

  private static void appendField(StringBuilder text, String field) {
    text.append(field.length()).append(':').append(field).append('\n');
  }

  private static String describe(Throwable e) {
    if (e instanceof StackOverflowError) {
      return "the schema is nested too deeply";
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  static String abbreviate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "...";
  }

  private static String jsonMessage(Exception e) {
    // Jackson's own message carries a source excerpt; the original message is the reason alone.
    return e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
  }
}
