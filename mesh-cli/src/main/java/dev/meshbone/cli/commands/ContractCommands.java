package dev.meshbone.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshbone.cli.Api;
import dev.meshbone.cli.CliException;
import dev.meshbone.cli.Inputs;
import dev.meshbone.cli.MeshHttp;
import dev.meshbone.cli.Output;
import dev.meshbone.cli.Progress;
import dev.meshbone.cli.odcs.OdcsApply;
import dev.meshbone.cli.odcs.OdcsBulk;
import dev.meshbone.cli.odcs.OdcsExport;
import dev.meshbone.contracts.AvroContracts;
import dev.meshbone.contracts.InvalidContractException;
import dev.meshbone.contracts.Subjects;
import dev.meshbone.rules.DataRules;
import dev.meshbone.rules.InvalidRuleException;
import dev.meshbone.topics.ProductId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Contracts: register, check, show, diff, and ODCS apply and export. */
@Command(
    name = "contract",
    mixinStandardHelpOptions = true,
    description = "Contracts: Avro schemas with data rules, and ODCS data contracts in and out.",
    subcommands = {
      ContractCommands.Register.class,
      ContractCommands.Check.class,
      ContractCommands.Show.class,
      ContractCommands.Diff.class,
      ContractCommands.Apply.class,
      ContractCommands.Export.class
    })
