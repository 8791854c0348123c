package dev.meshbone.cli.odcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.meshbone.cli.CliMesh;
import dev.meshbone.cli.Mesh;
import dev.meshbone.local.demo.DemoDomains;
import dev.meshbone.testkit.WithKafka;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ODCS in and out against the real services: the demo's contracts (declared by the demo's own code)
 * exported exactly as docs/odcs shows them and applied back without a change; a contract with most
 * of the mapping round-tripped apply → export → apply; the standard's own Kafka and schema-registry
 * examples applied; every export valid against ODCS's JSON schema.
 */
@WithKafka
@ExtendWith(CliMesh.Shared.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OdcsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path DOCS = Path.of("..", "docs", "odcs");
  private static final Path EXAMPLES = Path.of("src", "test", "resources", "odcs");
  private static final List<String> DEMO =
      List.of(
          "clinical-trials.enrollments",
          "supply-chain.batch-releases",
          "supply-chain.shipment-notices",
          "pharmacovigilance.adverse-events");

  private CliMesh mesh;
  private com.networknt.schema.Schema odcsSchema;

  @BeforeAll
  void start(CliMesh shared) throws Exception {
    mesh = shared;
    DemoDomains.setUp(mesh::client);
    try (InputStream in =
        Files.newInputStream(EXAMPLES.resolve("bitol/odcs-json-schema-v3.1.0.json"))) {
      odcsSchema =
          SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09).getSchema(in);
    }
  }

  private List<String> schemaErrors(String yaml) throws IOException {
    List<Error> errors = odcsSchema.validate(YAML.readTree(yaml));
    return errors.stream().map(Error::toString).toList();
  }

  private String export(String id) {
    Mesh.Run run = mesh.mesh("contract", "export", id, "--format", "odcs");
    assertThat(run.exitCode()).as("%s", run).isZero();
    return run.out();
  }

  private JsonNode apply(Path file, String... more) throws IOException {
    String[] args = new String[4 + more.length];
    args[0] = "contract";
    args[1] = "apply";
    args[2] = "-f";
    args[3] = file.toString();
    System.arraycopy(more, 0, args, 4, more.length);
    String[] withJson = java.util.Arrays.copyOf(args, args.length + 2);
    withJson[args.length] = "-o";
    withJson[args.length + 1] = "json";
    Mesh.Run run = mesh.mesh(withJson);
    assertThat(run.exitCode()).as("%s", run).isZero();
    return JSON.readTree(run.out());
  }

  @Test
  void shouldExportTheDemoContractsAsTheDocsShowThemAndValidAgainstTheStandard()
      throws IOException {
    for (String id : DEMO) {
      String exported = export(id);
      Path doc = DOCS.resolve(id + ".odcs.yaml");

      assertThat(schemaErrors(exported)).as("ODCS JSON schema errors of %s", id).isEmpty();
      if (!Files.exists(doc)) {
        Files.createDirectories(DOCS);
        Files.writeString(doc, exported);
      }
      assertThat(exported)
          .as("%s: mesh contract export %s, as docs/odcs shows it", doc, id)
          .isEqualTo(Files.readString(doc));
    }
  }

  @Test
  void shouldApplyTheDemoContractsWithoutChangingAnything() throws IOException {
    for (String id : DEMO) {
      JsonNode applied = apply(DOCS.resolve(id + ".odcs.yaml"));

      assertThat(applied.get("product").asText()).isEqualTo(id);
      assertThat(applied.get("productChanged").asBoolean()).as("%s", applied).isFalse();
      assertThat(applied.get("contractChanged").asBoolean()).as("%s", applied).isFalse();
      assertThat(applied.get("unmapped")).isEmpty();
    }
    // The enrollments contract is the demo's schema and rules, as its SDK code registered them.
    Mesh.Run shown = mesh.mesh("contract", "show", "clinical-trials.enrollments", "-o", "json");
    JsonNode version = JSON.readTree(shown.out());
    Schema demo;
    try (InputStream in = getClass().getResourceAsStream("/demo/trial-enrollment-v1.avsc")) {
      demo = new Schema.Parser().parse(in);
    }
    assertThat(new Schema.Parser().parse(version.get("schema").asText())).isEqualTo(demo);
    assertThat(version.get("ruleSet").get("domainRules"))
        .extracting(r -> r.get("name").asText())
        .containsExactly("adult", "site-code", "known-arm");
  }

  @Test
  void shouldRoundTripApplyExportApplyWithoutAChange() throws IOException {
    String domain = "odcs-" + UUID.randomUUID().toString().substring(0, 6);
    String text = Files.readString(EXAMPLES.resolve("orders.odcs.yaml")).replace("DOMAIN", domain);
    Path contract = mesh.write("orders.odcs.yaml", text);
    assertThat(schemaErrors(text)).as("the test's own contract is valid ODCS").isEmpty();

    JsonNode first = apply(contract);
    String exported = export(domain + ".orders");
    JsonNode again = apply(mesh.write("exported.odcs.yaml", exported));
    JsonNode once = apply(contract);
    String exportedAgain = export(domain + ".orders");

    assertThat(first.get("productChanged").asBoolean()).isTrue();
    assertThat(first.get("contractChanged").asBoolean()).isTrue();
    assertThat(first.get("rules").asInt()).isEqualTo(5);
    assertThat(schemaErrors(exported)).isEmpty();
    assertThat(again.get("productChanged").asBoolean()).as("%s%n%s", again, exported).isFalse();
    assertThat(again.get("contractChanged").asBoolean()).as("%s%n%s", again, exported).isFalse();
    assertThat(once.get("productChanged").asBoolean()).isFalse();
    assertThat(once.get("contractChanged").asBoolean()).isFalse();
    assertThat(exportedAgain).isEqualTo(exported);

    JsonNode product =
        JSON.readTree(mesh.mesh("product", "show", domain + ".orders", "-o", "json").out());
    JsonNode d = product.get("descriptor");
    assertThat(d.get("owner").get("team").asText()).isEqualTo("order-platform");
    assertThat(d.get("owner").get("contact").asText()).isEqualTo("orders@example.org");
    assertThat(d.get("classification").asText()).isEqualTo("CONFIDENTIAL");
    assertThat(d.get("slos").get("maxStalenessMs").asLong()).isEqualTo(900_000);
    assertThat(d.get("slos").get("minPassRate").asDouble()).isEqualTo(0.95);
    assertThat(d.get("slos").get("minVolume").asLong()).isEqualTo(100);
    assertThat(d.get("properties").get("odcs.id").asText()).isEqualTo("orders-contract");
    assertThat(d.get("properties").get("odcs.custom.costCentre").asText()).isEqualTo("4711");
    JsonNode version =
        JSON.readTree(mesh.mesh("contract", "show", domain + ".orders", "-o", "json").out());
    assertThat(version.get("ruleSet").get("domainRules"))
        .extracting(r -> r.get("name").asText() + " " + r.get("params").toString())
        .containsExactly(
            "orderId {\"field\":\"orderId\",\"pattern\":\"ORD-[0-9]{1,12}\"}",
            "amount-range {\"field\":\"amount\",\"min\":\"0\",\"max\":\"10000\"}",
            "currency-known {\"field\":\"currency\",\"allowed\":\"EUR,USD,GBP\"}",
            "customer.email {\"field\":\"customer.email\",\"maxLength\":\"64\"}",
            "email-present {\"field\":\"customer.email\",\"required\":\"true\"}");
    Schema schema = new Schema.Parser().parse(version.get("schema").asText());
    assertThat(schema.getField("note").schema().toString()).isEqualTo("[\"null\",\"string\"]");
    assertThat(schema.getField("placedAt").schema().getLogicalType().getName())
        .isEqualTo("timestamp-millis");
    assertThat(schema.getField("customer").schema().getField("email").doc())
        .isEqualTo("where the receipt goes");
  }

  @Test
  void shouldApplyTheStandardsOwnKafkaExamplesNamingWhatHasNoMeaningHere() throws IOException {
    String domain = "odcs-ex-" + UUID.randomUUID().toString().substring(0, 6);
    Path kafka = EXAMPLES.resolve("bitol/kafka-schema.odcs.yaml");

    // The examples name no domain and no team: --domain and --owner give them.
    Mesh.Run strict =
        mesh.mesh(
            "contract",
            "apply",
            "-f",
            kafka.toString(),
            "--domain",
            domain,
            "--owner",
            "orders-team");
    Mesh.Run lenient =
        mesh.mesh(
            "contract",
            "apply",
            "-f",
            kafka.toString(),
            "--domain",
            domain,
            "--owner",
            "orders-team",
            "--lenient");
    JsonNode registry =
        apply(
            EXAMPLES.resolve("bitol/kafka-schemaregistry.odcs.yaml"),
            "--domain",
            domain,
            "--owner",
            "orders-team",
            "--product",
            "orders-registry",
            "--lenient");
    JsonNode completeness =
        apply(
            EXAMPLES.resolve("bitol/column-completeness.odcs.yaml"),
            "--domain",
            domain,
            "--owner",
            "air-team",
            "--product",
            "air-quality",
            "--lenient");
    Mesh.Run validity =
        mesh.mesh(
            "contract",
            "apply",
            "-f",
            EXAMPLES.resolve("bitol/column-validity.odcs.yaml").toString(),
            "--domain",
            domain,
            "--owner",
            "air-team",
            "--product",
            "air-status");

    assertThat(strict.exitCode()).isEqualTo(2);
    assertThat(strict.err())
        .contains("elements with no meshbone meaning")
        .contains("servers")
        .contains("schema[0].properties[0].businessName");
    assertThat(lenient.exitCode()).as("%s", lenient).isZero();
    assertThat(lenient.err())
        .startsWith("warning: not applied, no meshbone meaning: ")
        .contains("servers");
    assertThat(lenient.out()).startsWith("applied " + domain + ".orders");
    Schema orders =
        new Schema.Parser()
            .parse(
                JSON.readTree(mesh.mesh("contract", "show", domain + ".orders", "-o", "json").out())
                    .get("schema")
                    .asText());
    assertThat(orders.getFields())
        .extracting(f -> f.name() + ":" + f.schema().getType())
        .containsExactly("cust_id:STRING", "prod_id:STRING", "qty:INT");
    assertThat(registry.get("unmapped").toString())
        .contains("authoritativeDefinitions")
        .contains("servers");
    assertThat(completeness.get("rules").asInt()).isEqualTo(1);
    assertThat(validity.exitCode()).isEqualTo(2);
    assertThat(validity.err())
        .contains("schema[0].properties[0].quality[0] (invalidValues)")
        .contains("mustBe: 0");
    for (String id :
        List.of(domain + ".orders", domain + ".orders-registry", domain + ".air-quality")) {
      assertThat(schemaErrors(export(id))).as(id).isEmpty();
    }
  }

  @Test
  void shouldApplyADirectoryInBulkReportingEachProductAndChangeNothingTheSecondTime()
      throws IOException {
    String domain = "odcs-bulk-" + UUID.randomUUID().toString().substring(0, 6);
    String orders =
        Files.readString(EXAMPLES.resolve("orders.odcs.yaml")).replace("DOMAIN", domain);
    Path dir = Files.createDirectories(mesh.write(domain + "/.keep", "").getParent());
    Files.writeString(dir.resolve("a-orders.odcs.yaml"), orders);
    Files.writeString(
        dir.resolve("b-refunds.odcs.yaml"),
        orders.replace("dataProduct: orders", "dataProduct: refunds"));
    Files.writeString(
        dir.resolve("c-returns.yaml"),
        orders.replace("dataProduct: orders", "dataProduct: returns"));
    // Lineage of one: contract-validator refuses the declaration.
    Files.writeString(
        dir.resolve("d-loop.yaml"),
        orders
            .replace("dataProduct: orders", "dataProduct: loop")
            .replace(
                "customProperties:\n  - property: meshbone.classification",
                "customProperties:\n  - property: meshbone.inputs\n    value: ["
                    + domain
                    + ".loop]\n  - property: meshbone.classification"));
    Path unmappable = Files.writeString(dir.resolve("e-bad.yaml"), "apiVersion: [\n");

    Mesh.Run refused = mesh.mesh("contract", "apply", "-f", dir.toString());
    Files.delete(unmappable);
    Mesh.Run first = mesh.mesh("contract", "apply", "-f", dir.toString());
    Mesh.Run again = mesh.mesh("contract", "apply", "-f", dir.toString(), "-o", "json");

    assertThat(refused.exitCode()).as("%s", refused).isEqualTo(2);
    assertThat(refused.err())
        .contains(unmappable + " is not valid YAML")
        .contains("nothing was written");
    assertThat(refused.out()).isEmpty();
    assertThat(first.exitCode()).as("%s", first).isEqualTo(1);
    assertThat(first.out().lines())
        .as("%s", first)
        .satisfiesExactly(
            l -> assertThat(l).startsWith("applied " + domain + ".orders: ").endsWith("5 rules"),
            l -> assertThat(l).startsWith("applied " + domain + ".refunds: "),
            l -> assertThat(l).startsWith("applied " + domain + ".returns: "),
            l ->
                assertThat(l)
                    .startsWith(
                        "refused " + domain + ".loop (" + dir.resolve("d-loop.yaml") + "): ")
                    .contains("INVALID_INPUT"),
            l ->
                assertThat(l)
                    .isEqualTo("4 contracts: 3 applied, 0 unchanged, 1 refused, 0 failed"));
    assertThat(first.err()).contains("not applied: " + domain + ".loop (1 of 4)");
    JsonNode second = JSON.readTree(again.out());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(second.get("unchanged").asInt()).as("%s", second).isEqualTo(3);
    assertThat(second.get("notApplied"))
        .extracting(JsonNode::asText)
        .containsExactly(domain + ".loop");
    assertThat(second.get("products").get(0).get("contractVersion").asInt()).isEqualTo(1);
    assertThat(second.get("products").get(0).get("rules").asInt()).isEqualTo(5);
    // The same contract as the file applied alone: the rules went with the bulk registration.
    JsonNode version =
        JSON.readTree(mesh.mesh("contract", "show", domain + ".orders", "-o", "json").out());
    assertThat(version.get("ruleSet").get("domainRules")).hasSize(5);
  }

  @Test
  void shouldRefuseContractsItCannotMapInOneLine() throws IOException {
    String base =
        Files.readString(EXAMPLES.resolve("orders.odcs.yaml")).replace("DOMAIN", "odcs-bad");
    assertOneLine(mesh.write("bad1.yaml", "apiVersion: [\n"), "not valid YAML");
    assertOneLine(
        mesh.write("bad2.yaml", base.replace("v3.1.0", "v2.2.2")),
        "apiVersion v2.2.2 is not supported");
    assertOneLine(
        mesh.write(
            "bad3.yaml",
            base.replace("team:\n  name: order-platform", "teamx:\n  name: order-platform")
                .replace(
                    "  members:\n    - username: orders@example.org\n      role: owner\n", "")),
        "teamx");
    assertOneLine(
        mesh.write(
            "bad4.yaml",
            base.replace("schema:\n  - name: Order", "schema:\n  - name: Extra\n  - name: Order")),
        "exactly one object");
    assertOneLine(
        mesh.write("bad5.yaml", base.replace("dataProduct: orders", "dataProduct: Orders_2024")),
        "dataProduct");
    // The validator can fail: a document that breaks the standard is caught.
    assertThat(schemaErrors(base.replace("kind: DataContract", "kind: Contract"))).isNotEmpty();
  }

  private void assertOneLine(Path file, String text) {
    Mesh.Run run = mesh.mesh("contract", "apply", "-f", file.toString());
    assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
    assertThat(run.err().strip().lines()).hasSize(1);
    assertThat(run.err()).contains(text);
  }
}
