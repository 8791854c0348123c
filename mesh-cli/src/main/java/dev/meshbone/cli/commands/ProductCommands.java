package dev.meshbone.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshbone.cli.Api;
import dev.meshbone.cli.CliException;
import dev.meshbone.cli.Declarations;
import dev.meshbone.cli.Inputs;
import dev.meshbone.cli.Output;
import dev.meshbone.cli.Progress;
import dev.meshbone.client.DataProduct;
import dev.meshbone.client.MeshClient;
import dev.meshbone.topics.ProductId;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Products: list, show, declare, deprecate, retire, lineage. */
public final class ProductCommands {
  private ProductCommands() {}

  @Command(
      name = "products",
      mixinStandardHelpOptions = true,
      description = "Lists data products, filtered (all filters must hold).")
  public static final class Products extends Base {
    @Option(names = "--domain", description = "only this domain's products")
    String domain;

    @Option(names = "--tag", description = "only products with this tag")
    String tag;

    @Option(names = "--status", description = "ACTIVE, DEPRECATED or RETIRED")
    String status;

    @Option(
        names = "--q",
        paramLabel = "TEXT",
        description = "free text over id, name, description and glossary terms")
    String q;

    @Option(names = "--limit", description = "at most this many (default: all)")
    Integer limit;

    @Override
    int run() {
      Api.Http http = api().registry(null);
      ArrayNode items = Output.JSON.createArrayNode();
      String cursor = null;
      do {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("domain", domain);
        params.put("tag", tag);
        params.put("status", status);
        params.put("q", q);
        params.put("limit", 500);
        params.put("cursor", cursor);
        JsonNode page = http.get("/products" + Api.query(params));
        for (JsonNode item : page.path("items")) {
          if (limit == null || items.size() < limit) {
            items.add(item);
          }
        }
        cursor = page.path("nextCursor").asText(null);
      } while (cursor != null && (limit == null || items.size() < limit));
      var table = new Output.Table("ID", "STATUS", "VERSION", "OWNER", "CLASSIFICATION", "TAGS");
      table.whenEmpty("no products");
      for (JsonNode p : items) {
        table.row(
            text(p, "id"),
            text(p, "status"),
            text(p, "version"),
            text(p, "ownerTeam"),
            text(p, "classification"),
            join(p.get("tags")));
      }
      ObjectNode data = Output.object();
      data.set("products", items);
      output().emit(data, table);
      return 0;
    }
  }

