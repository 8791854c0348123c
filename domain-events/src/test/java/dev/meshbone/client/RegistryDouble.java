package dev.meshbone.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.apache.avro.Schema;

/**
 * A test double of the mesh registry's HTTP API on a free local port: each test scripts the answers
 * it needs by method and path (a fixed answer, or a function of the request), and the double
 * records every request. A small schema lookup ({@code POST /subjects/{s}}, {@code GET
 * /schemas/ids/{id}}) serves the schemas a test {@link #addSchema adds}. Unscripted requests get a
 * 404 with the registry's error body.
 */
final class RegistryDouble implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  record Request(String method, String path, Map<String, String> headers, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String header(String name) {
      return headers.get(name.toLowerCase());
    }
  }

  record Answer(int status, String body, String contentType) {
    static Answer json(int status, String body) {
      return new Answer(status, body, "application/json");
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Function<Request, Answer>> routes = new ConcurrentHashMap<>();
  private final Map<String, Map.Entry<Integer, Schema>> schemasBySubject =
      new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

  private RegistryDouble() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  static RegistryDouble start() {
    try {
      return new RegistryDouble();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers {@code method path} (path with query, exactly) with {@code status} and JSON body. */
  RegistryDouble on(String method, String path, int status, String body) {
    routes.put(method + " " + path, r -> Answer.json(status, body));
    return this;
  }

  RegistryDouble on(String method, String path, Function<Request, Answer> answer) {
    routes.put(method + " " + path, answer);
    return this;
  }

  /** A product the registry knows: {@code GET /products/{id}} answers it as ACTIVE version 1. */
  RegistryDouble product(String id) {
    return on("GET", "/products/" + id, 200, productJson(id, "ACTIVE", 1, null));
  }

  /**
   * A product that exists once {@code POST /products} was sent, at version 1 + the writes sent to
   * it since (as the registry shows an accepted write).
   */
  RegistryDouble simulatedProduct(String id) {
    return on(
        "GET",
        "/products/" + id,
        r -> {
          if (requests("POST", "/products").stream().noneMatch(q -> q.path().equals("/products"))) {
            return Answer.json(404, "{\"code\":\"PRODUCT_NOT_FOUND\",\"message\":\"no product\"}");
          }
          long writes =
              requests("PUT", "/products/" + id).size()
                  + requests("POST", "/products/" + id + "/deprecation").size()
                  + requests("POST", "/products/" + id + "/retirement").size();
          return Answer.json(200, productJson(id, "ACTIVE", 1 + writes, null));
        });
  }

  static String productJson(String id, String status, long version, String descriptor) {
    return """
        {"id":"%s","domain":"%s","descriptor":%s,
         "lifecycle":{"status":"%s","version":%d,"lastChange":"CREATED","lastEventId":"e1",
                      "changedAt":"2026-01-01T00:00:00Z","sunsetAt":null,"reason":null,"actor":null},
         "contract":{"subject":"%s-value","latestVersion":null,"versions":[]},
         "health":null,"topics":null,"subscriberCount":0,"pendingSubscriptionRequests":0}
        """
        .formatted(
            id,
            id.substring(0, id.indexOf('.')),
            descriptor == null ? "null" : descriptor,
            status,
            version,
            id);
  }

  /** A schema registered under {@code subject} with {@code id}. */
  RegistryDouble addSchema(String subject, int id, Schema schema) {
    schemasBySubject.put(subject, Map.entry(id, schema));
    schemasById.put(id, schema);
    return this;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  List<Request> requests(String method, String pathPrefix) {
    List<Request> matching = new ArrayList<>();
    for (Request r : requests) {
      if (r.method().equals(method) && r.path().startsWith(pathPrefix)) {
        matching.add(r);
      }
    }
    return matching;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> headers = new HashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
    String path = exchange.getRequestURI().getRawPath();
    if (exchange.getRequestURI().getRawQuery() != null) {
      path += "?" + exchange.getRequestURI().getRawQuery();
    }
    var request = new Request(exchange.getRequestMethod(), path, headers, body);
    requests.add(request);
    Answer answer;
    Function<Request, Answer> route = routes.get(request.method() + " " + path);
    if (route != null) {
      answer = route.apply(request);
    } else {
      answer = schemaApi(request);
    }
    if (answer == null) {
      exchange.close(); // drop the connection
      return;
    }
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", answer.contentType());
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private Answer schemaApi(Request request) {
    String path = request.path();
    if (request.method().equals("POST")
        && path.startsWith("/subjects/")
        && !path.contains("/versions")) {
      String subject = path.substring("/subjects/".length()).split("\\?")[0];
      var stored = schemasBySubject.get(subject);
      if (stored == null) {
        return Answer.json(
            404, "{\"error_code\":40401,\"message\":\"Subject '" + subject + "' not found.\"}");
      }
      Schema asked = new Schema.Parser().parse(request.json().get("schema").asText());
      if (!asked.equals(stored.getValue())) {
        return Answer.json(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
      }
      return Answer.json(
          200,
          JSON.createObjectNode()
              .put("subject", subject)
              .put("id", stored.getKey())
              .put("version", 1)
              .put("schema", stored.getValue().toString())
              .toString());
    }
    if (request.method().equals("GET") && path.startsWith("/schemas/ids/")) {
      int id = Integer.parseInt(path.substring("/schemas/ids/".length()).split("[?/]")[0]);
      Schema schema = schemasById.get(id);
      if (schema == null) {
        return Answer.json(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
      }
      return Answer.json(200, JSON.createObjectNode().put("schema", schema.toString()).toString());
    }
    return Answer.json(404, "{\"code\":\"NOT_FOUND\",\"message\":\"no route " + path + "\"}");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
