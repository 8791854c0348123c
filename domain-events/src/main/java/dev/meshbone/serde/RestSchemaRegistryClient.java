package dev.meshbone.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshbone.serde.SchemaRegistryClientConfig.Endpoint;
import dev.meshbone.serde.internal.AvroSchemas;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SchemaRegistryClient} over HTTP ({@code java.net.http}), speaking the Confluent REST API
 * with {@code Content-Type: application/vnd.schemaregistry.v1+json}.
 *
 * <p><b>Caching.</b> Schema by id, id by (subject, schema, normalize), lookups and numbered
 * versions are cached for the life of the client; concurrent first uses of one key may each ask the
 * registry once (the answers are the same).
 *
 * <p><b>Retries and failover.</b> A request goes to the URL that last answered, then to each other
 * URL in turn when one fails transiently: an I/O error (refused, reset, timeout) or an HTTP 5xx
 * (Confluent's 50001 store error, 50002 timeout and 50003 forwarding error come as 500). When every
 * URL failed, the client waits and tries them all again, up to {@code schema.registry.max.retries}
 * rounds; the wait starts at {@code schema.registry.retries.wait.ms}, doubles each round up to
 * {@code schema.registry.retries.max.wait.ms}, and each wait is drawn at random between half and
 * all of it so that many clients do not retry in step. A 4xx answer is final and never retried.
 * Every request the client sends is idempotent in the Confluent API (registering a schema twice
 * gives its one id), so a retry after a lost answer is safe.
 *
 * <p><b>Auth.</b> Basic auth from {@code basic.auth.user.info} or the URL's user info; meshbone's
 * registry reads the user as the acting domain (the domain that must own the subject).
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
  private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistryClient.class);

  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9,"
          + " application/json; qs=0.5";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REFERENCE_DEPTH = 32;

  /** How the client waits between retry rounds; a seam for tests. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private record SubjectSchema(String subject, Schema schema, boolean normalize) {}

  private record SubjectVersion(String subject, int version) {}

  private final SchemaRegistryClientConfig config;
  private final HttpClient http;
  private final Sleeper sleeper;
  private final DoubleSupplier random;
  private final String[] authorization;
  // Index of the URL that answered last: the next request starts there.
  private final AtomicInteger preferred = new AtomicInteger();

  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, Integer> registered = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, RegisteredSchema> lookups = new ConcurrentHashMap<>();
  private final Map<SubjectVersion, RegisteredSchema> versions = new ConcurrentHashMap<>();

  public RestSchemaRegistryClient(SchemaRegistryClientConfig config) {
    this(
        config,
        duration -> Thread.sleep(duration.toMillis()),
        () -> ThreadLocalRandom.current().nextDouble());
  }

  RestSchemaRegistryClient(
      SchemaRegistryClientConfig config, Sleeper sleeper, DoubleSupplier random) {
    this.config = config;
    this.sleeper = sleeper;
    this.random = random;
    this.http =
        config
            .httpClientBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.authorization = new String[config.endpoints().size()];
    for (int i = 0; i < authorization.length; i++) {
      authorization[i] = config.authorization(config.endpoints().get(i)).orElse(null);
    }
  }

  /** A client configured by Confluent-style settings; see {@link SchemaRegistryClientConfig}. */
  public static RestSchemaRegistryClient fromConfig(Map<String, ?> props) {
    return new RestSchemaRegistryClient(SchemaRegistryClientConfig.fromMap(props));
  }

  public SchemaRegistryClientConfig config() {
    return config;
  }

  @Override
  public int register(String subject, Schema schema, boolean normalize) {
    var key = new SubjectSchema(subject, schema, normalize);
    Integer cached = registered.get(key);
    if (cached != null) {
      return cached;
    }
    Schema sent = AvroSchemas.withoutJavaProperties(schema);
    JsonNode answer =
        send(
            "POST",
            "/subjects/" + segment(subject) + "/versions" + (normalize ? "?normalize=true" : ""),
            schemaBody(sent));
    int id = requiredInt(answer, "id", "register under " + subject);
    registered.putIfAbsent(key, id);
    schemasById.putIfAbsent(id, sent);
    return id;
  }

  @Override
  public RegisteredSchema lookup(String subject, Schema schema, boolean normalize) {
    var key = new SubjectSchema(subject, schema, normalize);
    RegisteredSchema cached = lookups.get(key);
    if (cached != null) {
      return cached;
    }
    Schema sent = AvroSchemas.withoutJavaProperties(schema);
    JsonNode answer =
        send(
            "POST",
            "/subjects/" + segment(subject) + (normalize ? "?normalize=true" : ""),
            schemaBody(sent));
    int id = requiredInt(answer, "id", "lookup under " + subject);
    Schema found =
        answer.hasNonNull("schema") ? parseAnswer(answer, "lookup under " + subject) : sent;
    var result = new RegisteredSchema(subject, id, answer.path("version").asInt(0), found);
    lookups.putIfAbsent(key, result);
    schemasById.putIfAbsent(id, found);
    return result;
  }

  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = send("GET", "/schemas/ids/" + id, null);
    Schema schema = parseAnswer(answer, "schema id " + id);
    Schema raced = schemasById.putIfAbsent(id, schema);
    return raced != null ? raced : schema;
  }

  @Override
  public RegisteredSchema latest(String subject) {
    return versionAnswer(subject, "latest");
  }

  @Override
  public RegisteredSchema version(String subject, int version) {
    var key = new SubjectVersion(subject, version);
    RegisteredSchema cached = versions.get(key);
    if (cached != null) {
      return cached;
    }
    RegisteredSchema answer = versionAnswer(subject, Integer.toString(version));
    versions.putIfAbsent(key, answer);
    return answer;
  }

  @Override
  public CompatibilityResult testCompatibility(String subject, Schema schema) {
    return compatibility(subject, "latest", schema);
  }

  @Override
  public CompatibilityResult testCompatibility(String subject, int version, Schema schema) {
    return compatibility(subject, Integer.toString(version), schema);
  }

  @Override
  public void close() {
    // java.net.http.HttpClient has no close() before Java 21; its threads end once it is unused.
    schemasById.clear();
    registered.clear();
    lookups.clear();
    versions.clear();
  }

  private RegisteredSchema versionAnswer(String subject, String version) {
    String what = "subject " + subject + " version " + version;
    JsonNode answer = send("GET", "/subjects/" + segment(subject) + "/versions/" + version, null);
    int id = requiredInt(answer, "id", what);
    Schema schema = parseAnswer(answer, what);
    schemasById.putIfAbsent(id, schema);
    return new RegisteredSchema(
        answer.path("subject").asText(subject), id, answer.path("version").asInt(0), schema);
  }

  private CompatibilityResult compatibility(String subject, String version, Schema schema) {
    JsonNode answer =
        send(
            "POST",
            "/compatibility/subjects/"
                + segment(subject)
                + "/versions/"
                + version
                + "?verbose=true",
            schemaBody(AvroSchemas.withoutJavaProperties(schema)));
    if (!answer.has("is_compatible")) {
      throw new SchemaRegistryException(
          200, 200, "the registry's compatibility answer has no is_compatible: " + answer);
    }
    List<String> messages = new ArrayList<>();
    for (JsonNode message : answer.path("messages")) {
      messages.add(message.asText());
    }
    return new CompatibilityResult(answer.get("is_compatible").asBoolean(), messages);
  }

  // --- schema parsing (with Confluent schema references) ---

  private Schema parseAnswer(JsonNode answer, String what) {
    String type = answer.path("schemaType").asText("AVRO");
    if (!type.equalsIgnoreCase("AVRO")) {
      throw new SchemaRegistryException(
          200, 0, what + " is a " + type + " schema; this client reads AVRO schemas only");
    }
    if (!answer.hasNonNull("schema")) {
      throw new SchemaRegistryException(
          200, 0, "the registry's answer for " + what + " has no schema");
    }
    Schema.Parser parser = new Schema.Parser();
    addReferences(parser, answer.path("references"), 0, new HashSet<>());
    try {
      return parser.parse(answer.get("schema").asText());
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException(
          200,
          SchemaRegistryException.INVALID_SCHEMA,
          what + " does not parse as Avro: " + e.getMessage(),
          e);
    }
  }

  private void addReferences(
      Schema.Parser parser, JsonNode references, int depth, Set<String> seen) {
    if (!references.isArray() || references.isEmpty()) {
      return;
    }
    if (depth > MAX_REFERENCE_DEPTH) {
      throw new SchemaRegistryException(
          200, 0, "schema references nest deeper than " + MAX_REFERENCE_DEPTH);
    }
    for (JsonNode reference : references) {
      String subject = reference.path("subject").asText();
      String version = reference.path("version").asText("latest");
      if (!seen.add(subject + "\u0000" + version)) {
        continue;
      }
      JsonNode referenced =
          send("GET", "/subjects/" + segment(subject) + "/versions/" + version, null);
      addReferences(parser, referenced.path("references"), depth + 1, seen);
      try {
        parser.parse(referenced.path("schema").asText());
      } catch (SchemaParseException e) {
        throw new SchemaRegistryException(
            200,
            SchemaRegistryException.INVALID_SCHEMA,
            "referenced schema "
                + subject
                + " version "
                + version
                + " does not parse: "
                + e.getMessage(),
            e);
      }
    }
  }

  private static String schemaBody(Schema schema) {
    ObjectNode body = JSON.createObjectNode();
    body.put("schema", schema.toString());
    return body.toString();
  }

  private static int requiredInt(JsonNode answer, String field, String what) {
    JsonNode value = answer.get(field);
    if (value == null || !value.canConvertToInt()) {
      throw new SchemaRegistryException(
          200, 0, "the registry's answer to " + what + " has no " + field + ": " + answer);
    }
    return value.asInt();
  }

  static String segment(String pathSegment) {
    return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  // --- transport: failover, retries, errors ---

  private JsonNode send(String method, String pathAndQuery, String body) {
    List<Endpoint> endpoints = config.endpoints();
    int urls = endpoints.size();
    int attempts = 0;
    SchemaRegistryException last = null;
    for (int round = 0; round <= config.maxRetries(); round++) {
      if (round > 0) {
        Duration wait = backoff(round);
        LOG.warn(
            "schema registry {} {} failed on every URL ({}); retry {} of {} in {} ms",
            method,
            pathAndQuery,
            last.getMessage(),
            round,
            config.maxRetries(),
            wait.toMillis());
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SchemaRegistryException(
              0, 0, "interrupted while waiting to retry " + method + " " + pathAndQuery, e);
        }
      }
      int start = preferred.get();
      for (int k = 0; k < urls; k++) {
        int index = (start + k) % urls;
        attempts++;
        try {
          JsonNode answer = sendOnce(index, method, pathAndQuery, body);
          preferred.set(index);
          return answer;
        } catch (SchemaRegistryException e) {
          if (!e.isTransient()) {
            throw e;
          }
          last = e;
          LOG.debug("schema registry {} {} failed: {}", method, pathAndQuery, e.getMessage());
        }
      }
    }
    throw new SchemaRegistryException(
        last.status(),
        last.errorCode(),
        last.getMessage() + " (gave up after " + attempts + " attempts on " + endpoints + ")",
        last);
  }

  /** The wait before retry round {@code round} (1, 2, ...): doubling, capped, equal jitter. */
  Duration backoff(int round) {
    long base = config.retryWait().toMillis();
    long cap = config.retryMaxWait().toMillis();
    long exponential = base;
    for (int i = 1; i < round && exponential < cap; i++) {
      exponential *= 2;
    }
    exponential = Math.min(exponential, cap);
    long half = exponential / 2;
    return Duration.ofMillis(half + (long) (random.getAsDouble() * (exponential - half)));
  }

  private JsonNode sendOnce(int index, String method, String pathAndQuery, String body) {
    Endpoint endpoint = config.endpoints().get(index);
    URI uri = URI.create(endpoint.baseUri() + pathAndQuery);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(config.requestTimeout())
            .header("Accept", ACCEPT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      request.header("Content-Type", CONTENT_TYPE);
    }
    if (authorization[index] != null) {
      request.header("Authorization", authorization[index]);
    }
    HttpResponse<String> response;
    try {
      response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new SchemaRegistryException(
          0, 0, method + " " + uri + " got no answer: " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(0, 0, "interrupted during " + method + " " + uri, e);
    }
    int status = response.statusCode();
    String text = response.body() == null ? "" : response.body();
    if (status >= 200 && status < 300) {
      try {
        return JSON.readTree(text.isEmpty() ? "{}" : text);
      } catch (JsonProcessingException e) {
        throw new SchemaRegistryException(
            status,
            status,
            method
                + " "
                + uri
                + " answered "
                + status
                + " with a body that is not JSON: "
                + snippet(text));
      }
    }
    throw error(status, text, method + " " + uri);
  }

  private static SchemaRegistryException error(int status, String text, String request) {
    try {
      JsonNode body = JSON.readTree(text);
      if (body != null && body.has("error_code")) {
        int code = body.path("error_code").asInt(status);
        String message = body.path("message").asText("");
        return new SchemaRegistryException(
            status,
            code,
            message + " (error_code " + code + ", HTTP " + status + " from " + request + ")");
      }
    } catch (JsonProcessingException e) {
      // Not Confluent's error body (a proxy's HTML page, say): report status and text below.
    }
    return new SchemaRegistryException(
        status, status, "HTTP " + status + " from " + request + ": " + snippet(text));
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static String snippet(String text) {
    String flat = text.replaceAll("\\s+", " ").trim();
    return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
  }
}
