package dev.meshbone.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.meshbone.client.MeshClient;
import dev.meshbone.client.QualityResult;
import dev.meshbone.testkit.WithKafka;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * Every mesh command against the real services on a test broker, in the order a domain team would
 * use them: declare, register, check, evolve, subscribe, read, deprecate, retire. Each runs in this
 * JVM as {@code mesh ...} with the environment a shell would give it; the last test runs {@code
 * bin/mesh} itself. One mesh for the class; the domains have random names so that other ITs on the
 * same broker do not meet them.
 */
@WithKafka
@ExtendWith(CliMesh.Shared.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MeshCliIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CliMesh mesh;
  private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 6);
  private final String trials = "trials-" + suffix;
  private final String safety = "safety-" + suffix;
  private final String audit = "audit-" + suffix;
  private String enrollments;
  private Path v1;
  private Path v2;
  private Path broken;
  private Path rules;

  @BeforeAll
  void start(CliMesh shared) {
    mesh = shared;
    enrollments = trials + ".enrollments";
    v1 = mesh.write("enrollment-v1.avsc", schema(false));
    v2 = mesh.write("enrollment-v2.avsc", schema(true));
    broken =
        mesh.write(
            "broken.avsc",
            "{\"type\":\"record\",\"name\":\"Enrollment\",\"namespace\":\"org.example\",\"fields\":["
                + "{\"name\":\"enrollmentId\",\"type\":\"string\"},{\"name\":\"investigator\",\"type\":\"string\"}]}");
    rules =
        mesh.write(
            "rules.yaml",
            """
            - name: adult
              field: age
              min: 18
              max: 100
            - name: site-code
              field: siteId
              pattern: "[A-Z]{2}-[0-9]{3}"
            """);
  }

  private static String schema(boolean evolved) {
    return "{\"type\":\"record\",\"name\":\"Enrollment\",\"namespace\":\"org.example\",\"fields\":["
        + "{\"name\":\"enrollmentId\",\"type\":\"string\"},{\"name\":\"siteId\",\"type\":\"string\"},"
        + "{\"name\":\"age\",\"type\":\"int\"}"
        + (evolved
            ? ",{\"name\":\"consentVersion\",\"type\":[\"null\",\"string\"],\"default\":null}"
            : "")
        + "]}";
  }

  private static JsonNode json(Mesh.Run run) throws IOException {
    assertThat(run.exitCode()).as("exit of %s", run).isZero();
    return JSON.readTree(run.out());
  }

  /** A failure: the exit code, and one line on stderr without a stack trace. */
  private static void failsWith(Mesh.Run run, int code, String text) {
    assertThat(run.exitCode()).as("%s", run).isEqualTo(code);
    // One line says what failed; progress lines may come before it on stderr.
    List<String> lines = run.err().strip().lines().toList();
    assertThat(lines.stream().filter(l -> l.startsWith("mesh: "))).as("%s", run).hasSize(1);
    assertThat(lines.get(lines.size() - 1)).startsWith("mesh: ").contains(text);
    assertThat(run.err()).doesNotContain("\tat ");
    assertThat(run.out()).isEmpty();
  }

  @Test
  @Order(1)
  void shouldHaveHelpOnEveryCommandAndACompletionScript() {
    List<String[]> paths = new ArrayList<>();
    collect(new CommandLine(new Mesh()), new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThan(25);
    for (String[] path : paths) {
      String[] args = java.util.Arrays.copyOf(path, path.length + 1);
      args[path.length] = "--help";
      Mesh.Run run = mesh.mesh(args);
      assertThat(run.exitCode()).as(String.join(" ", args)).isZero();
      assertThat(run.out()).as(String.join(" ", args)).contains("Usage: mesh");
    }
    Mesh.Run completion = mesh.mesh("completion");
    assertThat(completion.exitCode()).isZero();
    assertThat(completion.out())
        .contains("complete -F")
        .contains("subscriptions")
        .contains("--registry-url");
    failsWith(mesh.mesh("no-such-command"), 2, "Unmatched argument");
    failsWith(mesh.mesh("products", "--output", "xml"), 2, "--output");
  }

  private static void collect(CommandLine cmd, List<String> path, List<String[]> out) {
    out.add(path.toArray(String[]::new));
    cmd.getSubcommands()
        .forEach(
            (name, sub) -> {
              List<String> next = new ArrayList<>(path);
              next.add(name);
              collect(sub, next, out);
            });
  }

  @Test
  @Order(2)
  void shouldDeclareAProductFromYamlOnceAndRefuseBadFiles() throws IOException {
    Path product =
        mesh.write(
            "product.yaml",
            """
            id: %s
            name: Trial enrollments
            description: One record per participant
            owner: {team: enrollment-platform, contact: enrollment@example.org}
            tags: [trial, enrollment]
            classification: PII
            subscriptionPolicy: OWNER_APPROVAL
            slos: {minPassRate: 0.9, maxStaleness: 10m}
            """
                .formatted(enrollments));

    Mesh.Run first = mesh.mesh("product", "declare", "-f", product.toString());
    Mesh.Run again = mesh.mesh("product", "declare", "-f", product.toString(), "-o", "json");

    assertThat(first.exitCode()).as("%s", first).isZero();
    assertThat(first.out()).startsWith("declared " + enrollments + ": ACTIVE, version 1");
    JsonNode json = json(again);
    assertThat(json.get("version").asLong()).isEqualTo(1); // unchanged: no new version
    assertThat(json.get("status").asText()).isEqualTo("ACTIVE");

    failsWith(
        mesh.mesh("product", "declare", "-f", mesh.write("bad.yaml", "id: [unclosed\n").toString()),
        2,
        "not valid YAML");
    failsWith(
        mesh.mesh(
            "product",
            "declare",
            "-f",
            mesh.write("typo.yaml", "id: " + enrollments + "\nownr: x\n").toString()),
        2,
        "unknown keys [ownr]");
    failsWith(
        mesh.mesh("product", "declare", "-f", mesh.dir().resolve("missing.yaml").toString()),
        2,
        "no such file");
    failsWith(
        mesh.mesh(
            "product",
            "declare",
            "-f",
            mesh.write("other.yaml", "id: " + enrollments + "\nowner: x\n").toString(),
            "--as",
            safety),
        5,
        "cannot change");
  }

  @Test
  @Order(3)
  void shouldListAndShowProducts() throws IOException {
    Mesh.Run table = mesh.mesh("products", "--domain", trials);
    JsonNode list = json(mesh.mesh("products", "--domain", trials, "--tag", "trial", "-o", "json"));
    Mesh.Run yaml = mesh.mesh("products", "--domain", trials, "-o", "yaml");
    Mesh.Run none = mesh.mesh("products", "--domain", trials, "--status", "RETIRED");
    Mesh.Run show = mesh.mesh("product", "show", enrollments);
    JsonNode shown = json(mesh.mesh("product", "show", enrollments, "-o", "json"));

    assertThat(table.out().lines().toList())
        .first()
        .asString()
        .startsWith("ID")
        .contains("STATUS", "VERSION", "OWNER");
    assertThat(table.out())
        .contains(enrollments)
        .contains("ACTIVE")
        .contains("enrollment-platform")
        .contains("trial,enrollment");
    assertThat(list.get("products")).hasSize(1);
    assertThat(list.get("products").get(0).get("id").asText()).isEqualTo(enrollments);
    assertThat(yaml.out()).contains("products:").contains("- id: " + enrollments);
    assertThat(none.out().strip()).isEqualTo("no products");
    assertThat(show.out())
        .contains("owner")
        .contains("enrollment-platform <enrollment@example.org>")
        .contains("minPassRate=0.9");
    assertThat(shown.get("descriptor").get("classification").asText()).isEqualTo("PII");

    failsWith(mesh.mesh("product", "show", trials + ".nothing"), 3, "nothing");
    failsWith(mesh.mesh("product", "show", "Not An Id"), 2, "not a product id");
  }

  @Test
  @Order(4)
  void shouldRegisterAContractWithRulesOnce() throws IOException {
    Mesh.Run first =
        mesh.mesh(
            "contract", "register", enrollments, "-f", v1.toString(), "--rules", rules.toString());
    JsonNode again =
        json(
            mesh.mesh(
                "contract",
                "register",
                enrollments + "-value",
                "-f",
                v1.toString(),
                "--rules",
                rules.toString(),
                "-o",
                "json"));
    JsonNode shown = json(mesh.mesh("contract", "show", enrollments, "-o", "json"));

    assertThat(first.exitCode()).as("%s", first).isZero();
    assertThat(first.out())
        .startsWith("registered " + enrollments + "-value version 1 (schema id ");
    assertThat(again.get("created").asBoolean()).isFalse();
    assertThat(again.get("version").asInt()).isEqualTo(1);
    assertThat(shown.get("ruleSet").get("domainRules"))
        .extracting(r -> r.get("name").asText())
        .containsExactly("adult", "site-code");
    assertThat(shown.get("ruleSet").get("domainRules").get(0).get("params").get("min").asText())
        .isEqualTo("18");
    assertThat(mesh.mesh("contract", "show", enrollments, "1").out()).contains("rule adult (MESH)");

    failsWith(
        mesh.mesh(
            "contract",
            "register",
            enrollments,
            "-f",
            mesh.write("garbage.avsc", "{\"type\": \"record\", ").toString()),
        2,
        "not valid JSON");
    failsWith(
        mesh.mesh(
            "contract",
            "register",
            enrollments,
            "-f",
            mesh.write("notavro.avsc", "{\"type\": \"recrd\"}").toString()),
        2,
        "not a valid Avro schema");
    failsWith(
        mesh.mesh(
            "contract",
            "register",
            enrollments,
            "-f",
            v1.toString(),
            "--rules",
            mesh.write("badrules.yaml", "- name: x\n  field: age\n  pattern: \"[\"\n").toString()),
        2,
        "rule");
  }

  @Test
  @Order(5)
  void shouldDryRunAContractChangeWithExitCodes() throws IOException {
    Mesh.Run ok = mesh.mesh("contract", "check", enrollments, "-f", v2.toString());
    Mesh.Run refused = mesh.mesh("contract", "check", enrollments, "-f", broken.toString());
    JsonNode refusedJson =
        JSON.readTree(
            mesh.mesh("contract", "check", enrollments, "-f", broken.toString(), "-o", "json")
                .out());
    Mesh.Run badRules =
        mesh.mesh(
            "contract",
            "check",
            enrollments,
            "-f",
            v2.toString(),
            "--rules",
            mesh.write(
                    "missing-field.yaml", "- name: ghost\n  field: nosuchfield\n  required: true\n")
                .toString());

    assertThat(ok.exitCode()).as("%s", ok).isZero();
    assertThat(ok.out())
        .startsWith(
            "OK: " + enrollments + "-value would accept this schema (version 1 under BACKWARD)");
    assertThat(refused.exitCode()).as("%s", refused).isEqualTo(1);
    assertThat(refused.out())
        .startsWith("REFUSED")
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
        .contains("investigator");
    assertThat(refusedJson.get("compatible").asBoolean()).isFalse();
    assertThat(refusedJson.get("reasons").toString()).contains("investigator");
    assertThat(badRules.exitCode()).as("%s", badRules).isEqualTo(1);
    assertThat(badRules.out()).contains("ghost").contains("nosuchfield");
    // Nothing was registered by the checks.
    assertThat(
            json(mesh.mesh("contract", "show", enrollments, "-o", "json")).get("version").asInt())
        .isEqualTo(1);
  }

  @Test
  @Order(6)
  void shouldRegisterAnEvolutionRefuseABreakAndDiffVersions() throws IOException {
    Mesh.Run evolved = mesh.mesh("contract", "register", enrollments, "-f", v2.toString());
    Mesh.Run refused = mesh.mesh("contract", "register", enrollments, "-f", broken.toString());
    Mesh.Run diff = mesh.mesh("contract", "diff", enrollments, "1", "2");
    JsonNode diffJson =
        json(mesh.mesh("contract", "diff", enrollments, "1", "latest", "-o", "json"));

    assertThat(evolved.out()).startsWith("registered " + enrollments + "-value version 2");
    failsWith(refused, 1, "409");
    assertThat(diff.out())
        .contains("added")
        .contains("consentVersion")
        .contains("null|string default null");
    assertThat(diffJson.get("changes"))
        .extracting(c -> c.get("change").asText() + " " + c.get("what").asText())
        .containsExactly("added consentVersion");
    failsWith(mesh.mesh("contract", "diff", enrollments, "1", "9"), 3, "not found");
  }

  @Test
  @Order(7)
  void shouldSubscribeAndLetTheOwnerDecide() throws IOException {
    failsWith(mesh.mesh("subscribe", enrollments, "--purpose", "signals"), 2, "--as");
    Mesh.Run asked =
        mesh.mesh("subscribe", enrollments, "--purpose", "signal detection", "--as", safety);
    Mesh.Run audited = mesh.mesh("subscribe", enrollments, "--purpose", "audit", "--as", audit);
    Mesh.Run approved = mesh.mesh("subscription", "approve", enrollments, safety);
    Mesh.Run rejected = mesh.mesh("subscription", "reject", enrollments, audit);
    JsonNode all = json(mesh.mesh("subscriptions", enrollments, "-o", "json"));
    Mesh.Run mine = mesh.mesh("subscriptions", "--domain", trials, "--consumer", safety);

    assertThat(asked.out()).contains(safety).contains("REQUESTED").contains("signal detection");
    assertThat(audited.out()).contains("REQUESTED");
    assertThat(approved.out()).contains("APPROVED").contains(trials);
    assertThat(rejected.out()).contains("REJECTED");
    assertThat(all.get("subscriptions"))
        .extracting(s -> s.get("consumerDomain").asText() + "=" + s.get("state").asText())
        .containsExactlyInAnyOrder(safety + "=APPROVED", audit + "=REJECTED");
    assertThat(mine.out()).contains(safety).doesNotContain(audit);
    failsWith(mesh.mesh("subscription", "approve", enrollments, safety, "--as", safety), 5, "403");
  }

  @Test
  @Order(7)
  void shouldOpenAnswerAndListIssues() throws IOException {
    failsWith(
        mesh.mesh(
            "issues",
            "open",
            enrollments,
            "--severity",
            "LOW",
            "--title",
            "t",
            "--description",
            "d"),
        2,
        "--as");
    JsonNode opened =
        json(
            mesh.mesh(
                "issues",
                "open",
                enrollments,
                "--severity",
                "HIGH",
                "--title",
                "Missing sites",
                "--description",
                "site is null",
                "--as",
                safety,
                "-o",
                "json"));
    String id = opened.get("issueId").asText();
    Mesh.Run acked =
        mesh.mesh("issues", "state", enrollments, id, "ACKNOWLEDGED", "--comment", "on it");
    Mesh.Run list = mesh.mesh("issues", "list", enrollments, "--state", "ACKNOWLEDGED");
    Mesh.Run show = mesh.mesh("issues", "show", enrollments, id);
    Mesh.Run ofDomain = mesh.mesh("issues", "domain", safety);

    assertThat(opened.get("state").asText()).isEqualTo("OPEN");
    assertThat(acked.out()).contains("ACKNOWLEDGED").contains(id);
    assertThat(list.out()).contains(id).contains("Missing sites");
    assertThat(show.out()).contains("CHANGE_STATE").contains("on it");
    assertThat(ofDomain.out()).contains(id);
    failsWith(mesh.mesh("issues", "state", enrollments, id, "RESOLVED", "--as", audit), 5, "403");
  }

  @Test
  @Order(8)
  void shouldDrawLineageAsATree() throws IOException {
    Path signals =
        mesh.write(
            "signals.yaml",
            "id: "
                + safety
                + ".signals\nowner: {team: drug-safety}\ninputs: ["
                + enrollments
                + "]\n");
    assertThat(mesh.mesh("product", "declare", "-f", signals.toString()).exitCode()).isZero();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(mesh.mesh("lineage", enrollments, "--direction", "downstream").out())
                    .contains(safety + ".signals"));
    Mesh.Run tree = mesh.mesh("lineage", enrollments);
    JsonNode up =
        json(mesh.mesh("lineage", safety + ".signals", "--direction", "upstream", "-o", "json"));

    assertThat(tree.out().lines().toList())
        .containsExactly(
            enrollments + " [ACTIVE]",
            "├─ upstream: none",
            "└─ downstream",
            "   └─ ▶ " + safety + ".signals [ACTIVE]");
    assertThat(up.get("edges").get(0).get("from").asText()).isEqualTo(enrollments);
    failsWith(mesh.mesh("lineage", enrollments, "--direction", "sideways"), 2, "direction");
  }

  @Test
  @Order(9)
  void shouldShowStatsDeadLettersAndHealth() throws Exception {
    Schema schema = new Schema.Parser().parse(schema(true));
    try (MeshClient client = mesh.client(trials)) {
      for (int age : new int[] {30, 45, 12, 60}) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("enrollmentId", "E-" + age);
        r.put("siteId", "DE-014");
        r.put("age", age);
        client.publish("enrollments", "E-" + age, r).join();
      }
      client.publishQualityResult(
          "enrollments", QualityResult.passed("consent-complete").recordCount(4).build());
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode stats = json(mesh.mesh("stats", enrollments, "-o", "json"));
              assertThat(stats.get("valid").asLong()).isEqualTo(3);
              assertThat(stats.get("invalid").asLong()).isEqualTo(1);
            });
    Mesh.Run stats = mesh.mesh("stats", enrollments);
    Mesh.Run dlq = mesh.mesh("dlq", enrollments);
    JsonNode dlqJson = json(mesh.mesh("dlq", enrollments, "--limit", "1", "-o", "json"));

    assertThat(stats.out()).contains("RULE_VIOLATION").contains("valid");
    assertThat(dlq.out())
        .contains("RULE_VIOLATION")
        .contains("adult")
        .contains("age")
        .contains("\"E-12\"");
    JsonNode letter = dlqJson.get("deadLetters").get(0);
    assertThat(letter.get("rule").asText()).isEqualTo("adult");
    assertThat(letter.get("field").asText()).isEqualTo("age");
    assertThat(letter.get("sourceTopic").asText()).isEqualTo(enrollments + ".ingest");
    assertThat(letter.get("sourceOffset").isNumber()).isTrue();
    assertThat(letter.get("decoded").asText()).contains("\"age\": 12");
    failsWith(mesh.mesh("dlq", trials + ".nothing"), 3, "no dead-letter topic");

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Mesh.Run health = mesh.mesh("health", enrollments, "-o", "json");
              assertThat(health.exitCode()).as("%s", health).isZero();
              assertThat(JSON.readTree(health.out()).get("passRate").asDouble()).isEqualTo(1.0);
            });
    assertThat(mesh.mesh("health", enrollments).out()).contains("state").contains("pass rate");
    assertThat(mesh.mesh("health", "--domain", trials).out()).contains(enrollments);
    failsWith(mesh.mesh("health", trials + ".nothing"), 3, "nothing");
  }

  @Test
  @Order(10)
  void shouldReadAndFollowNotifications() throws Exception {
    failsWith(mesh.mesh("notifications"), 2, "--as");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(mesh.mesh("notifications", "--as", safety).out())
                    .contains("SUBSCRIPTION_APPROVED"));
    JsonNode list = json(mesh.mesh("notifications", "--as", safety, "--limit", "5", "-o", "json"));
    assertThat(list.get("notifications").toString()).contains("SUBSCRIPTION_APPROVED");

    CompletableFuture<Mesh.Run> follow =
        CompletableFuture.supplyAsync(
            () -> mesh.mesh("notifications", "--as", safety, "--follow", "--count", "1"));
    // The stream sends what comes while it is open: deprecate (moving the sunset) until it has.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              if (!follow.isDone()) {
                mesh.mesh(
                    "product",
                    "deprecate",
                    enrollments,
                    "--sunset",
                    java.time.LocalDate.now()
                        .plusDays(90 + (int) (Math.random() * 100))
                        .toString());
              }
              return follow.isDone();
            });
    Mesh.Run followed = follow.get(10, TimeUnit.SECONDS);
    assertThat(followed.exitCode()).as("%s", followed).isZero();
    assertThat(followed.out()).contains("PRODUCT_DEPRECATED").contains(enrollments);
  }

  @Test
  @Order(11)
  void shouldDeprecateAndRetire() throws IOException {
    failsWith(
        mesh.mesh("product", "deprecate", enrollments, "--sunset", "next tuesday"), 2, "--sunset");
    failsWith(
        mesh.mesh("product", "deprecate", enrollments, "--sunset", "2001-01-01"), 1, "SUNSET");
    JsonNode deprecated =
        json(
            mesh.mesh(
                "product",
                "deprecate",
                enrollments,
                "--sunset",
                "2031-03-01",
                "--reason",
                "v2",
                "-o",
                "json"));
    Mesh.Run retired = mesh.mesh("product", "retire", safety + ".signals");

    assertThat(deprecated.get("status").asText()).isEqualTo("DEPRECATED");
    assertThat(deprecated.get("sunsetAt").asText()).isEqualTo("2031-03-01T00:00:00Z");
    assertThat(retired.out()).startsWith("retired " + safety + ".signals: RETIRED");
    failsWith(mesh.mesh("product", "retire", trials + ".nothing"), 3, "nothing");
  }

  @Test
  @Order(12)
  void shouldSayWhenTheMeshCannotBeReached() {
    Map<String, String> env = new HashMap<>(mesh.env());
    env.put("MESH_REGISTRY_URL", "http://127.0.0.1:9");
    env.put("MESH_QUALITY_URL", "http://127.0.0.1:9");
    failsWith(
        Mesh.capture(env, "products"), 4, "mesh-registry at http://127.0.0.1:9 did not answer");
    failsWith(
        Mesh.capture(env, "health"), 4, "quality-monitor at http://127.0.0.1:9 did not answer");
    failsWith(
        mesh.mesh(
            "dlq",
            enrollments,
            "--bootstrap-servers",
            "127.0.0.1:9",
            "--kafka",
            "default.api.timeout.ms=2000"),
        4,
        "Kafka at 127.0.0.1:9");
    Mesh.Run verbose = Mesh.capture(env, "products", "--verbose");
    assertThat(verbose.exitCode()).isEqualTo(4);
    assertThat(verbose.err()).contains("\tat ");
  }

  @Test
  @Order(13)
  void shouldSwitchBetweenContextsOfTheConfigFile() throws IOException {
    Map<String, String> env = new HashMap<>(mesh.env());
    env.remove("MESH_REGISTRY_URL");
    env.put("MESH_CONFIG", mesh.dir().resolve("contexts/config").toString());
    assertThat(
            Mesh.capture(
                    env, "config", "set-context", "local", "--registry-url", mesh.registryUrl())
                .exitCode())
        .isZero();
    assertThat(
            Mesh.capture(
                    env,
                    "config",
                    "set-context",
                    "prod",
                    "--registry-url",
                    "http://127.0.0.1:9",
                    "--set",
                    "basic.auth.credentials.source=USER_INFO",
                    "--set",
                    "basic.auth.user.info=" + trials + ":s3cret",
                    "--set",
                    "kafka.sasl.jaas.config=secret-jaas")
                .exitCode())
        .isZero();

    Mesh.Run local = Mesh.capture(env, "products", "--domain", trials);
    Mesh.Run prod = Mesh.capture(env, "products", "--context", "prod");
    Mesh.Run contexts = Mesh.capture(env, "config", "get-contexts");
    Mesh.Run view = Mesh.capture(env, "config", "view", "--context", "prod");
    assertThat(Mesh.capture(env, "config", "use-context", "prod").exitCode()).isZero();
    Mesh.Run switched = Mesh.capture(env, "products");

    assertThat(local.out()).contains(enrollments);
    failsWith(prod, 4, "127.0.0.1:9");
    assertThat(contexts.out()).containsPattern("\\*\\s+local").contains("prod");
    assertThat(view.out())
        .contains(trials + ":****")
        .containsPattern("kafka sasl.jaas.config +\\*\\*\\*\\*")
        .doesNotContain("s3cret")
        .doesNotContain("secret-jaas");
    failsWith(switched, 4, "127.0.0.1:9");
    failsWith(Mesh.capture(env, "products", "--context", "staging"), 2, "no context 'staging'");
    Files.writeString(Path.of(env.get("MESH_CONFIG")), "contexts: [1, 2]\n");
    failsWith(Mesh.capture(env, "products"), 2, "contexts must be a map");
  }

  @Test
  @Order(14)
  void shouldSendCredentialsByConfluentsNamesAndReportARefusal() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          seen.add(
              exchange.getRequestHeaders().getFirst("Authorization")
                  + " "
                  + exchange.getRequestHeaders().getFirst("X-Mesh-Domain"));
          byte[] body =
              "{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(401, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      Map<String, String> env = new HashMap<>(mesh.env());
      env.put("MESH_REGISTRY_URL", "http://127.0.0.1:" + server.getAddress().getPort());
      env.put("MESH_BASIC_AUTH_CREDENTIALS_SOURCE", "USER_INFO");
      env.put("MESH_BASIC_AUTH_USER_INFO", "clinical-trials:pw");
      failsWith(
          Mesh.capture(env, "product", "show", "clinical-trials.enrollments"),
          5,
          "refused the credentials (401)");
      env.remove("MESH_BASIC_AUTH_USER_INFO");
      env.put("MESH_BEARER_AUTH_TOKEN", "tok3n");
      failsWith(
          Mesh.capture(env, "subscription", "approve", "clinical-trials.enrollments", "safety"),
          5,
          "401");
    } finally {
      server.stop(0);
    }
    assertThat(seen)
        .containsExactly(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("clinical-trials:pw".getBytes(StandardCharsets.UTF_8))
                + " null",
            "Bearer tok3n clinical-trials");
  }

  @Test
  @Order(15)
  void shouldRunAsAUserRunsIt() throws Exception {
    Path script = Path.of("..", "bin", "mesh").toAbsolutePath().normalize();
    assertThat(script).isExecutable();
    assertThat(Path.of("target", "mesh-cli.jar")).exists();

    var help = run(script, "--help");
    var products = run(script, "products", "--domain", trials, "-o", "json");
    var check = run(script, "contract", "check", enrollments, "-f", broken.toString());
    var unknown = run(script, "product", "show", trials + ".nothing");

    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("Usage: mesh").contains("Exit codes");
    assertThat(products.code()).as(products.err()).isZero();
    assertThat(JSON.readTree(products.out()).get("products").get(0).get("id").asText())
        .isEqualTo(enrollments);
    assertThat(check.code()).isEqualTo(1);
    assertThat(check.out()).startsWith("REFUSED");
    assertThat(unknown.code()).isEqualTo(3);
    assertThat(unknown.err().strip().lines()).hasSize(1);
  }

  record Process(int code, String out, String err) {}

  private Process run(Path script, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(script.toString());
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command);
    builder.environment().putAll(mesh.env());
    // The jar the build just made; a source edited meanwhile must not start a build in the test.
    builder.environment().put("MESH_NO_BUILD", "1");
    Path out = Files.createTempFile(mesh.dir(), "out", ".txt");
    Path err = Files.createTempFile(mesh.dir(), "err", ".txt");
    var process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS))
        .as("bin/mesh %s finished", List.of(args))
        .isTrue();
    return new Process(process.exitValue(), Files.readString(out), Files.readString(err));
  }
}
