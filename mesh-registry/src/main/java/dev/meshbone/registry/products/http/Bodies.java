package dev.meshbone.registry.products.http;

import dev.meshbone.runtime.http.ApiException;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Request bodies, read here rather than by the framework so every way a body can be wrong (absent,
 * not JSON, JSON of the wrong shape, too big) is a 400 that says which, never a 500.
 */
@Singleton
public class Bodies {
  /** The largest body a write accepts. */
  public static final int MAX_BYTES = 256 * 1024;

  private static final com.fasterxml.jackson.databind.ObjectMapper STRICT =
      new com.fasterxml.jackson.databind.ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final JsonMapper json;

  public Bodies(JsonMapper json) {
    this.json = json;
  }

  public <T> T parse(String body, Class<T> type) {
    if (body == null || body.isBlank()) {
      throw ApiException.badRequest("INVALID_REQUEST", "this request needs a JSON body");
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_BYTES) {
      throw new ApiException(
          io.micronaut.http.HttpStatus.REQUEST_ENTITY_TOO_LARGE,
          "REQUEST_TOO_LARGE",
          "the body has " + bytes.length + " bytes; at most " + MAX_BYTES + " are accepted");
    }
    T value;
    try {
      // One JSON document and nothing after it: Micronaut's reader stops at the end of the first
      // value and would take "{...} trailing garbage" as the first value.
      STRICT.readTree(bytes);
      value = json.readValue(bytes, Argument.of(type));
    } catch (IOException | RuntimeException e) {
      throw ApiException.badRequest(
          "MALFORMED_JSON",
          "the body is not a JSON " + type.getSimpleName() + ": " + firstLine(e.getMessage()));
    }
    if (value == null) {
      throw ApiException.badRequest(
          "MALFORMED_JSON", "the body is not a JSON object: " + type.getSimpleName());
    }
    return value;
  }

  /**
   * Refuses a body whose {@code field} is there but not a JSON boolean: the framework reads any
   * string into a {@code Boolean} ({@code "yes"} as false), which would turn a typo into a result.
   */
  public static void requireBooleanOrAbsent(String body, String field) {
    com.fasterxml.jackson.databind.JsonNode value;
    try {
      value = STRICT.readTree(body).get(field);
    } catch (IOException e) {
      throw ApiException.badRequest("MALFORMED_JSON", "the body is not JSON");
    }
    if (value != null && !value.isNull() && !value.isBoolean()) {
      throw ApiException.badRequest(
          "INVALID_REQUEST", field + " must be true or false, not " + value.getNodeType());
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    String line = message.lines().findFirst().orElse(message);
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  /** An instant as ISO-8601 ({@code 2027-03-01T00:00:00Z}) or a date (midnight UTC); else 400. */
  public static Instant instant(String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException notInstant) {
      try {
        return LocalDate.parse(value.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notDate) {
        throw ApiException.badRequest(
            "INVALID_REQUEST",
            field
                + " '"
                + Ids.printable(value)
                + "' is not a time: give an ISO-8601 instant such as 2027-03-01T00:00:00Z or a"
                + " date such as 2027-03-01");
      }
    }
  }
}
