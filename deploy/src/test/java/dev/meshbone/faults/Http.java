package dev.meshbone.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/** A plain HTTP client with a deadline on every request, so a hang fails the test. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;

  Http(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** An answer: status, content type and body text. */
  record Answer(String request, int status, String contentType, String text) {
    JsonNode json() {
      try {
        return JSON.readTree(text);
      } catch (IOException e) {
        return null;
      }
    }

    /**
     * A read while Kafka is in trouble: the data, or 503 with a JSON error; never a hang or 500.
     */
    void assertReadAnswered() {
      if (status == 200) {
        return;
      }
      assertThat(status).as(toString()).isEqualTo(503);
      assertThat(json()).as(toString()).isNotNull();
      assertThat(json().path("code").asText()).as(toString()).isNotBlank();
    }

    @Override
    public String toString() {
      String shown = text.length() > 300 ? text.substring(0, 300) + "..." : text;
      return request + " -> " + status + " " + contentType + " " + shown;
    }
  }

  Answer send(
      String method, String path, String contentType, byte[] body, Map<String, String> headers) {
    var builder =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(TIMEOUT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    headers.forEach(builder::header);
    String shown = method + " " + path;
    try {
      var response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          shown,
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body());
    } catch (HttpTimeoutException e) {
      throw new AssertionError(shown + " got no answer within " + TIMEOUT, e);
    } catch (IOException e) {
      throw new AssertionError(shown + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(shown + " interrupted", e);
    }
  }

  Answer get(String path, Map<String, String> headers) {
    return send("GET", path, null, null, headers);
  }

  Answer json(String method, String path, String body, Map<String, String> headers) {
    return send(
        method,
        path,
        "application/json",
        body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        headers);
  }
}
