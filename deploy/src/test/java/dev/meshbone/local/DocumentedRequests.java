package dev.meshbone.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The requests the docs show, sent to a running local mesh with its demo, each answer checked
 * against the output the page shows. Every {@code curl} command of the README's walk-through, the
 * registry API page and the quality monitor page is sent to the mesh (ports in the docs are the
 * defaults, mapped to the mesh's) and its answer compared with what the page shows under it: the
 * status code, and the fields that do not change from run to run (counts, times and ids do). A
 * documented {@code curl} command without a check here fails, and every {@code http://localhost}
 * URL the README gives (the start-up banner's, the dashboard's) must answer 200.
 *
 * <p>The walk-through's reads come first: the registry page's example adds a product. The demo must
 * have been running about half a minute for every read to answer as shown (reads are asked again,
 * up to 90 s, until they do).
 */
final class DocumentedRequests {
  private static final List<String> PAGES =
      List.of("README.md", "docs/quality-monitor.md", "docs/registry-api.md");
  private static final Set<String> VOLATILE =
      Set.of(
          "eventId",
          "lastEventId",
          "changedAt",
          "requestedAt",
          "updatedAt",
          "createdAt",
          "id",
          "evaluatedAt",
          "windowStart",
          "windowEnd",
          "lastUpdateAt");
  private static final Pattern PAIR =
      Pattern.compile(
          "\"([\\w-]+)\":(\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d+(?:\\.\\d+)?|true|false|null)");

  private final HttpClient http = HttpClient.newHttpClient();
  private final JsonMapper json = JsonMapper.createDefault();
  private final Map<Integer, Integer> ports;
  private final int kafkaPort;
  private final int qualityPort;

  DocumentedRequests(int kafkaPort, int registryPort, int validatorPort, int qualityPort) {
    this.kafkaPort = kafkaPort;
    this.qualityPort = qualityPort;
    this.ports =
        Map.of(9092, kafkaPort, 8081, registryPort, 8082, validatorPort, 8083, qualityPort);
  }

  /** Sends every documented request and checks every answer. */
  void checkAll() throws Exception {
    Set<String> checked = new LinkedHashSet<>();
    for (DocumentedCommand c : DocumentedCommand.curlCommands("README.md")) {
      checkRead(c, walkThroughCheck(c));
      checked.add(c.command());
    }
    checkReadmeUrls();
    for (DocumentedCommand c : DocumentedCommand.curlCommands("docs/quality-monitor.md")) {
      checkRead(c, this::assertShownFields);
      checked.add(c.command());
    }
    checked.addAll(checkRegistryExample());

    Set<String> documented = new LinkedHashSet<>();
    for (String page : PAGES) {
      DocumentedCommand.curlCommands(page).forEach(c -> documented.add(c.command()));
    }
    assertThat(checked).as("the documented curl commands checked").isEqualTo(documented);
    assertThat(documented).hasSizeGreaterThanOrEqualTo(18);
  }

  /** The URLs the README gives (the banner's and the dashboard's) answer. */
  private void checkReadmeUrls() throws IOException, InterruptedException {
    Matcher url =
        Pattern.compile("http://localhost:(\\d+)(/[\\w./-]*)")
            .matcher(Files.readString(DocumentedCommand.ROOT.resolve("README.md")));
    int urls = 0;
    while (url.find()) {
      int port = ports.get(Integer.parseInt(url.group(1)));
      String page = get("http://localhost:" + port + url.group(2), null);
      assertThat(page).as(url.group()).startsWith("200 ");
      if (url.group(2).equals("/") && port == qualityPort) {
        assertThat(page).as("the dashboard").contains("<html");
      }
      urls++;
    }
    assertThat(urls).isGreaterThanOrEqualTo(5);
  }

  /** A read that may need the demo to get further: asked again until its answer is as shown. */
  private void checkRead(DocumentedCommand c, BiConsumer<DocumentedCommand, Answer> check) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(() -> check.accept(c, send(c)));
  }

  /** What each walk-through command shows, projected from the full answer as its jq filter does. */
  private BiConsumer<DocumentedCommand, Answer> walkThroughCheck(DocumentedCommand c) {
    String path = URI.create(c.request(ports).uri().toString()).getPath();
    if (path.equals("/products")) {
      return (doc, answer) -> {
        List<Object> live = new ArrayList<>();
        for (JsonNode p : answer.json().get("items").values()) {
          live.add(
              plain(
                  Map.of(
                      "id", p.get("id"),
                      "status", p.get("status"),
                      "version", p.get("version"),
                      "owner", p.get("ownerTeam"))));
        }
        assertThat(live).isEqualTo(shownJson(doc));
      };
    }
    if (path.equals("/products/clinical-trials.enrollments")) {
      return (doc, answer) -> {
        JsonNode p = answer.json();
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = (Map<String, Object>) shownJson(doc).get(0);
        assertThat(plain(p.get("lifecycle").get("status"))).isEqualTo(shown.get("status"));
        assertThat(plain(p.get("health").get("state"))).isEqualTo(shown.get("health"));
        assertThat(plain(p.get("subscriberCount"))).isEqualTo(shown.get("subscribers"));
        List<Object> versions = new ArrayList<>();
        for (JsonNode v : p.get("contract").get("versions").values()) {
          versions.add(plain(v.get("version")));
          assertThat(v.get("schemaId").getIntValue()).isPositive();
        }
        assertThat(versions)
            .isEqualTo(
                ((List<?>) shown.get("contract"))
                    .stream().map(v -> ((Map<?, ?>) v).get("version")).toList());
      };
    }
    if (path.endsWith("/lineage")) {
      return (doc, answer) ->
          assertThat(plain(answer.json().get("edges"))).isEqualTo(shownJson(doc).get(0));
    }
    if (path.endsWith("-value/versions")) {
      return (doc, answer) -> assertThat(plain(answer.json())).isEqualTo(shownJson(doc).get(0));
    }
    if (path.endsWith("-value/versions/latest")) {
      return (doc, answer) -> {
        List<Object> rules = new ArrayList<>();
        for (JsonNode r : answer.json().get("ruleSet").get("domainRules").values()) {
          rules.add(plain(Map.of("name", r.get("name"), "params", r.get("params"))));
        }
        assertThat(rules).isEqualTo(shownJson(doc));
      };
    }
    if (path.endsWith("/stats")) {
      return (doc, answer) -> {
        JsonNode stats = answer.json();
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = (Map<String, Object>) shownJson(doc).get(0);
        assertThat(stats.get("valid").getLongValue()).isPositive();
        assertThat(stats.get("invalid").getLongValue()).isPositive();
        assertThat(((Map<?, ?>) plain(stats.get("invalidByReason"))).keySet())
            .isEqualTo(((Map<?, ?>) shown.get("invalidByReason")).keySet());
        assertThat(stats.get("rejectionRate").getDoubleValue()).isBetween(0.0, 1.0);
      };
    }
    if (path.equals("/prometheus")) {
      return (doc, answer) -> {
        Set<String> live = new TreeSet<>();
        for (String line : answer.body().split("\n")) {
          if (line.startsWith("meshbone_validator_records_total{")
              && line.contains("clinical-trials")) {
            live.add(line.substring(0, line.lastIndexOf(' ')));
            assertThat(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).isPositive();
          }
        }
        Set<String> shown = new TreeSet<>();
        doc.shown().forEach(l -> shown.add(l.substring(0, l.lastIndexOf(' '))));
        assertThat(live).isEqualTo(shown);
      };
    }
    if (path.equals("/products/supply-chain.batch-releases")) {
      return (doc, answer) -> {
        JsonNode health = answer.json();
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = (Map<String, Object>) shownJson(doc).get(0);
        assertThat(plain(health.get("state"))).isEqualTo(shown.get("state"));
        assertThat(health.get("passRate").getDoubleValue()).isBetween(0.0, 1.0);
        List<String> reasons = new ArrayList<>();
        health.get("reasons").values().forEach(r -> reasons.add(shape(r.getStringValue())));
        assertThat(reasons)
            .isEqualTo(
                ((List<?>) shown.get("reasons")).stream().map(r -> shape((String) r)).toList());
      };
    }
    if (path.equals("/summary")) {
      return (doc, answer) ->
          assertThat(plain(answer.json().get("byState"))).isEqualTo(shownJson(doc).get(0));
    }
    if (path.endsWith("/issues")) {
      return (doc, answer) -> {
        List<Object> live = new ArrayList<>();
        for (JsonNode i : answer.json().get("issues").values()) {
          live.add(
              plain(
                  Map.of(
                      "reporterDomain", i.get("reporterDomain"),
                      "severity", i.get("severity"),
                      "state", i.get("state"),
                      "title", i.get("title"))));
        }
        assertThat(live).isEqualTo(shownJson(doc));
      };
    }
    if (path.endsWith("/notifications")) {
      return (doc, answer) -> {
        List<String> live = new ArrayList<>();
        for (JsonNode n : answer.json().get("notifications").values()) {
          live.add(
              shape(n.get("type").getStringValue() + "  " + n.get("summary").getStringValue()));
        }
        List<String> shown = doc.shown().stream().map(DocumentedRequests::shape).toList();
        assertThat(live).containsExactlyInAnyOrderElementsOf(shown);
      };
    }
    if (path.equals("/health")) {
      return (doc, answer) -> {
        assertThat(answer.status()).isEqualTo(200);
        JsonNode health = answer.json();
        JsonNode streams = health.get("details").get("kafka-streams").get("details");
        JsonNode kafka = health.get("details").get("kafka").get("details");
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = (Map<String, Object>) shownJson(doc).get(0);
        assertThat(plain(health.get("status"))).isEqualTo(shown.get("status"));
        assertThat(
                plain(
                    Map.of(
                        "applicationId",
                        streams.get("applicationId"),
                        "state",
                        streams.get("state"))))
            .isEqualTo(shown.get("streams"));
        Map<?, ?> shownKafka = (Map<?, ?>) shown.get("kafka");
        assertThat(kafka.get("bootstrapServers").getStringValue())
            .isEqualTo(
                ((String) shownKafka.get("bootstrapServers")).replace(":9092", ":" + kafkaPort));
        assertThat(plain(kafka.get("brokers"))).isEqualTo(shownKafka.get("brokers"));
        assertThat(kafka.get("clusterId").getStringValue()).isNotBlank();
      };
    }
    throw new AssertionError("no check for the walk-through's command " + c);
  }

  /**
   * The registry page's example, in its order: register, subscribe, approve, the live stream, the
   * deprecation, and the deprecation arriving on the stream. Writes are sent once each.
   */
  private List<String> checkRegistryExample() throws IOException, InterruptedException {
    List<String> checked = new ArrayList<>();
    List<String> streamShown = new ArrayList<>();
    List<String> streamed = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<Stream<String>> body = new AtomicReference<>();
    ExecutorService reader = Executors.newSingleThreadExecutor();
    CompletableFuture<Void> stream = null;
    try {
      for (DocumentedCommand c : DocumentedCommand.curlCommands("docs/registry-api.md")) {
        checked.add(c.command());
        if (c.background()) {
          stream =
              http.sendAsync(c.request(ports), HttpResponse.BodyHandlers.ofLines())
                  .thenAcceptAsync(
                      r -> {
                        body.set(r.body());
                        if (r.statusCode() == 200) {
                          r.body().forEach(streamed::add);
                        }
                      },
                      reader);
          c.shown().forEach(streamShown::add);
          // The stream is open once its first event, the heartbeat, has arrived.
          await().atMost(Duration.ofSeconds(30)).until(() -> !streamed.isEmpty());
          continue;
        }
        List<String> shown = c.shown();
        assertShownFields(
            new DocumentedCommand(c.page(), c.command(), List.of(shown.get(0))), send(c));
        streamShown.addAll(shown.subList(1, shown.size()));
      }
      assertThat(stream).as("the page's live stream").isNotNull();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertStreamShows(streamShown, List.copyOf(streamed)));
    } finally {
      if (body.get() != null) {
        body.get().close(); // ends the stream's connection
      }
      reader.shutdownNow();
    }
    return checked;
  }

  /** Every event the page shows arrived: same name, and the same stable fields in its data. */
  private void assertStreamShows(List<String> shown, List<String> streamed) {
    Map<String, String> shownEvents = events(shown);
    Map<String, String> liveEvents = events(streamed);
    assertThat(liveEvents).containsKeys(shownEvents.keySet().toArray(String[]::new));
    shownEvents.forEach(
        (event, data) ->
            assertPairs(event + " data", pairs(data), liveEvents.get(event), Set.of()));
  }

  /** Server-sent events by name, each with its data line (the last one of the name). */
  private static Map<String, String> events(List<String> lines) {
    Map<String, String> events = new LinkedHashMap<>();
    String event = null;
    for (String line : lines) {
      if (line.startsWith("event: ")) {
        event = line.substring(7);
      } else if (line.startsWith("data: ") && event != null) {
        events.put(event, line.substring(6));
      }
    }
    return events;
  }

  /**
   * The answer has the status the page shows (when it shows one) and every field the page shows
   * with the same value: strings equal, numbers present (they are counts and figures of the run),
   * times and ids only present, values cut with "…" not compared.
   */
  private void assertShownFields(DocumentedCommand doc, Answer answer) {
    String shown = String.join("\n", doc.shown());
    if (doc.printsStatus()) {
      int space = shown.lastIndexOf(' ');
      assertThat(answer.status())
          .as("status of %s", doc)
          .isEqualTo(Integer.parseInt(shown.substring(space + 1).strip()));
      shown = shown.substring(0, space);
    } else {
      assertThat(answer.status()).as("status of %s", doc).isEqualTo(200);
    }
    assertPairs(doc.toString(), pairs(shown), answer.body(), VOLATILE);
  }

  private void assertPairs(
      String what, List<Map.Entry<String, String>> shown, String live, Set<String> loose) {
    Map<String, List<String>> livePairs = new LinkedHashMap<>();
    Matcher m = PAIR.matcher(live);
    while (m.find()) {
      livePairs.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(m.group(2));
    }
    shown.forEach(
        pair -> {
          String key = pair.getKey();
          String value = pair.getValue();
          assertThat(livePairs).as("%s: field %s", what, key).containsKey(key);
          if (value.contains("…") || loose.contains(key)) {
            return;
          }
          if (value.startsWith("\"")
              || value.equals("null")
              || value.equals("true")
              || value.equals("false")) {
            assertThat(livePairs.get(key)).as("%s: field %s", what, key).contains(value);
          } else {
            assertThat(livePairs.get(key))
                .as("%s: field %s is a number", what, key)
                .anyMatch(v -> v.matches("-?\\d+(\\.\\d+)?"));
          }
        });
  }

  /** Every {@code "name":value} of a JSON text whose value is a string, number, boolean or null. */
  private static List<Map.Entry<String, String>> pairs(String text) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    Matcher m = PAIR.matcher(text);
    while (m.find()) {
      pairs.add(Map.entry(m.group(1), m.group(2)));
    }
    return pairs;
  }

  /** A line with its numbers blanked: what stays the same from run to run. */
  private static String shape(String text) {
    return text.replaceAll("\\d+(\\.\\d+)?", "#");
  }

  /** The shown output lines as JSON, as plain values. */
  private List<Object> shownJson(DocumentedCommand doc) {
    List<Object> values = new ArrayList<>();
    for (String line : doc.shown()) {
      values.add(plain(parse(line)));
    }
    return values;
  }

  private JsonNode parse(String text) {
    try {
      return json.readValue(text, JsonNode.class);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }

  /** A JSON value as maps, lists, strings, numbers (scale-free) and booleans, for comparison. */
  private static Object plain(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new TreeMap<>();
      map.forEach((k, v) -> out.put((String) k, plain(v)));
      return out;
    }
    JsonNode node = (JsonNode) value;
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isObject()) {
      Map<String, Object> out = new TreeMap<>();
      node.entries().forEach(e -> out.put(e.getKey(), plain(e.getValue())));
      return out;
    }
    if (node.isArray()) {
      List<Object> out = new ArrayList<>();
      node.values().forEach(v -> out.add(plain(v)));
      return out;
    }
    if (node.isNumber()) {
      return new BigDecimal(node.getNumberValue().toString()).stripTrailingZeros();
    }
    if (node.isBoolean()) {
      return node.getBooleanValue();
    }
    return node.getStringValue();
  }

  private record Answer(int status, String body, JsonMapper mapper) {
    JsonNode json() {
      try {
        return mapper.readValue(body, JsonNode.class);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
      }
    }
  }

  private Answer send(DocumentedCommand c) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(c.request(ports), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body(), json);
  }

  private String get(String url, String domain) throws IOException, InterruptedException {
    var request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (domain != null) {
      request.header("X-Mesh-Domain", domain);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }
}
