package dev.meshbone.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshbone.cli.CliConfig;
import dev.meshbone.cli.CliException;
import dev.meshbone.cli.Output;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The config file's contexts: view, list, switch, set. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "Contexts of ~/.meshbone/config (like kubectl's): where a mesh is and its credentials.",
    subcommands = {
      ConfigCommands.View.class,
      ConfigCommands.GetContexts.class,
      ConfigCommands.UseContext.class,
      ConfigCommands.SetContext.class
    })
public final class ConfigCommands implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "name a subcommand: view, get-contexts, use-context or set-context");
  }

  static String mask(String key, String value) {
    if (key.contains("user.info")) {
      int colon = value.indexOf(':');
      return (colon < 0 ? "" : value.substring(0, colon)) + ":****";
    }
    if (key.contains("token")
        || key.contains("password")
        || key.contains("jaas")
        || key.contains("secret")) {
      return "****";
    }
    return value;
  }

  @Command(
      name = "view",
      mixinStandardHelpOptions = true,
      description = "The settings in effect and where each comes from (secrets masked).")
  public static final class View extends Base {
    @Override
    int run() {
      CliConfig c = mesh().config();
      ObjectNode data = Output.object();
      data.put("configFile", c.file().toString());
      data.put("context", c.contextName());
      data.put("registry-url", c.registryUrl());
      data.put("quality-url", c.qualityUrl());
      data.put("bootstrap-servers", c.bootstrapServers());
      data.put("as", c.as());
      ObjectNode creds = data.putObject("credentials");
      c.credentials().forEach((k, v) -> creds.put(k, mask(k, v)));
      ObjectNode kafka = data.putObject("kafka");
      c.kafka().forEach((k, v) -> kafka.put(k, mask(k, v)));
      var kv = Output.Table.keyValue();
      kv.row("config file", c.file());
      kv.row("context", c.contextName());
      for (String k : List.of("registry-url", "quality-url", "bootstrap-servers", "as")) {
        JsonNode v = data.get(k);
        kv.row(
            k,
            (v == null || v.isNull() ? "-" : v.asText())
                + (c.origin().containsKey(k) ? "  (" + c.origin().get(k) + ")" : ""));
      }
      creds.fields().forEachRemaining(e -> kv.row(e.getKey(), e.getValue().asText()));
      kafka.fields().forEachRemaining(e -> kv.row("kafka " + e.getKey(), e.getValue().asText()));
      output().emit(data, kv);
      return 0;
    }
  }

  @Command(
      name = "get-contexts",
      mixinStandardHelpOptions = true,
      description = "The contexts of the config file; * marks the current one.")
  public static final class GetContexts extends Base {
    @Override
    int run() {
      var file = CliConfig.configFile(mesh().configFlags(), mesh().env());
      ObjectNode root = CliConfig.readFile(file);
      String current = root.path("current-context").asText(null);
      var table =
          new Output.Table("CURRENT", "NAME", "REGISTRY", "QUALITY", "KAFKA")
              .whenEmpty("no contexts in " + file);
      root.path("contexts")
          .fields()
          .forEachRemaining(
              e ->
                  table.row(
                      e.getKey().equals(current) ? "*" : "",
                      e.getKey(),
                      e.getValue().path("registry-url").asText("-"),
                      e.getValue().path("quality-url").asText("-"),
                      e.getValue().path("bootstrap-servers").asText("-")));
      ObjectNode data = Output.object();
      data.put("current-context", current);
      data.set(
          "contexts", root.path("contexts").isObject() ? root.get("contexts") : Output.object());
      ObjectNode masked = data.deepCopy();
      masked
          .path("contexts")
          .fields()
          .forEachRemaining(
              e -> {
                ObjectNode ctx = (ObjectNode) e.getValue();
                ctx.fieldNames().forEachRemaining(k -> {});
                for (String k : CliConfig.CREDENTIALS) {
                  if (ctx.has(k)) {
                    ctx.put(k, mask(k, ctx.get(k).asText()));
                  }
                }
                if (ctx.path("kafka").isObject()) {
                  ObjectNode k = (ObjectNode) ctx.get("kafka");
                  k.fieldNames().forEachRemaining(name -> {});
                  List<String> names = new java.util.ArrayList<>();
                  k.fieldNames().forEachRemaining(names::add);
                  names.forEach(n -> k.put(n, mask(n, k.get(n).asText())));
                }
              });
      output().emit(masked, table);
      return 0;
    }
  }

  @Command(
      name = "use-context",
      mixinStandardHelpOptions = true,
      description = "Makes a context the current one.")
  public static final class UseContext extends Base {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    int run() {
      var file = CliConfig.configFile(mesh().configFlags(), mesh().env());
      ObjectNode root = CliConfig.readFile(file);
      if (!root.path("contexts").has(name)) {
        throw CliException.badInput(
            "no context '"
                + name
                + "' in "
                + file
                + " (mesh config set-context "
                + name
                + " ... adds it)");
      }
      root.put("current-context", name);
      CliConfig.writeFile(file, root);
      output()
          .emit(root.deepCopy().put("current-context", name), List.of("current context: " + name));
      return 0;
    }
  }

  @Command(
      name = "set-context",
      mixinStandardHelpOptions = true,
      description =
          "Adds or changes a context (the flags given are set; credentials and Kafka settings with --set NAME=VALUE).")
  public static final class SetContext extends Base {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(
        names = "--set",
        paramLabel = "NAME=VALUE",
        description =
            "a credential (basic.auth.user.info, bearer.auth.token, ...) or kafka.<setting>")
    Map<String, String> set;

    @Option(names = "--current", description = "also make it the current context")
    boolean current;

    @Override
    int run() {
      var file = CliConfig.configFile(mesh().configFlags(), mesh().env());
      ObjectNode root = CliConfig.readFile(file);
      ObjectNode contexts =
          root.path("contexts").isObject()
              ? (ObjectNode) root.get("contexts")
              : root.putObject("contexts");
      ObjectNode ctx =
          contexts.path(name).isObject()
              ? (ObjectNode) contexts.get(name)
              : contexts.putObject(name);
      var flags = mesh().configFlags();
      if (flags.registryUrl() != null) {
        ctx.put("registry-url", flags.registryUrl());
      }
      if (flags.qualityUrl() != null) {
        ctx.put("quality-url", flags.qualityUrl());
      }
      if (flags.bootstrapServers() != null) {
        ctx.put("bootstrap-servers", flags.bootstrapServers());
      }
      if (flags.as() != null) {
        ctx.put("as", flags.as());
      }
      if (flags.kafka() != null) {
        flags
            .kafka()
            .forEach(
                (k, v) ->
                    (ctx.path("kafka").isObject()
                            ? (ObjectNode) ctx.get("kafka")
                            : ctx.putObject("kafka"))
                        .put(k, v));
      }
      if (set != null) {
        for (var e : set.entrySet()) {
          if (e.getKey().startsWith("kafka.")) {
            (ctx.path("kafka").isObject() ? (ObjectNode) ctx.get("kafka") : ctx.putObject("kafka"))
                .put(e.getKey().substring(6), e.getValue());
          } else if (CliConfig.CREDENTIALS.contains(e.getKey())) {
            ctx.put(e.getKey(), e.getValue());
          } else {
            throw CliException.badInput(
                "--set "
                    + e.getKey()
                    + ": known are "
                    + CliConfig.CREDENTIALS
                    + " and kafka.<setting>");
          }
        }
      }
      if (current || !root.hasNonNull("current-context")) {
        root.put("current-context", name);
      }
      CliConfig.writeFile(file, root);
      output()
          .emit(
              Output.object().put("context", name),
              List.of("context " + name + " saved in " + file));
      return 0;
    }
  }
}
