package dev.meshbone.registry.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain JSON client for the registry's product API, acting as a domain. */
final class ProductApi {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;

  ProductApi(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** An answer: status and body (parsed when it is JSON, else null). */
  record Answer(int status, JsonNode json, String text) {
    @Override
    public String toString() {
      return status + " " + text;
    }
  }

  /** Sends {@code body} (or none) as domain {@code domain} (or anonymously). */
  Answer send(String method, String path, String body, String domain) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (domain != null) {
      request.header("X-Mesh-Domain", domain);
    }
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json;
    try {
      json = SchemaHttp.JSON.readTree(response.body());
    } catch (IOException e) {
      json = null;
    }
    return new Answer(response.statusCode(), json, response.body());
  }
}