public final class ContractCommands implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "name a subcommand: register, check, show, diff, apply or export");
  }

  /** A subject from what the user typed: a subject, or a product id (its value subject). */
  static String subject(String given) {
    String s = given.trim();
    if (!s.endsWith(Subjects.VALUE_SUFFIX) && !s.endsWith(Subjects.KEY_SUFFIX)) {
      if (ProductId.isValid(s)) {
        return s + Subjects.VALUE_SUFFIX;
      }
      throw CliException.badInput(
          "'" + given + "' is neither a subject (<domain>.<product>-value) nor a product id");
    }
    s = Subjects.canonical(s);
    var invalid = Subjects.invalidReason(s);
    if (invalid.isPresent()) {
      throw CliException.badInput("subject '" + given + "': " + invalid.get());
    }
    return s;
  }

  static String owner(String subject) {
    return Subjects.owner(subject)
        .orElseThrow(() -> CliException.badInput("no domain owns subject " + subject));
  }

  /** The schema file's text, checked to be an Avro schema. */
  static Schema schema(Path file) {
    String text = Inputs.read(file, "the Avro schema");
    Inputs.parseJson(text, file.toString());
    try {
      return AvroContracts.parse(text).schema();
    } catch (InvalidContractException e) {
      throw CliException.badInput(file + " is not a valid Avro schema: " + e.getMessage());
    }
  }

  /**
   * A rules file as Confluent {@code ruleSet} JSON: a ruleSet ({@code domainRules: [...]}) as is,
   * or a list of short mesh rules ({@code - {name: adult, field: age, min: 18}}) written as MESH
   * domain rules.
   */
  static String ruleSet(Path file) {
    if (file == null) {
      return null;
    }
    JsonNode rules = Inputs.readYaml(file, "the rules");
    ObjectNode ruleSet;
    if (rules.isObject()) {
      ruleSet = (ObjectNode) rules;
    } else if (rules.isArray()) {
      ruleSet = Output.object();
      ArrayNode domain = ruleSet.putArray("domainRules");
      for (JsonNode r : rules) {
        if (!r.isObject() || !r.hasNonNull("name")) {
          throw CliException.badInput(
              file + ": each rule is a map with a name, a field and constraints");
        }
        ObjectNode rule = domain.addObject();
        rule.put("name", r.get("name").asText());
        rule.put("kind", "CONDITION");
        rule.put("mode", r.path("mode").asText("WRITE"));
        rule.put("type", DataRules.MESH_TYPE);
        ObjectNode params = rule.putObject("params");
        r.fields()
            .forEachRemaining(
                e -> {
                  if (!List.of("name", "mode", "doc").contains(e.getKey())) {
                    params.put(
                        e.getKey(),
                        e.getValue().isArray() ? Base.join(e.getValue()) : e.getValue().asText());
                  }
                });
        if (r.hasNonNull("doc")) {
          rule.put("doc", r.get("doc").asText());
        }
      }
    } else {
      throw CliException.badInput(
          file + ": rules are a ruleSet (domainRules: [...]) or a list of rules");
    }
    try {
      DataRules.parse(ruleSet.toString());
    } catch (InvalidRuleException e) {
      throw CliException.badInput(file + ": " + String.join("; ", e.problems()));
    }
    return ruleSet.toString();
  }

  static ObjectNode body(Schema schema, String ruleSet) {
    ObjectNode body = Output.object();
    body.put("schemaType", "AVRO");
    body.put("schema", schema.toString());
    if (ruleSet != null) {
      body.set("ruleSet", Inputs.parseJson(ruleSet, "rules"));
    }
    return body;
  }

  /** The result of a registration. */
  public record Registered(String subject, int id, int version, boolean created) {}

  /** Registers a schema (with rules) under a subject as its owner, waiting for the verdict. */
  public static Registered register(Api.Http http, String subject, Schema schema, String ruleSet) {
    String path = "/subjects/" + Api.seg(subject);
    MeshHttp.Answer latest = http.answer("GET", path + "/versions/latest", null);
    int before = latest.ok() ? latest.body().path("version").asInt() : 0;
    MeshHttp.Answer answer = http.answer("POST", path + "/versions", body(schema, ruleSet));
    if (!answer.ok()) {
      int code = answer.body().path("error_code").asInt(answer.status());
      if (code == 409 || code == 42201 || code == 42210) {
        throw new CliException(
            CliException.REFUSED,
            "the registry refused the contract for "
                + subject
                + " ("
                + code
                + "): "
                + answer.message());
      }
      throw http.failure(answer);
    }
    int id = answer.body().path("id").asInt();
    int version = answer.body().path("version").asInt(0);
    if (version == 0) {
      for (JsonNode v : http.get("/schemas/ids/" + id + "/versions")) {
        if (subject.equals(v.path("subject").asText())) {
          version = Math.max(version, v.path("version").asInt());
        }
      }
    }
    return new Registered(subject, id, version, version > before);
  }

  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      description =
          "Registers an Avro schema (with data rules) as the subject's next version; waits for contract-validator's verdict.")
  public static final class Register extends Base {
    @Parameters(paramLabel = "SUBJECT", description = "<domain>.<product>-value, or a product id")
    String subject;

    @Option(
        names = {"-f", "--file"},
        required = true,
        paramLabel = "schema.avsc")
    Path file;

    @Option(
        names = "--rules",
        paramLabel = "rules.yaml",
        description = "data rules: a Confluent ruleSet or a list of mesh rules")
    Path rules;

    @Override
    int run() {
      String s = subject(subject);
      Schema schema = schema(file);
      String ruleSet = ruleSet(rules);
      Registered r;
      try (Progress p = progress("waiting for contract-validator's decision on " + s)) {
        r = register(api().registry(api().acting(owner(s))), s, schema, ruleSet);
      }
      ObjectNode data = Output.object();
      data.put("subject", r.subject());
      data.put("version", r.version());
      data.put("id", r.id());
      data.put("created", r.created());
      output()
          .emit(
              data,
              List.of(
                  (r.created() ? "registered " : "already registered: ")
                      + r.subject()
                      + " version "
                      + r.version()
                      + " (schema id "
                      + r.id()
                      + ")"));
      return 0;
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Dry run: would the registry accept this schema (and rules) as the subject's next version?"
            + " Checks compatibility under the subject's level, the data rules and the fields approved"
            + " consumers declared they read; registers nothing.",
        "Exit 0 when it would be accepted, 1 when not (with the reasons): run it in CI before merging a schema change."
      })
  public static final class Check extends Base {
    @Parameters(paramLabel = "SUBJECT")
    String subject;

    @Option(
        names = {"-f", "--file"},
        required = true,
        paramLabel = "schema.avsc")
    Path file;

    @Option(
        names = "--rules",
        paramLabel = "rules.yaml",
        description =
            "the rules to register with it (default: the latest version's, as a registration inherits them)")
    Path rules;

    @Override
    int run() {
      String s = subject(subject);
      Schema schema = schema(file);
      String ruleSet = ruleSet(rules);
      Api.Http http = api().registry(api().acting(owner(s)));
      MeshHttp.Answer answer =
          http.answer(
              "POST",
              "/compatibility/subjects/" + Api.seg(s) + "/versions/latest?verbose=true",
              body(schema, ruleSet));
      List<String> reasons = new ArrayList<>();
      boolean compatible;
      if (answer.ok()) {
        compatible = answer.body().path("is_compatible").asBoolean();
        answer.body().path("messages").forEach(m -> reasons.add(m.asText()));
      } else if (answer.status() == 422 || answer.status() == 409) {
        compatible = false;
        reasons.add(answer.message());
      } else {
        throw http.failure(answer);
      }
      MeshHttp.Answer latest =
          http.answer("GET", "/subjects/" + Api.seg(s) + "/versions/latest", null);
      MeshHttp.Answer level =
          http.answer("GET", "/config/" + Api.seg(s) + "?defaultToGlobal=true", null);
      String against =
          latest.ok()
              ? "version "
                  + latest.body().path("version").asText()
                  + " under "
                  + level.body().path("compatibilityLevel").asText("BACKWARD")
              : "no earlier version";
      // The fields APPROVED consumers declared they read that the schema would break: the
      // registration gate refuses those too (409), whatever the level.
      List<String> breaks = new ArrayList<>();
      var product = Subjects.product(s);
      if (product.isPresent()) {
        MeshHttp.Answer impact =
            http.answer(
                "POST",
                "/products/" + Api.seg(product.get().toString()) + "/impact",
                body(schema, ruleSet));
        if (impact.ok()) {
          for (JsonNode b : impact.body().path("breaks")) {
            breaks.add(
                b.path("consumer").asText()
                    + " reads "
                    + b.path("field").asText()
                    + " ("
                    + b.path("kind").asText()
                    + ": "
                    + b.path("reason").asText()
                    + ")");
          }
        }
      }
      ObjectNode data = Output.object();
      data.put("subject", s);
      data.put("compatible", compatible);
      data.put("checkedAgainst", against);
      ArrayNode list = data.putArray("reasons");
      reasons.forEach(list::add);
      ArrayNode broken = data.putArray("breaks");
      breaks.forEach(broken::add);
      reasons.addAll(breaks.stream().map(b -> "breaks a declared field: " + b).toList());
      compatible = compatible && breaks.isEmpty();
      List<String> lines = new ArrayList<>();
      lines.add(
          (compatible
                  ? "OK: " + s + " would accept this schema"
                  : "REFUSED: " + s + " would not accept this schema")
              + " ("
              + against
              + ")");
      reasons.forEach(r -> lines.add("  - " + r));
      output().emit(data, lines);
      return compatible ? 0 : CliException.REFUSED;
    }
  }

  static JsonNode version(Api.Http http, String subject, String version) {
    return http.get("/subjects/" + Api.seg(subject) + "/versions/" + Api.seg(version));
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "One version of a subject: schema id, schema and rules.")
  public static final class Show extends Base {
    @Parameters(index = "0", paramLabel = "SUBJECT")
    String subject;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "VERSION",
        description = "a number or latest (default)")
    String version = "latest";

    @Override
    int run() {
      String s = subject(subject);
      JsonNode v = version(api().registry(null), s, version);
      List<String> lines = new ArrayList<>();
      lines.add(
          s
              + " version "
              + v.path("version").asText()
              + " (schema id "
              + v.path("id").asText()
              + ")");
      lines.add("schema: " + v.path("schema").asText());
      for (JsonNode r : v.path("ruleSet").path("domainRules")) {
        lines.add(
            "rule "
                + r.path("name").asText()
                + " ("
                + r.path("type").asText()
                + "): "
                + r.path("params"));
      }
      output().emit(v, lines);
      return 0;
    }
  }

  @Command(
      name = "diff",
      mixinStandardHelpOptions = true,
      description =
          "What changed between two versions of a subject: fields (added, removed, type, default, doc) and data rules.")
  public static final class Diff extends Base {
    @Parameters(index = "0", paramLabel = "SUBJECT")
    String subject;

    @Parameters(index = "1", paramLabel = "V1")
    String v1;

    @Parameters(index = "2", paramLabel = "V2")
    String v2;

    @Override
    int run() {
      String s = subject(subject);
      Api.Http http = api().registry(null);
      JsonNode a = version(http, s, v1);
      JsonNode b = version(http, s, v2);
      Map<String, String> fa = fields(new Schema.Parser().parse(a.path("schema").asText()));
      Map<String, String> fb = fields(new Schema.Parser().parse(b.path("schema").asText()));
      ArrayNode changes = Output.JSON.createArrayNode();
      var table = new Output.Table("CHANGE", "WHAT", "FROM", "TO");
      table.whenEmpty(
          "no differences between version "
              + a.path("version").asText()
              + " and "
              + b.path("version").asText());
      for (var e : fa.entrySet()) {
        if (!fb.containsKey(e.getKey())) {
          change(changes, table, "removed", e.getKey(), e.getValue(), null);
        } else if (!Objects.equals(e.getValue(), fb.get(e.getKey()))) {
          change(changes, table, "changed", e.getKey(), e.getValue(), fb.get(e.getKey()));
        }
      }
      for (var e : fb.entrySet()) {
        if (!fa.containsKey(e.getKey())) {
          change(changes, table, "added", e.getKey(), null, e.getValue());
        }
      }
      Map<String, String> ra = rules(a);
      Map<String, String> rb = rules(b);
      for (var e : ra.entrySet()) {
        if (!rb.containsKey(e.getKey())) {
          change(changes, table, "rule removed", e.getKey(), e.getValue(), null);
        } else if (!Objects.equals(e.getValue(), rb.get(e.getKey()))) {
          change(changes, table, "rule changed", e.getKey(), e.getValue(), rb.get(e.getKey()));
        }
      }
      for (var e : rb.entrySet()) {
        if (!ra.containsKey(e.getKey())) {
          change(changes, table, "rule added", e.getKey(), null, e.getValue());
        }
      }
      ObjectNode data = Output.object();
      data.put("subject", s);
      data.put("from", a.path("version").asInt());
      data.put("to", b.path("version").asInt());
      data.put("fromId", a.path("id").asInt());
      data.put("toId", b.path("id").asInt());
      data.set("changes", changes);
      output().emit(data, table);
      return 0;
    }

    private static void change(
        ArrayNode changes, Output.Table table, String kind, String what, String from, String to) {
      ObjectNode c = changes.addObject();
      c.put("change", kind);
      c.put("what", what);
      c.put("from", from);
      c.put("to", to);
      table.row(kind, what, from, to);
    }

    /** Each field by dotted path: its type, default and doc. */
    static Map<String, String> fields(Schema schema) {
      Map<String, String> out = new LinkedHashMap<>();
      out.put("(record)", schema.getFullName());
      walk(schema, "", out, new java.util.HashSet<>());
      return out;
    }

    private static void walk(
        Schema schema, String prefix, Map<String, String> out, java.util.Set<String> seen) {
      switch (schema.getType()) {
        case RECORD -> {
          if (!seen.add(schema.getFullName())) {
            return;
          }
          for (Schema.Field f : schema.getFields()) {
            String path = prefix + f.name();
            out.put(
                path,
                typeName(f.schema())
                    + (f.hasDefaultValue()
                        ? " default "
                            + org.apache.avro.util.internal.JacksonUtils.toJsonNode(f.defaultVal())
                        : "")
                    + (f.doc() == null ? "" : " \"" + f.doc() + "\""));
            walk(f.schema(), path + ".", out, seen);
          }
        }
        case UNION -> schema.getTypes().forEach(t -> walk(t, prefix, out, seen));
        case ARRAY -> walk(schema.getElementType(), prefix, out, seen);
        case MAP -> walk(schema.getValueType(), prefix, out, seen);
        default -> {}
      }
    }

    private static String typeName(Schema s) {
      return switch (s.getType()) {
        case UNION -> String.join("|", s.getTypes().stream().map(Diff::typeName).toList());
        case ARRAY -> "array<" + typeName(s.getElementType()) + ">";
        case MAP -> "map<" + typeName(s.getValueType()) + ">";
        case RECORD, ENUM, FIXED ->
            s.getType() == Schema.Type.ENUM ? "enum" + s.getEnumSymbols() : s.getFullName();
        default ->
            s.getLogicalType() == null
                ? s.getName()
                : s.getName() + "(" + s.getLogicalType().getName() + ")";
      };
    }

    private static Map<String, String> rules(JsonNode version) {
      Map<String, String> out = new LinkedHashMap<>();
      for (JsonNode r : version.path("ruleSet").path("domainRules")) {
        out.put(r.path("name").asText(), r.path("type").asText() + " " + r.path("params"));
      }
      return out;
    }
  }

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = {
        "Applies an ODCS data contract (v3.x YAML) to the mesh: declares the product, registers the"
            + " Avro contract with its MESH rules, sets the SLOs. Idempotent: the same file again changes nothing.",
        "An element with no meshbone meaning is an error naming it (a warning with --lenient); see docs/odcs.md.",
        "Several contracts (-f repeated, or a directory): every file is mapped before anything is written;"
            + " new products go through the registry's bulk onboarding, one line per product and a summary;"
            + " the exit code is not 0 when any product was not applied."
      })
  public static final class Apply extends Base {
    @Option(
        names = {"-f", "--file"},
        required = true,
        paramLabel = "contract.odcs.yaml",
        description =
            "an ODCS contract, or a directory of them (its *.yaml and *.yml files); repeat for more."
                + " Several contracts: new products go to the registry in bulk, per domain")
    List<Path> files;

    @Option(
        names = "--lenient",
        description = "report elements with no meshbone meaning as warnings and apply the rest")
    boolean lenient;

    @Option(names = "--domain", description = "the domain, when the contract names none")
    String domain;

    @Option(
        names = "--owner",
        paramLabel = "TEAM",
        description = "the owning team, when the contract names no team")
    String owner;

    @Option(
        names = "--product",
        description =
            "the product name, when the contract names none usable (dataProduct, schema[0].physicalName, id)")
    String product;

    @Option(names = "--dry-run", description = "map and report only: write nothing")
    boolean dryRun;

    @Override
    int run() {
      if (files.size() > 1 || Files.isDirectory(files.get(0))) {
        return runMany();
      }
      Path file = files.get(0);
      var mapped =
          OdcsApply.map(
              Inputs.readYaml(file, "the ODCS contract"), file.toString(), domain, product, owner);
      String unmapped = mapped.checkUnmapped(file.toString(), lenient);
      if (unmapped != null) {
        note("warning: " + unmapped);
      }
      ObjectNode data;
      if (dryRun) {
        data = mapped.describe();
        data.put("dryRun", true);
        output().emit(data, List.of("would apply " + mapped.id() + " (dry run: nothing written)"));
        return 0;
      }
      data = OdcsApply.apply(mapped, api(), this::progress);
      output().emit(data, OdcsApply.lines(data));
      return 0;
    }

    /** Several contracts: all mapped before any is written, then applied product by product. */
    private int runMany() {
      var plan =
          OdcsBulk.mapAll(
              OdcsBulk.files(files),
              domain,
              product,
              owner,
              lenient,
              this::note,
              problem -> note("mesh: " + problem));
      if (dryRun) {
        ArrayNode described = Output.JSON.createArrayNode();
        List<String> lines = new ArrayList<>();
        for (var p : plan) {
          ObjectNode d = p.mapped().describe();
          d.put("file", p.file().toString());
          described.add(d);
          lines.add("would apply " + p.mapped().id() + " (" + p.file() + ")");
        }
        lines.add(plan.size() + " contracts (dry run: nothing written)");
        ObjectNode data = Output.object();
        data.put("dryRun", true);
        data.put("contracts", plan.size());
        data.set("products", described);
        output().emit(data, lines);
        return 0;
      }
      ObjectNode summary = OdcsBulk.applyAll(plan, api(), this::progress);
      output().emit(summary, OdcsBulk.lines(summary));
      int exit = OdcsBulk.exitCode(summary);
      if (exit != 0) {
        note(
            "mesh: not applied: "
                + String.join(", ", texts(summary.path("notApplied")))
                + " ("
                + summary.path("notApplied").size()
                + " of "
                + plan.size()
                + ")");
      }
      return exit;
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description =
          "Writes a product's contract as an ODCS v3.1.0 document (YAML; --output json for JSON).")
  public static final class Export extends Base {
    @Parameters(paramLabel = "ID", description = "the product id")
    String id;

    @Option(names = "--format", defaultValue = "odcs", description = "odcs (the only format)")
    String format;

    @Option(
        names = {"-f", "--file"},
        paramLabel = "FILE",
        description = "write to this file instead of stdout")
    Path file;

    @Override
    int run() throws Exception {
      if (!format.equalsIgnoreCase("odcs")) {
        throw CliException.badInput("--format " + format + ": only odcs is supported");
      }
      ProductId pid = productId(id);
      ObjectNode doc = OdcsExport.export(api().registry(null), pid);
      Output.Format f =
          mesh().output() == Output.Format.json ? Output.Format.json : Output.Format.yaml;
      String text = Output.render(doc, f);
      if (file != null) {
        Files.writeString(file, text);
        note("wrote " + file);
      } else {
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
      }
      return 0;
    }
  }
}
