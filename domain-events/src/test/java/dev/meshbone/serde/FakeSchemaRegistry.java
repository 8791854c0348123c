package dev.meshbone.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A test double of the HTTP peer: a small in-memory registry on a free local port that answers the
 * endpoints the client uses as Confluent Schema Registry does (JSON bodies, {@code error_code}s,
 * BACKWARD compatibility on register), records every request, and can be told to fail the next
 * requests (an HTTP error, or a dropped connection). Not a registry to trust for anything else.
 */
final class FakeSchemaRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Request(
      String method, String path, String query, Map<String, List<String>> headers, String body) {
    String header(String name) {
      for (var entry : headers.entrySet()) {
        if (entry.getKey().equalsIgnoreCase(name)) {
          return entry.getValue().get(0);
        }
      }
      return null;
    }
  }

  private record Reference(String name, String subject, int version) {}

  private record Stored(int id, String schema, String type, List<Reference> references) {}

  private record Version(int version, Stored schema) {}

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedDeque<int[]> failures = new ConcurrentLinkedDeque<>();
  private final Map<String, List<Version>> subjects = new LinkedHashMap<>();
  private final Map<Integer, Stored> byId = new HashMap<>();
  private final Map<String, Stored> byCanonical = new HashMap<>();
  private volatile String requiredUserInfo;
  private int nextId = 1;

  private FakeSchemaRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", this::handle);
    server.start();
  }

  static FakeSchemaRegistry start() {
    try {
      return new FakeSchemaRegistry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  int requestCount() {
    return requests.size();
  }

  /** The next {@code times} requests get this status and Confluent error body. */
  void failNext(int times, int status, int errorCode) {
    for (int i = 0; i < times; i++) {
      failures.add(new int[] {status, errorCode});
    }
  }

  /** The next {@code times} requests get no answer: the connection is closed. */
  void dropNext(int times) {
    for (int i = 0; i < times; i++) {
      failures.add(new int[] {0, 0});
    }
  }

  /** Requests without {@code Authorization: Basic base64(userInfo)} get 401. */
  void requireBasicAuth(String userInfo) {
    this.requiredUserInfo = userInfo;
  }

  /** Registers directly (test set-up), returning the id. */
  synchronized int register(String subject, String schema) {
    return registerStored(subject, schema, "AVRO", List.of()).id();
  }

  /** Registers a schema that names types of other subjects' versions (Confluent references). */
  synchronized int registerWithReference(
      String subject, String schema, String refName, String refSubject, int refVersion) {
    return registerStored(
            subject, schema, "AVRO", List.of(new Reference(refName, refSubject, refVersion)))
        .id();
  }

  /** Registers a schema of another type (the client must refuse to read it as Avro). */
  synchronized int registerOtherType(String subject, String type, String schema) {
    return registerStored(subject, schema, type, List.of()).id();
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  // --- HTTP ---

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(
          new Request(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getRawPath(),
              exchange.getRequestURI().getRawQuery(),
              Map.copyOf(exchange.getRequestHeaders()),
              body));
      int[] failure = failures.poll();
      if (failure != null) {
        if (failure[0] == 0) {
          return; // closed without an answer
        }
        error(exchange, failure[0], failure[1], "scripted failure");
        return;
      }
      if (requiredUserInfo != null) {
        String expected =
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(requiredUserInfo.getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
          error(exchange, 401, 401, "Unauthorized");
          return;
        }
      }
      route(exchange, body);
    } catch (RuntimeException e) {
      error(exchange, 500, 50001, "fake registry bug: " + e);
    } finally {
      exchange.close();
    }
  }

  private void route(HttpExchange exchange, String body) throws IOException {
    String method = exchange.getRequestMethod();
    List<String> path = new ArrayList<>();
    for (String segment : exchange.getRequestURI().getRawPath().split("/")) {
      if (!segment.isEmpty()) {
        path.add(URLDecoder.decode(segment, StandardCharsets.UTF_8));
      }
    }
    synchronized (this) {
      if (method.equals("POST")
          && path.size() == 3
          && path.get(0).equals("subjects")
          && path.get(2).equals("versions")) {
        registerRequest(exchange, path.get(1), body);
      } else if (method.equals("POST") && path.size() == 2 && path.get(0).equals("subjects")) {
        lookupRequest(exchange, path.get(1), body);
      } else if (method.equals("GET")
          && path.size() == 3
          && path.get(0).equals("schemas")
          && path.get(1).equals("ids")) {
        byIdRequest(exchange, path.get(2));
      } else if (method.equals("GET")
          && path.size() == 4
          && path.get(0).equals("subjects")
          && path.get(2).equals("versions")) {
        versionRequest(exchange, path.get(1), path.get(3));
      } else if (method.equals("POST")
          && path.size() == 5
          && path.get(0).equals("compatibility")
          && path.get(3).equals("versions")) {
        compatibilityRequest(exchange, path.get(2), path.get(4), body);
      } else {
        error(exchange, 404, 404, "HTTP 404 Not Found");
      }
    }
  }

  private void registerRequest(HttpExchange exchange, String subject, String body)
      throws IOException {
    String schema = schemaOf(body);
    Schema parsed;
    try {
      parsed = new Schema.Parser().parse(schema);
    } catch (RuntimeException e) {
      error(exchange, 422, 42201, "Invalid schema " + e.getMessage());
      return;
    }
    List<Version> versions = subjects.get(subject);
    if (versions != null && !versions.isEmpty() && find(subject, parsed) == null) {
      Schema latest = new Schema.Parser().parse(versions.get(versions.size() - 1).schema.schema);
      var result = SchemaCompatibility.checkReaderWriterCompatibility(parsed, latest).getResult();
      if (result.getCompatibility() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
        error(
            exchange,
            409,
            409,
            "Schema being registered is incompatible with an earlier schema for subject \""
                + subject
                + "\"");
        return;
      }
    }
    Stored stored = registerStored(subject, schema, "AVRO", List.of());
    ObjectNode answer = JSON.createObjectNode();
    answer.put("id", stored.id);
    ok(exchange, answer);
  }

  private void lookupRequest(HttpExchange exchange, String subject, String body)
      throws IOException {
    if (!subjects.containsKey(subject)) {
      error(exchange, 404, 40401, "Subject '" + subject + "' not found.");
      return;
    }
    Version version = find(subject, new Schema.Parser().parse(schemaOf(body)));
    if (version == null) {
      error(exchange, 404, 40403, "Schema not found");
      return;
    }
    ok(exchange, versionJson(subject, version));
  }

  private void byIdRequest(HttpExchange exchange, String id) throws IOException {
    Stored stored;
    try {
      stored = byId.get(Integer.parseInt(id));
    } catch (NumberFormatException e) {
      stored = null;
    }
    if (stored == null) {
      error(exchange, 404, 40403, "Schema " + id + " not found");
      return;
    }
    ObjectNode answer = JSON.createObjectNode();
    answer.put("schema", stored.schema);
    if (!stored.type.equals("AVRO")) {
      answer.put("schemaType", stored.type);
    }
    addReferences(answer, stored);
    ok(exchange, answer);
  }

  private void versionRequest(HttpExchange exchange, String subject, String version)
      throws IOException {
    List<Version> versions = subjects.get(subject);
    if (versions == null) {
      error(exchange, 404, 40401, "Subject '" + subject + "' not found.");
      return;
    }
    Version found = null;
    if (version.equals("latest")) {
      found = versions.get(versions.size() - 1);
    } else {
      for (Version v : versions) {
        if (Integer.toString(v.version).equals(version)) {
          found = v;
        }
      }
    }
    if (found == null) {
      error(exchange, 404, 40402, "Version " + version + " not found.");
      return;
    }
    ok(exchange, versionJson(subject, found));
  }

  private void compatibilityRequest(
      HttpExchange exchange, String subject, String version, String body) throws IOException {
    List<Version> versions = subjects.get(subject);
    if (versions == null) {
      error(exchange, 404, 40401, "Subject '" + subject + "' not found.");
      return;
    }
    Version against =
        version.equals("latest")
            ? versions.get(versions.size() - 1)
            : versions.get(Integer.parseInt(version) - 1);
    Schema candidate = new Schema.Parser().parse(schemaOf(body));
    var result =
        SchemaCompatibility.checkReaderWriterCompatibility(
                candidate, new Schema.Parser().parse(against.schema.schema))
            .getResult();
    ObjectNode answer = JSON.createObjectNode();
    boolean compatible =
        result.getCompatibility() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    answer.put("is_compatible", compatible);
    ArrayNode messages = answer.putArray("messages");
    for (var incompatibility : result.getIncompatibilities()) {
      messages.add(incompatibility.getType() + " at " + incompatibility.getLocation());
    }
    ok(exchange, answer);
  }

  // --- state ---

  private Stored registerStored(
      String subject, String schema, String type, List<Reference> references) {
    String canonical =
        type.equals("AVRO") && references.isEmpty()
            ? new Schema.Parser().parse(schema).toString()
            : schema;
    Stored stored = byCanonical.get(canonical);
    if (stored == null) {
      stored = new Stored(nextId++, schema, type, references);
      byCanonical.put(canonical, stored);
      byId.put(stored.id, stored);
    }
    List<Version> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
    for (Version v : versions) {
      if (v.schema.id == stored.id) {
        return stored;
      }
    }
    versions.add(new Version(versions.size() + 1, stored));
    return stored;
  }

  private Version find(String subject, Schema schema) {
    for (Version v : subjects.getOrDefault(subject, List.of())) {
      if (v.schema.type.equals("AVRO")
          && v.schema.references.isEmpty()
          && new Schema.Parser().parse(v.schema.schema).toString().equals(schema.toString())) {
        return v;
      }
    }
    return null;
  }

  private ObjectNode versionJson(String subject, Version version) {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("subject", subject);
    answer.put("id", version.schema.id);
    answer.put("version", version.version);
    answer.put("schema", version.schema.schema);
    addReferences(answer, version.schema);
    return answer;
  }

  private static void addReferences(ObjectNode answer, Stored stored) {
    if (stored.references.isEmpty()) {
      return;
    }
    ArrayNode references = answer.putArray("references");
    for (Reference reference : stored.references) {
      references
          .addObject()
          .put("name", reference.name)
          .put("subject", reference.subject)
          .put("version", reference.version);
    }
  }

  private static String schemaOf(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node.get("schema").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void ok(HttpExchange exchange, JsonNode body) throws IOException {
    send(exchange, 200, body.toString());
  }

  private static void error(HttpExchange exchange, int status, int code, String message)
      throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("error_code", code);
    body.put("message", message);
    send(exchange, status, body.toString());
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
    // One connection per request, so a dropped connection is always a fresh one's failure.
    exchange.getResponseHeaders().set("Connection", "close");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
