package dev.meshbone.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshbone.cli.Api;
import dev.meshbone.cli.CliException;
import dev.meshbone.cli.Output;
import dev.meshbone.topics.ProductId;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Product issues: {@code mesh issues list|show|open|state|comment|domain}. Writes act as {@code
 * --as} (or the credentials' domain): any domain opens an issue; the product's owner moves it; the
 * reporter may reopen a resolved one; both comment.
 */
@Command(
    name = "issues",
    mixinStandardHelpOptions = true,
    description = "Problems and improvements reported on products, and their owners' answers.",
    subcommands = {
      IssueCommands.ListIssues.class,
      IssueCommands.Show.class,
      IssueCommands.Open.class,
      IssueCommands.State.class,
      IssueCommands.Comment.class,
      IssueCommands.OfDomain.class
    })
public final class IssueCommands implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "name a subcommand: list, show, open, state, comment or domain");
  }

  static Output.Table table() {
    return new Output.Table("PRODUCT", "ISSUE", "STATE", "SEVERITY", "KIND", "REPORTER", "TITLE")
        .whenEmpty("no issues");
  }

  static void row(Output.Table table, JsonNode i) {
    table.row(
        Base.text(i, "productId"),
        Base.text(i, "issueId"),
        Base.text(i, "state"),
        Base.text(i, "severity"),
        Base.text(i, "kind"),
        Base.text(i, "reporterDomain"),
        Base.text(i, "title"));
  }

  static String path(ProductId pid) {
    return "/products/" + Api.seg(pid.toString()) + "/issues";
  }

  abstract static class Write extends Base {
    /** The acting domain: --as, or the credentials' domain. */
    String actor() {
      String as = api().acting(null);
      if (as == null && !api().config().hasCredentials()) {
        throw CliException.badInput(
            "this command acts as a domain: give --as DOMAIN (or credentials)");
      }
      return as;
    }

    int show(JsonNode issue) {
      var table = table();
      row(table, issue);
      output().emit(issue, table);
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "A product's issues, oldest first.")
  public static final class ListIssues extends Base {
    @Parameters(paramLabel = "ID", description = "the product")
    String id;

    @Option(names = "--state", description = "OPEN, ACKNOWLEDGED, RESOLVED or WONT_FIX")
    String state;

    @Override
    int run() {
      JsonNode list =
          api()
              .registry(null)
              .get(path(productId(id)) + Api.query(Map.of("state", state == null ? "" : state)));
      var table = table();
      list.path("issues").forEach(i -> row(table, i));
      output().emit(list, table);
      return 0;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "One issue with its whole thread.")
  public static final class Show extends Base {
    @Parameters(index = "0", paramLabel = "ID", description = "the product")
    String id;

    @Parameters(index = "1", paramLabel = "ISSUE", description = "the issue id")
    String issue;

    @Override
    int run() {
      JsonNode i = api().registry(null).get(path(productId(id)) + "/" + Api.seg(issue));
      var table =
          new Output.Table("AT", "ACTOR", "ACTION", "FROM", "TO", "TEXT").whenEmpty("no entries");
      for (JsonNode e : i.path("thread")) {
        table.row(
            text(e, "at"),
            text(e, "actor"),
            text(e, "action"),
            text(e, "fromState"),
            text(e, "toState"),
            text(e, "text"));
      }
      output().emit(i, table);
      return 0;
    }
  }

  @Command(
      name = "open",
      mixinStandardHelpOptions = true,
      description = "Reports a problem or an improvement on a product (as --as).")
  public static final class Open extends Write {
    @Parameters(paramLabel = "ID", description = "the product")
    String id;

    @Option(names = "--kind", defaultValue = "PROBLEM", description = "PROBLEM or IMPROVEMENT")
    String kind;

    @Option(names = "--severity", required = true, description = "LOW, MEDIUM, HIGH or CRITICAL")
    String severity;

    @Option(names = "--title", required = true, paramLabel = "TEXT")
    String title;

    @Option(names = "--description", required = true, paramLabel = "TEXT")
    String description;

    @Override
    int run() {
      ProductId pid = productId(id);
      ObjectNode body = Output.object();
      body.put("kind", kind);
      body.put("severity", severity);
      body.put("title", title);
      body.put("description", description);
      return show(api().registry(actor()).post(path(pid), body));
    }
  }

  @Command(
      name = "state",
      mixinStandardHelpOptions = true,
      description =
          "Moves an issue on (as the product's owner; the reporter only reopens a RESOLVED one).")
  public static final class State extends Write {
    @Parameters(index = "0", paramLabel = "ID", description = "the product")
    String id;

    @Parameters(index = "1", paramLabel = "ISSUE", description = "the issue id")
    String issue;

    @Parameters(
        index = "2",
        paramLabel = "STATE",
        description = "ACKNOWLEDGED, RESOLVED, WONT_FIX or OPEN")
    String state;

    @Option(names = "--comment", paramLabel = "TEXT")
    String comment;

    @Override
    int run() {
      ProductId pid = productId(id);
      ObjectNode body = Output.object();
      body.put("state", state);
      body.put("comment", comment);
      // The owner moves an issue on: act as the product's domain unless --as says otherwise.
      return show(
          api()
              .registry(api().acting(pid.domain()))
              .post(path(pid) + "/" + Api.seg(issue) + "/state", body));
    }
  }

  @Command(
      name = "comment",
      mixinStandardHelpOptions = true,
      description = "Comments on an issue (as its reporter or the product's owner).")
  public static final class Comment extends Write {
    @Parameters(index = "0", paramLabel = "ID", description = "the product")
    String id;

    @Parameters(index = "1", paramLabel = "ISSUE", description = "the issue id")
    String issue;

    @Parameters(index = "2", paramLabel = "TEXT")
    String text;

    @Override
    int run() {
      ProductId pid = productId(id);
      ObjectNode body = Output.object();
      body.put("text", text);
      return show(
          api().registry(actor()).post(path(pid) + "/" + Api.seg(issue) + "/comments", body));
    }
  }

  @Command(
      name = "domain",
      mixinStandardHelpOptions = true,
      description = "What a domain reported, and the issues on its products it must answer.")
  public static final class OfDomain extends Base {
    @Parameters(paramLabel = "DOMAIN")
    String domain;

    @Option(names = "--state", description = "OPEN, ACKNOWLEDGED, RESOLVED or WONT_FIX")
    String state;

    @Override
    int run() {
      JsonNode d =
          api()
              .registry(null)
              .get(
                  "/domains/"
                      + Api.seg(domain)
                      + "/issues"
                      + Api.query(Map.of("state", state == null ? "" : state)));
      var table = table();
      d.path("toAnswer").forEach(i -> row(table, i));
      d.path("reported").forEach(i -> row(table, i));
      output().emit(d, table);
      return 0;
    }
  }
}