  @Command(
      name = "product",
      mixinStandardHelpOptions = true,
      description = "One data product: show, declare, deprecate, retire.",
      subcommands = {Show.class, Declare.class, Deprecate.class, Retire.class})
  public static final class Product implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "name a subcommand: show, declare, deprecate or retire");
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "A product: descriptor, lifecycle, contract versions, health, subscribers.")
  public static final class Show extends Base {
    @Parameters(paramLabel = "ID", description = "<domain>.<product>")
    String id;

    @Override
    int run() {
      ProductId pid = productId(id);
      JsonNode p = api().registry(null).get("/products/" + Api.seg(pid.toString()));
      JsonNode d = p.path("descriptor");
      JsonNode l = p.path("lifecycle");
      List<String> lines = new ArrayList<>();
      var kv = Output.Table.keyValue();
      kv.row("id", text(p, "id"));
      kv.row("name", text(d, "name"));
      kv.row("description", text(d, "description"));
      kv.row(
          "owner",
          text(d.path("owner"), "team")
              + (d.path("owner").hasNonNull("contact")
                  ? " <" + text(d.path("owner"), "contact") + ">"
                  : ""));
      kv.row(
          "status",
          text(l, "status")
              + " (version "
              + text(l, "version")
              + ")"
              + (l.hasNonNull("sunsetAt") ? ", sunset " + text(l, "sunsetAt") : ""));
      kv.row("classification", text(d, "classification"));
      kv.row("tags", join(d.get("tags")));
      kv.row("inputs", join(d.get("inputs")));
      kv.row("subscription policy", text(d, "subscriptionPolicy"));
      JsonNode slos = d.path("slos");
      List<String> slo = new ArrayList<>();
      slos.fields()
          .forEachRemaining(
              e -> {
                if (!e.getValue().isNull()) {
                  slo.add(e.getKey() + "=" + e.getValue().asText());
                }
              });
      kv.row("slos", slo.isEmpty() ? "-" : String.join(" ", slo));
      JsonNode contract = p.path("contract");
      List<String> versions = new ArrayList<>();
      contract
          .path("versions")
          .forEach(
              v ->
                  versions.add(
                      "v"
                          + v.path("version").asText()
                          + " (id "
                          + v.path("schemaId").asText()
                          + ")"));
      kv.row(
          "contract",
          text(contract, "subject")
              + (versions.isEmpty() ? " (no version)" : ": " + String.join(", ", versions)));
      JsonNode health = p.path("health");
      kv.row(
          "health",
          health.isMissingNode() || health.isNull()
              ? "UNKNOWN"
              : text(health, "state")
                  + (health.path("reasons").isEmpty()
                      ? ""
                      : ": " + String.join("; ", texts(health.get("reasons")))));
      kv.row(
          "subscribers",
          text(p, "subscriberCount") + " (" + text(p, "pendingSubscriptionRequests") + " pending)");
      kv.row("topic", text(p.path("topics"), "records"));
      output().emit(p, kv);
      return 0;
    }
  }

  @Command(
      name = "declare",
      mixinStandardHelpOptions = true,
      description = {
        "Declares a product from a YAML file: creates it, changes it, or does nothing if the"
            + " registry already holds exactly this. Waits for contract-validator's verdict.",
        "Keys: id, name, description, owner {team, contact}, tags, glossaryTerms, classification,"
            + " subscriptionPolicy, inputs, slos {minPassRate, maxStaleness, minVolume,"
            + " volumeWindow, maxRejectionRate}, properties."
      })
  public static final class Declare extends Base {
    @Option(
        names = {"-f", "--file"},
        required = true,
        paramLabel = "product.yaml",
        description = "the declaration ('-' for stdin)")
    Path file;

    @Override
    int run() {
      var declared =
          Declarations.read(Inputs.readYaml(file, "the product declaration"), file.toString());
      String acting = actingFor(declared.id());
      DataProduct product;
      try (MeshClient client = api().client(acting);
          Progress p = progress("waiting for contract-validator's verdict on " + declared.id())) {
        product = Api.sdk(() -> client.declare(declared.declaration()));
      }
      emit(product, "declared");
      return 0;
    }

    void emit(DataProduct product, String verb) {
      emitProduct(output(), product, verb);
    }
  }

  static void emitProduct(Output out, DataProduct product, String verb) {
    ObjectNode data = Output.object();
    data.put("id", product.id());
    data.put("status", product.status().name());
    data.put("version", product.version());
    data.put("lastEventId", product.lastEventId());
    data.put("sunsetAt", product.sunsetAt() == null ? null : product.sunsetAt().toString());
    out.emit(
        data,
        List.of(
            verb
                + " "
                + product.id()
                + ": "
                + product.status()
                + ", version "
                + product.version()
                + (product.sunsetAt() == null ? "" : ", sunset " + product.sunsetAt())));
  }

  @Command(
      name = "deprecate",
      mixinStandardHelpOptions = true,
      description =
          "Deprecates a product: subscribers are told it will be retired at the sunset date.")
  public static final class Deprecate extends Base {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(
        names = "--sunset",
        required = true,
        paramLabel = "DATE",
        description = "2027-03-01 (midnight UTC) or an ISO instant")
    String sunset;

    @Option(names = "--reason", description = "why, for the subscribers")
    String reason;

    @Option(
        names = "--successor",
        paramLabel = "ID",
        description = "the product that replaces it: its APPROVED subscribers count as migrated")
    String successor;

    @Override
    int run() {
      ProductId pid = productId(id);
      Instant at = sunset(sunset);
      String next = successor == null ? null : productId(successor).toString();
      try (MeshClient client = api().client(actingFor(pid));
          Progress p = progress("waiting for contract-validator's verdict on " + pid)) {
        DataProduct product = Api.sdk(() -> client.deprecate(pid.toString(), at, reason, next));
        emitProduct(output(), product, "deprecated");
      }
      return 0;
    }
  }

  static Instant sunset(String text) {
    try {
      return LocalDate.parse(text.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(text.trim());
      } catch (DateTimeParseException e2) {
        throw CliException.badInput(
            "--sunset '"
                + text
                + "' is not a date such as 2027-03-01 or an instant such as 2027-03-01T00:00:00Z");
      }
    }
  }

  @Command(
      name = "retire",
      mixinStandardHelpOptions = true,
      description = "Retires a product: it takes no more records and can never be declared again.")
  public static final class Retire extends Base {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--reason", description = "why, for the subscribers")
    String reason;

    @Override
    int run() {
      ProductId pid = productId(id);
      try (MeshClient client = api().client(actingFor(pid));
          Progress p = progress("waiting for contract-validator's verdict on " + pid)) {
        DataProduct product = Api.sdk(() -> client.retire(pid.toString(), reason));
        emitProduct(output(), product, "retired");
      }
      return 0;
    }
  }

  @Command(
      name = "lineage",
      mixinStandardHelpOptions = true,
      description =
          "A product's lineage, drawn as a tree: what it reads (upstream), what reads it (downstream).")
  public static final class Lineage extends Base {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--direction", description = "upstream, downstream or both (default both)")
    String direction = "both";

    @Option(names = "--depth", description = "how many hops (default 3)")
    int depth = 3;

    @Override
    int run() {
      ProductId pid = productId(id);
      JsonNode graph =
          api()
              .registry(null)
              .get(
                  "/products/"
                      + Api.seg(pid.toString())
                      + "/lineage"
                      + Api.query(Map.of("direction", direction, "depth", depth)));
      Map<String, JsonNode> nodes = new HashMap<>();
      graph.path("nodes").forEach(n -> nodes.put(n.path("id").asText(), n));
      Map<String, List<String>> down = new LinkedHashMap<>();
      Map<String, List<String>> up = new LinkedHashMap<>();
      for (JsonNode e : graph.path("edges")) {
        down.computeIfAbsent(e.path("from").asText(), k -> new ArrayList<>())
            .add(e.path("to").asText());
        up.computeIfAbsent(e.path("to").asText(), k -> new ArrayList<>())
            .add(e.path("from").asText());
      }
      List<String> lines = new ArrayList<>();
      String root = pid.toString();
      lines.add(label(root, nodes));
      if (!direction.equalsIgnoreCase("downstream")) {
        List<String> ups = up.getOrDefault(root, List.of());
        lines.add("├─ upstream" + (ups.isEmpty() ? ": none" : ""));
        draw(lines, "│  ", root, up, nodes, new java.util.HashSet<>(List.of(root)), "◀ ");
      }
      if (!direction.equalsIgnoreCase("upstream")) {
        List<String> downs = down.getOrDefault(root, List.of());
        lines.add("└─ downstream" + (downs.isEmpty() ? ": none" : ""));
        draw(lines, "   ", root, down, nodes, new java.util.HashSet<>(List.of(root)), "▶ ");
      }
      output().emit(graph, lines);
      return 0;
    }

    private static void draw(
        List<String> lines,
        String indent,
        String from,
        Map<String, List<String>> edges,
        Map<String, JsonNode> nodes,
        java.util.Set<String> path,
        String arrow) {
      List<String> next = edges.getOrDefault(from, List.of());
      for (int i = 0; i < next.size(); i++) {
        String to = next.get(i);
        boolean last = i == next.size() - 1;
        boolean cycle = path.contains(to);
        lines.add(
            indent + (last ? "└─ " : "├─ ") + arrow + label(to, nodes) + (cycle ? " (cycle)" : ""));
        if (!cycle) {
          path.add(to);
          draw(lines, indent + (last ? "   " : "│  "), to, edges, nodes, path, arrow);
          path.remove(to);
        }
      }
    }

    private static String label(String id, Map<String, JsonNode> nodes) {
      JsonNode n = nodes.get(id);
      if (n == null) {
        return id;
      }
      if (!n.path("registered").asBoolean(true)) {
        return id + " [not registered]";
      }
      return id + (n.hasNonNull("status") ? " [" + n.get("status").asText() + "]" : "");
    }
  }
}
