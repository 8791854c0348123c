package dev.meshbone.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.meshbone.client.MeshClientSettings;
import dev.meshbone.client.RegistryUnavailableException;
import dev.meshbone.serde.SchemaRegistryClientConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The SDK's HTTP to the mesh registry: JSON in and out, the acting domain in {@code X-Mesh-Domain}
 * (and basic auth when the settings give credentials), transient failures retried.
 *
 * <p>A transient failure is no answer (connection refused or reset, timeout) or a 502, 503 or 504:
 * the request is sent again up to {@link #ATTEMPTS} times in all, waiting 200 ms, 400 ms, ...
 * (jittered) between. Every request the SDK sends is safe to repeat: reads are reads, and writes
 * carry an event or request id that the mesh recognises. Other answers, 4xx and 500 included, are
 * returned to the caller to map into the SDK's exceptions.
 */
public final class RegistryHttp implements AutoCloseable {
  public static final String DOMAIN_HEADER = "X-Mesh-Domain";
  public static final String REQUEST_ID_HEADER = "X-Mesh-Request-Id";
  static final int ATTEMPTS = 4;
  static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final String domain;
  private final String authorization;
  private final Duration requestTimeout;
  private final HttpClient http;

  /** An answer: the status and the body parsed as JSON (a {@code NullNode} when not JSON). */
  public record Answer(int status, JsonNode body, String text) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** The registry's error code: {@code code} of the product API or {@code error_code}. */
    public String code() {
      if (body.hasNonNull("code")) {
        return body.get("code").asText();
      }
      if (body.hasNonNull("error_code")) {
        return body.get("error_code").asText();
      }
      return Integer.toString(status);
    }

    /** The registry's explanation, or the body's text. */
    public String message() {
      if (body.hasNonNull("message")) {
        return body.get("message").asText();
      }
      return text == null || text.isBlank() ? "HTTP " + status : text;
    }
  }

  public RegistryHttp(MeshClientSettings settings) {
    this.base = settings.registryUrl();
    this.domain = settings.domain();
    this.requestTimeout = settings.requestTimeout();
    // The schema registry client's settings (Confluent's names) say how to authenticate and
    // which certificates to trust; the product API is on the same server.
    var registry = new java.util.HashMap<String, Object>(settings.registryProperties());
    registry.put(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG, base.toString());
    SchemaRegistryClientConfig config = SchemaRegistryClientConfig.fromMap(registry);
    this.authorization = config.authorization(config.endpoints().get(0)).orElse(null);
    this.http =
        config
            .httpClientBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.requestTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** The registry's base URL. */
  public URI base() {
    return base;
  }

  public Answer get(String path) {
    return send("GET", path, null, null);
  }

  public Answer post(String path, Object body) {
    return send("POST", path, body, null);
  }

  public Answer post(String path, Object body, String requestId) {
    return send("POST", path, body, requestId);
  }

  public Answer put(String path, Object body) {
    return send("PUT", path, body, null);
  }

  public Answer delete(String path) {
    return send("DELETE", path, null, null);
  }

  /** A streaming GET (server-sent events): the open response, or an exception. */
  public HttpResponse<InputStream> openStream(String path, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .timeout(requestTimeout)
            .header("Accept", "text/event-stream")
            .header(DOMAIN_HEADER, domain)
            .GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  /** A path segment, URL-encoded. */
  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private Answer send(String method, String path, Object body, String requestId) {
    String json;
    try {
      json = body == null ? null : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write the request body as JSON", e);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .timeout(requestTimeout)
            .header("Accept", "application/json, application/vnd.schemaregistry.v1+json")
            .header(DOMAIN_HEADER, domain)
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    if (json != null) {
      request.header(
          "Content-Type",
          path.startsWith("/subjects") || path.startsWith("/compatibility")
              ? "application/vnd.schemaregistry.v1+json"
              : "application/json");
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (requestId != null) {
      request.header(REQUEST_ID_HEADER, requestId);
    }
    HttpRequest built = request.build();
    Exception last = null;
    int lastStatus = 0;
    String lastText = null;
    long wait = 200;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        HttpResponse<String> response =
            http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int status = response.statusCode();
        if (status == 502 || status == 503 || status == 504) {
          lastStatus = status;
          lastText = response.body();
          last = null;
        } else {
          return new Answer(status, parse(response.body()), response.body());
        }
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryUnavailableException(
            "interrupted while waiting for the mesh registry at " + base, e);
      }
      if (attempt < ATTEMPTS) {
        sleep(wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1));
        wait *= 2;
      }
    }
    String why =
        last != null
            ? (last.getMessage() == null ? last.getClass().getSimpleName() : last.getMessage())
            : "HTTP " + lastStatus + " " + parseMessage(lastText);
    throw new RegistryUnavailableException(
        "the mesh registry at "
            + base
            + " did not answer "
            + method
            + " "
            + path
            + " after "
            + ATTEMPTS
            + " attempts ("
            + why
            + "): check that mesh-registry runs there (meshbone.client.registry-url) and try again",
        last);
  }

  private static String parseMessage(String text) {
    JsonNode node = parse(text);
    if (node.hasNonNull("message")) {
      return node.get("message").asText();
    }
    return text == null ? "" : text.length() > 200 ? text.substring(0, 200) : text;
  }

  static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return NullNode.getInstance();
    }
    try {
      JsonNode node = JSON.readTree(text);
      return node == null ? NullNode.getInstance() : node;
    } catch (IOException e) {
      return NullNode.getInstance();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("interrupted while retrying the mesh registry", e);
    }
  }

  @Override
  public void close() {
    // java.net.http.HttpClient has no close() before Java 21; its threads end with it.
  }
}
