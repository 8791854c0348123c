package dev.meshbone.registry.products.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshbone.events.ProductDescriptor;
import dev.meshbone.registry.products.view.Dto.DescriptorDto;
import dev.meshbone.rules.DataRules;
import dev.meshbone.runtime.http.ApiException;
import dev.meshbone.topics.ProductId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The body of a bulk onboarding ({@code POST /domains/{domain}/products}): a JSON array of
 * products, each {@code {id, descriptor, schema?, ruleSet?, eventId?, reason?, actor?}}. Everything
 * that can be wrong with the request as a whole is a 400 here, before anything is written: not an
 * array, empty, more than {@link #MAX_PRODUCTS} items, an item that is not an object or not a valid
 * declaration (its index in the message), a product of another domain, the same product or event id
 * twice.
 */
final class BatchRequests {
  /** The most products one request may carry. */
  static final int MAX_PRODUCTS = 100;

  private static final ObjectMapper STRICT =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** One product of the batch, checked. */
  record Item(
      ProductId id,
      ProductDescriptor descriptor,
      String eventId,
      String reason,
      String actor,
      String schema,
      String ruleSet,
      String json) {}

  private BatchRequests() {}

  static List<Item> parse(Bodies bodies, String body, String domain) {
    if (body == null || body.isBlank()) {
      throw ApiException.badRequest(
          "INVALID_REQUEST", "this request needs a JSON array of products as its body");
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > Bodies.MAX_BYTES) {
      throw new ApiException(
          io.micronaut.http.HttpStatus.REQUEST_ENTITY_TOO_LARGE,
          "REQUEST_TOO_LARGE",
          "the body has " + bytes.length + " bytes; at most " + Bodies.MAX_BYTES + " are accepted");
    }
    JsonNode root;
    try {
      root = STRICT.readTree(bytes);
    } catch (IOException e) {
      throw ApiException.badRequest("MALFORMED_JSON", "the body is not JSON");
    }
    if (root == null || !root.isArray()) {
      throw ApiException.badRequest(
          "INVALID_REQUEST", "the body must be a JSON array of products: [{\"id\":..., ...}]");
    }
    if (root.isEmpty()) {
      throw ApiException.badRequest("EMPTY_BATCH", "the array holds no product");
    }
    if (root.size() > MAX_PRODUCTS) {
      throw ApiException.badRequest(
          "BATCH_TOO_LARGE",
          "the array holds " + root.size() + " products; at most " + MAX_PRODUCTS + " a request");
    }
    List<Item> items = new ArrayList<>(root.size());
    Set<String> ids = new HashSet<>();
    Set<String> eventIds = new HashSet<>();
    for (int i = 0; i < root.size(); i++) {
      Item item = item(bodies, root.get(i), i, domain);
      if (!ids.add(item.id().toString())) {
        throw ApiException.badRequest(
            "DUPLICATE_PRODUCT",
            "products[" + i + "]: " + item.id() + " appears more than once in the batch");
      }
      if (!eventIds.add(item.eventId())) {
        throw ApiException.badRequest(
            "DUPLICATE_EVENT_ID",
            "products[" + i + "]: eventId " + item.eventId() + " appears more than once");
      }
      items.add(item);
    }
    return items;
  }

  private static Item item(Bodies bodies, JsonNode node, int index, String domain) {
    String where = "products[" + index + "]";
    try {
      if (!node.isObject()) {
        throw ApiException.badRequest("INVALID_REQUEST", "not a JSON object");
      }
      JsonNode schema = node.get("schema");
      String schemaText = null;
      if (schema != null && !schema.isNull()) {
        // The Avro schema as Confluent takes it (a JSON string), or the schema's JSON itself.
        schemaText = schema.isTextual() ? schema.asText() : schema.toString();
        if (schemaText.isBlank()) {
          throw ApiException.badRequest("INVALID_REQUEST", "schema is empty");
        }
      }
      String ruleSet = ruleSet(node, schemaText);
      String id = text(node, "id");
      if (id == null) {
        throw ApiException.badRequest("INVALID_REQUEST", "id is required: <domain>.<product>");
      }
      ProductId productId = Ids.product(id);
      if (!productId.domain().equals(domain)) {
        throw ApiException.badRequest(
            "WRONG_DOMAIN",
            productId + " is not a product of domain " + domain + ", which this request writes");
      }
      JsonNode descriptorNode = node.get("descriptor");
      if (descriptorNode == null || descriptorNode.isNull()) {
        throw ApiException.badRequest("INVALID_REQUEST", "descriptor is required");
      }
      DescriptorDto dto = bodies.parse(descriptorNode.toString(), DescriptorDto.class);
      return new Item(
          productId,
          Requests.descriptor(dto),
          Requests.eventId(text(node, "eventId")),
          text(node, "reason"),
          text(node, "actor"),
          schemaText,
          ruleSet,
          node.toString());
    } catch (ApiException e) {
      throw ApiException.badRequest(e.code(), where + ": " + e.getMessage());
    }
  }

  /**
   * The contract's rule set, Confluent's {@code ruleSet} object as {@code POST
   * /subjects/{s}/versions} takes it, kept as that endpoint keeps it (MESH rules with a failure
   * action stock clients can run), so the same contract registered either way is the same version.
   */
  private static String ruleSet(JsonNode node, String schema) {
    JsonNode value = node.get("ruleSet");
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isObject()) {
      throw ApiException.badRequest(
          "INVALID_REQUEST",
          "ruleSet must be a JSON object ({\"domainRules\": [...]}), not "
              + value.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    if (schema == null) {
      throw ApiException.badRequest(
          "INVALID_REQUEST", "ruleSet needs a schema: rules belong to the contract they check");
    }
    return DataRules.withClientFailureActions(value.toString());
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ApiException.badRequest("INVALID_REQUEST", field + " must be a string");
    }
    return value.asText();
  }
}
