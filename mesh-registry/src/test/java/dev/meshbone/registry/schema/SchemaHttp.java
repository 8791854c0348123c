package dev.meshbone.registry.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A plain HTTP client for the schema registry API, speaking as Confluent clients do. */
final class SchemaHttp {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CONFLUENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final Map<String, String> headers = new LinkedHashMap<>();

  SchemaHttp(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** The same client sending an extra header on every request. */
  SchemaHttp with(String header, String value) {
    var copy = new SchemaHttp(baseUrl);
    copy.headers.putAll(headers);
    copy.headers.put(header, value);
    return copy;
  }

  /** An answer: status, content type and body (parsed when it is JSON). */
  record Answer(int status, String contentType, String text) {
    JsonNode json() {
      try {
        return JSON.readTree(text);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + text, e);
      }
    }

    int errorCode() {
      return json().path("error_code").asInt();
    }

    @Override
    public String toString() {
      return status + " " + text;
    }
  }

  Answer get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  Answer delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  Answer post(String path, String body) {
    return post(path, body, CONFLUENT_TYPE);
  }

  Answer post(String path, String body, String contentType) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Answer put(String path, String body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", CONFLUENT_TYPE)
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  Answer method(String method, String path, String body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", CONFLUENT_TYPE)
            .method(method, HttpRequest.BodyPublishers.ofString(body == null ? "" : body)));
  }

  /** Registers {@code schema} under {@code subject}. */
  Answer register(String subject, String schema) {
    return post("/subjects/" + subject + "/versions", schemaBody(schema));
  }

  static String schemaBody(String schema) {
    return JSON.createObjectNode().put("schema", schema).toString();
  }

  private URI uri(String path) {
    return URI.create(baseUrl + path);
  }

  private Answer send(HttpRequest.Builder request) {
    request.timeout(Duration.ofSeconds(30)).header("Accept", CONFLUENT_TYPE);
    headers.forEach(request::header);
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
