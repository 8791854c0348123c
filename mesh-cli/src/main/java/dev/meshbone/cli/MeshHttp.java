package dev.meshbone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * The CLI's HTTP to one service (the registry or quality-monitor), as the SDK's registry client
 * does it (whose implementation is internal to domain-events): JSON in and out, the acting domain
 * in {@code X-Mesh-Domain} when there is one, credentials by Confluent's names, a request id on
 * writes, and no answer, 502, 503 or 504 tried again four times in all (200 ms, 400 ms, ...).
 */
public final class MeshHttp {
  public static final String DOMAIN_HEADER = "X-Mesh-Domain";
  static final int ATTEMPTS = 4;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final String domain;
  private final String authorization;
  private final HttpClient http;
  private final Duration timeout;

  /** An answer: its status and body (a {@code NullNode} when it is not JSON). */
  public record Answer(int status, JsonNode body, String text) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** The service's explanation: {@code message} of a JSON error, or the body's text. */
    public String message() {
      if (body.hasNonNull("message")) {
        return body.get("message").asText();
      }
      return text == null || text.isBlank() ? "HTTP " + status : text;
    }
  }

  /** Thrown when the service did not answer after every attempt. */
  public static final class Unreachable extends RuntimeException {
    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public MeshHttp(String baseUrl, String actingDomain, Map<String, String> credentials) {
    String text = baseUrl.trim();
    try {
      this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    } catch (IllegalArgumentException e) {
      throw CliException.badInput("'" + baseUrl + "' is not a URL");
    }
    if (base.getScheme() == null
        || !(base.getScheme().equals("http") || base.getScheme().equals("https"))
        || base.getHost() == null) {
      throw CliException.badInput(
          "'" + baseUrl + "' is not an http(s) URL such as http://localhost:8081");
    }
    this.domain = actingDomain;
    this.authorization = authorization(credentials, base);
    this.timeout = Duration.ofSeconds(10);
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * The {@code Authorization} header as Confluent's clients send it: {@code bearer.auth.token}
   * (with {@code bearer.auth.credentials.source} unset or {@code STATIC_TOKEN}), else basic auth
   * from {@code basic.auth.user.info} ({@code basic.auth.credentials.source=USER_INFO}) or the
   * URL's user info.
   */
  static String authorization(Map<String, String> c, URI base) {
    String token = c.get("bearer.auth.token");
    String tokenSource = c.get("bearer.auth.credentials.source");
    if (token != null
        && !token.isBlank()
        && (tokenSource == null || tokenSource.equalsIgnoreCase("STATIC_TOKEN"))) {
      return "Bearer " + token.trim();
    }
    String userInfo = null;
    if ("USER_INFO".equalsIgnoreCase(c.get("basic.auth.credentials.source"))) {
      userInfo = c.get("basic.auth.user.info");
    } else if (base.getUserInfo() != null) {
      userInfo = base.getUserInfo();
    }
    return userInfo == null
        ? null
        : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
  }

  public URI base() {
    return base;
  }

  public Answer get(String path) {
    return send("GET", path, null, timeout);
  }

  public Answer post(String path, Object body) {
    return send("POST", path, body, timeout);
  }

  /** A POST that may take longer than the usual 10 s (a bulk write awaiting many verdicts). */
  public Answer post(String path, Object body, Duration timeout) {
    return send("POST", path, body, timeout);
  }

  public Answer delete(String path) {
    return send("DELETE", path, null, timeout);
  }

  /** A path segment, URL-encoded. */
  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private Answer send(String method, String path, Object body, Duration timeout) {
    String json;
    try {
      json = body == null ? null : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write the request body as JSON", e);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout)
            .header("Accept", "application/json, application/vnd.schemaregistry.v1+json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    if (domain != null) {
      request.header(DOMAIN_HEADER, domain);
    }
    if (json != null) {
      request.header(
          "Content-Type",
          path.startsWith("/subjects") || path.startsWith("/compatibility")
              ? "application/vnd.schemaregistry.v1+json"
              : "application/json");
    }
    if (!method.equals("GET")) {
      request.header("X-Mesh-Request-Id", UUID.randomUUID().toString());
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpRequest built = request.build();
    String why = null;
    Exception last = null;
    long wait = 200;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        HttpResponse<String> response =
            http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int status = response.statusCode();
        if (status != 502 && status != 503 && status != 504) {
          return new Answer(status, parse(response.body()), response.body());
        }
        why = "HTTP " + status;
        last = null;
      } catch (IOException e) {
        last = e;
        why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Unreachable("interrupted", e);
      }
      if (attempt < ATTEMPTS) {
        try {
          Thread.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new Unreachable("interrupted", e);
        }
        wait *= 2;
      }
    }
    throw new Unreachable(why, last);
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
}
