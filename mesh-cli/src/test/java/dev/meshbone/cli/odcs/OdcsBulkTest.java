package dev.meshbone.cli.odcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshbone.cli.CliException;
import dev.meshbone.cli.Output;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bulk apply's parts that need no mesh: which files, mapping them all, batching, results. */
class OdcsBulkTest {
  @TempDir Path dir;

  private static String contract(String product) throws IOException {
    return Files.readString(Path.of("src", "test", "resources", "odcs", "orders.odcs.yaml"))
        .replace("DOMAIN", "sales")
        .replace("dataProduct: orders", "dataProduct: " + product);
  }

  @Test
  void shouldTakeADirectorysYamlFilesSortedAndFilesAsGiven() throws IOException {
    Path contracts = Files.createDirectories(dir.resolve("contracts"));
    Files.writeString(contracts.resolve("b.odcs.yaml"), "");
    Files.writeString(contracts.resolve("a.yml"), "");
    Files.writeString(contracts.resolve("notes.txt"), "");
    Files.createDirectories(contracts.resolve("nested.yaml"));
    Path single = Files.writeString(dir.resolve("c.yaml"), "");

    List<Path> files = OdcsBulk.files(List.of(single, contracts, contracts.resolve("a.yml")));

    assertThat(files)
        .containsExactly(single, contracts.resolve("a.yml"), contracts.resolve("b.odcs.yaml"));
  }

  @Test
  void shouldRefuseADirectoryWithoutContracts() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));

    assertThatThrownBy(() -> OdcsBulk.files(List.of(empty)))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("holds no *.yaml or *.yml contract");
  }

  @Test
  void shouldReportEveryFileThatCannotBeMappedBeforeWritingAnything() throws IOException {
    Path good = Files.writeString(dir.resolve("a.yaml"), contract("orders"));
    Path badYaml = Files.writeString(dir.resolve("b.yaml"), "apiVersion: [\n");
    Path noTeam =
        Files.writeString(
            dir.resolve("c.yaml"),
            contract("refunds")
                .replace("team:\n  name: order-platform", "teamx:\n  name: order-platform")
                .replace(
                    "  members:\n    - username: orders@example.org\n      role: owner\n", ""));
    Path twice = Files.writeString(dir.resolve("d.yaml"), contract("orders"));
    List<String> problems = new ArrayList<>();

    assertThatThrownBy(
            () ->
                OdcsBulk.mapAll(
                    List.of(good, badYaml, noTeam, twice),
                    null,
                    null,
                    null,
                    false,
                    w -> {},
                    problems::add))
        .isInstanceOfSatisfying(
            CliException.class, e -> assertThat(e.exitCode()).isEqualTo(CliException.BAD_INPUT))
        .hasMessageContaining("3 of 4 contracts cannot be applied")
        .hasMessageContaining("nothing was written");
    assertThat(problems).hasSize(3);
    assertThat(problems.get(0)).startsWith(badYaml + " is not valid YAML");
    assertThat(problems.get(1)).startsWith(noTeam + ": ").contains("teamx");
    assertThat(problems.get(2)).isEqualTo(twice + ": sales.orders is also the product of " + good);
  }

  @Test
  void shouldSayAOneFileProblemOnceInTheMessage() throws IOException {
    Path good = Files.writeString(dir.resolve("a.yaml"), contract("orders"));
    Path old =
        Files.writeString(dir.resolve("b.yaml"), contract("refunds").replace("v3.1.0", "v2.2.2"));
    List<String> problems = new ArrayList<>();

    assertThatThrownBy(
            () ->
                OdcsBulk.mapAll(
                    List.of(good, old), null, null, null, false, w -> {}, problems::add))
        .hasMessage(
            "1 of 2 contracts cannot be applied: "
                + old
                + ": apiVersion v2.2.2 is not supported; meshbone reads ODCS v3.x; nothing was written");
    assertThat(problems).isEmpty();
  }

  @Test
  void shouldMapEveryFileWithItsDeclarationAndRules() throws IOException {
    Path a = Files.writeString(dir.resolve("a.yaml"), contract("orders"));
    Path b = Files.writeString(dir.resolve("b.yaml"), contract("refunds"));
    List<String> warnings = new ArrayList<>();

    var plan = OdcsBulk.mapAll(List.of(a, b), null, null, null, true, warnings::add, p -> {});
    ObjectNode item = OdcsBulk.item(plan.get(1));

    assertThat(plan)
        .extracting(p -> p.mapped().id().toString())
        .containsExactly("sales.orders", "sales.refunds");
    assertThat(warnings).isEmpty();
    assertThat(item.get("id").asText()).isEqualTo("sales.refunds");
    assertThat(item.get("descriptor").get("owner").get("team").asText())
        .isEqualTo("order-platform");
    assertThat(item.get("descriptor").get("classification").asText()).isEqualTo("CONFIDENTIAL");
    assertThat(item.get("schema").asText()).contains("\"name\":\"Order\"");
    assertThat(item.get("ruleSet").get("domainRules")).hasSize(5);
  }

  @Test
  void shouldBatchEachDomainApartInBatchesOfAtMostTheLimit() {
    List<String> ids = new ArrayList<>();
    IntStream.range(0, 230).forEach(i -> ids.add((i % 3 == 1 ? "b." : "a.") + i));

    List<List<String>> batches = OdcsBulk.batches(ids, id -> id.split("\\.")[0], 100);

    assertThat(batches).extracting(List::size).containsExactly(100, 53, 77);
    assertThat(batches.get(0)).allMatch(id -> id.startsWith("a."));
    assertThat(batches.get(1)).allMatch(id -> id.startsWith("a."));
    assertThat(batches.get(2)).allMatch(id -> id.startsWith("b."));
    assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(230);
  }

  @Test
  void shouldCountResultsAndExitNonZeroNamingTheProductsNotApplied() {
    ObjectNode applied = result("s.a", "applied");
    applied.put("productChanged", true);
    ObjectNode unchanged = result("s.b", "unchanged");
    ObjectNode refused = result("s.c", "refused");
    refused.put("exitCode", CliException.REFUSED);
    refused.put("message", "contract-validator refused the event: INVALID_INPUT: loop");

    ObjectNode summary = OdcsBulk.summary(List.of(applied, unchanged, refused));
    List<String> lines = OdcsBulk.lines(summary);

    assertThat(summary.get("applied").asInt()).isEqualTo(1);
    assertThat(summary.get("unchanged").asInt()).isEqualTo(1);
    assertThat(summary.get("refused").asInt()).isEqualTo(1);
    assertThat(summary.get("notApplied")).extracting(n -> n.asText()).containsExactly("s.c");
    assertThat(lines.get(0)).startsWith("applied s.a: product version");
    assertThat(lines.get(1)).startsWith("unchanged s.b: product version");
    assertThat(lines.get(2))
        .isEqualTo(
            "refused s.c (c.yaml): contract-validator refused the event: INVALID_INPUT: loop");
    assertThat(lines.get(3)).isEqualTo("3 contracts: 1 applied, 1 unchanged, 1 refused, 0 failed");
    assertThat(OdcsBulk.exitCode(summary)).isEqualTo(CliException.REFUSED);
    assertThat(OdcsBulk.exitCode(OdcsBulk.summary(List.of(applied, unchanged)))).isZero();
  }

  private static ObjectNode result(String product, String result) {
    ObjectNode r = Output.object();
    r.put("product", product);
    r.put("result", result);
    r.put("file", product.substring(2) + ".yaml");
    return r;
  }
}
