package dev.meshbone.cli;

import dev.meshbone.cli.commands.ConfigCommands;
import dev.meshbone.cli.commands.ContractCommands;
import dev.meshbone.cli.commands.IssueCommands;
import dev.meshbone.cli.commands.OperationCommands;
import dev.meshbone.cli.commands.ProductCommands;
import dev.meshbone.cli.commands.SubscriptionCommands;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code mesh}: the meshbone command line. */
@Command(
    name = "mesh",
    mixinStandardHelpOptions = true,
    versionProvider = Mesh.Version.class,
    description = {
      "The meshbone command line: data products, contracts (Avro and ODCS), subscriptions and"
          + " operations of a running mesh.",
      "",
      "Where the mesh is comes from the flags, then MESH_* environment variables, then the"
          + " current context of ~/.meshbone/config, then the local mesh's defaults"
          + " (http://localhost:8081, http://localhost:8083, localhost:9092)."
    },
    footer = {
      "",
      "Exit codes: 0 done, 1 refused by the mesh (a contract check or write that would not be"
          + " accepted), 2 bad input, 3 not found, 4 unreachable, 5 credentials refused or not"
          + " allowed."
    },
    subcommands = {
      ProductCommands.Products.class,
      ProductCommands.Product.class,
      ProductCommands.Lineage.class,
      ContractCommands.class,
      SubscriptionCommands.Subscribe.class,
      SubscriptionCommands.Subscriptions.class,
      SubscriptionCommands.Subscription.class,
      IssueCommands.class,
      OperationCommands.Notifications.class,
      OperationCommands.Health.class,
      OperationCommands.Stats.class,
      OperationCommands.Dlq.class,
      ConfigCommands.class,
      Mesh.Completion.class,
    })
public final class Mesh {
  @Option(
      names = "--registry-url",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description = "mesh-registry (product and schema API); env MESH_REGISTRY_URL")
  String registryUrl;

  @Option(
      names = "--quality-url",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description = "quality-monitor; env MESH_QUALITY_URL")
  String qualityUrl;

  @Option(
      names = "--bootstrap-servers",
      scope = ScopeType.INHERIT,
      paramLabel = "HOST:PORT",
      description = "Kafka (for mesh dlq); env MESH_BOOTSTRAP_SERVERS")
  String bootstrapServers;

  @Option(
      names = "--context",
      scope = ScopeType.INHERIT,
      paramLabel = "NAME",
      description = "a context of the config file; env MESH_CONTEXT")
  String context;

  @Option(
      names = "--config",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "the config file (default ~/.meshbone/config); env MESH_CONFIG")
  String config;

  @Option(
      names = "--as",
      scope = ScopeType.INHERIT,
      paramLabel = "DOMAIN",
      description = "act as this domain (default: the domain the command is about); env MESH_AS")
  String as;

  @Option(
      names = "--kafka",
      scope = ScopeType.INHERIT,
      paramLabel = "NAME=VALUE",
      description = "a Kafka client setting by Kafka's own name (repeatable); env MESH_KAFKA_*")
  Map<String, String> kafka;

  @Option(
      names = {"-o", "--output"},
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      description = "table (default), json or yaml")
  Output.Format output = Output.Format.table;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "show the stack trace of a failure")
  boolean verbose;

  Map<String, String> env = System.getenv();
  CommandLine commandLine;

  public static void main(String[] args) {
    var out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    var err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int code = run(args, out, err, System.getenv());
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs one command line; returns its exit code. {@code env} stands for the environment. */
  public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    Mesh mesh = new Mesh();
    mesh.env = env;
    CommandLine cmd = new CommandLine(mesh);
    mesh.commandLine = cmd;
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setParameterExceptionHandler(
        (ex, arguments) -> {
          CommandLine failed = ex.getCommandLine();
          err.println(
              "mesh: "
                  + ex.getMessage()
                  + " (see '"
                  + failed.getCommandSpec().qualifiedName()
                  + " --help')");
          err.flush();
          return CliException.BAD_INPUT;
        });
    cmd.setExecutionExceptionHandler(
        (ex, failed, parsed) -> {
          if (mesh.verbose) {
            ex.printStackTrace(err);
          }
          if (ex instanceof CliException cli) {
            err.println("mesh: " + oneLine(cli.getMessage()));
            err.flush();
            return cli.exitCode();
          }
          err.println(
              "mesh: unexpected "
                  + ex.getClass().getSimpleName()
                  + (ex.getMessage() == null ? "" : ": " + oneLine(ex.getMessage()))
                  + (mesh.verbose ? "" : " (--verbose shows where)"));
          err.flush();
          return CliException.REFUSED;
        });
    return cmd.execute(args);
  }

  static String oneLine(String message) {
    if (message == null) {
      return "failed";
    }
    return message.replace("\r", "").replace("\n", " ").trim();
  }

  /** The configuration this command line resolves to. */
  public CliConfig config() {
    return CliConfig.resolve(configFlags(), env);
  }

  public CliConfig.Flags configFlags() {
    return new CliConfig.Flags(
        config, context, registryUrl, qualityUrl, bootstrapServers, as, kafka);
  }

  public Map<String, String> env() {
    return env;
  }

  public Output.Format output() {
    return output;
  }

  public boolean verbose() {
    return verbose;
  }

  @Command(
      name = "completion",
      mixinStandardHelpOptions = true,
      description = {
        "Prints a bash/zsh completion script for mesh.",
        "Use: source <(mesh completion)   or   mesh completion > /etc/bash_completion.d/mesh"
      })
  static final class Completion implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      CommandLine root = spec.root().commandLine();
      String script = AutoComplete.bash("mesh", root);
      PrintWriter out = spec.commandLine().getOut();
      out.print(script);
      out.flush();
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Mesh.class.getPackage().getImplementationVersion();
      return new String[] {"mesh " + (v == null ? "(development build)" : v)};
    }
  }

  /** For tests: the output of one run. */
  public record Run(int exitCode, String out, String err) {}

  public static Run capture(Map<String, String> env, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    int code = run(args, new PrintWriter(out, true), new PrintWriter(err, true), env);
    return new Run(code, out.toString(), err.toString());
  }
}
