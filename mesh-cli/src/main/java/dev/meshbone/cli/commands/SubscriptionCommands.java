package dev.meshbone.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshbone.cli.Api;
import dev.meshbone.cli.CliException;
import dev.meshbone.cli.Output;
import dev.meshbone.topics.ProductId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Subscriptions: subscribe, list, and the owner's decisions. */
public final class SubscriptionCommands {
  private SubscriptionCommands() {}

  static ObjectNode subscriptionRow(Output.Table table, JsonNode s) {
    table.row(
        Base.text(s, "productId"),
        Base.text(s, "consumerDomain"),
        Base.text(s, "state"),
        Base.text(s, "decidedBy"),
        Base.text(s, "purpose"));
    return (ObjectNode) s;
  }

  static Output.Table table() {
    return new Output.Table("PRODUCT", "CONSUMER", "STATE", "DECIDED BY", "PURPOSE")
        .whenEmpty("no subscriptions");
  }

  @Command(
      name = "subscribe",
      mixinStandardHelpOptions = true,
      description =
          "Subscribes your domain (--as) to a product: approved at once under AUTO_APPROVE, else REQUESTED until its owner decides.")
  public static final class Subscribe extends Base {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(
        names = "--purpose",
        required = true,
        paramLabel = "TEXT",
        description = "why you read it (the owner sees it)")
    String purpose;

    @Override
    int run() {
      ProductId pid = productId(id);
      String consumer = api().config().as();
      if (consumer == null && !api().config().hasCredentials()) {
        throw CliException.badInput(
            "mesh subscribe acts as the subscribing domain: give --as DOMAIN (or credentials)");
      }
      ObjectNode body = Output.object();
      body.put("purpose", purpose);
      JsonNode s =
          api()
              .registry(consumer)
              .post("/products/" + Api.seg(pid.toString()) + "/subscriptions", body);
      var table = table();
      subscriptionRow(table, s);
      output().emit(s, table);
      return 0;
    }
  }

  @Command(
      name = "subscriptions",
      mixinStandardHelpOptions = true,
      description =
          "Subscriptions to one product, or to every product (--domain: of one domain; --consumer: of one consumer).")
  public static final class Subscriptions extends Base {
    @Parameters(paramLabel = "ID", arity = "0..1")
    String id;

    @Option(names = "--domain", description = "only products of this domain")
    String domain;

    @Option(names = "--consumer", description = "only this consumer domain's subscriptions")
    String consumer;

    @Option(names = "--state", description = "REQUESTED, APPROVED, REJECTED or REVOKED")
    String state;

    @Override
    int run() {
      Api.Http http = api().registry(null);
      List<String> products = new java.util.ArrayList<>();
      if (id != null) {
        products.add(productId(id).toString());
      } else {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("domain", domain);
        params.put("limit", 500);
        String cursor = null;
        do {
          params.put("cursor", cursor);
          JsonNode page = http.get("/products" + Api.query(params));
          page.path("items").forEach(p -> products.add(p.path("id").asText()));
          cursor = page.path("nextCursor").asText(null);
        } while (cursor != null);
      }
      ArrayNode all = Output.JSON.createArrayNode();
      var table = table();
      for (String p : products) {
        JsonNode list =
            http.get(
                "/products/"
                    + Api.seg(p)
                    + "/subscribers"
                    + Api.query(Map.of("state", state == null ? "" : state)));
        for (JsonNode s : list.path("subscribers")) {
          if (consumer == null || consumer.equals(text(s, "consumerDomain"))) {
            all.add(subscriptionRow(table, s));
          }
        }
      }
      ObjectNode data = Output.object();
      data.set("subscriptions", all);
      output().emit(data, table);
      return 0;
    }
  }

  @Command(
      name = "subscription",
      mixinStandardHelpOptions = true,
      description = "The product owner's decisions on a subscription.",
      subcommands = {Approve.class, Reject.class, Revoke.class})
  public static final class Subscription implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "name a subcommand: approve, reject or revoke");
    }
  }

  abstract static class Decision extends Base {
    @Parameters(index = "0", paramLabel = "ID", description = "the product")
    String id;

    @Parameters(index = "1", paramLabel = "CONSUMER", description = "the consumer domain")
    String consumer;

    abstract String method();

    abstract String suffix();

    @Override
    int run() {
      ProductId pid = productId(id);
      Api.Http http = api().registry(api().acting(pid.domain()));
      String path =
          "/products/" + Api.seg(pid.toString()) + "/subscriptions/" + Api.seg(consumer) + suffix();
      JsonNode s = method().equals("DELETE") ? http.delete(path) : http.post(path, null);
      var table = table();
      subscriptionRow(table, s);
      output().emit(s, table);
      return 0;
    }
  }

  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = "Approves a consumer's request (as the product's owner).")
  public static final class Approve extends Decision {
    String method() {
      return "POST";
    }

    String suffix() {
      return "/approval";
    }
  }

  @Command(
      name = "reject",
      mixinStandardHelpOptions = true,
      description = "Rejects a consumer's request (as the product's owner).")
  public static final class Reject extends Decision {
    String method() {
      return "POST";
    }

    String suffix() {
      return "/rejection";
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Ends a consumer's subscription (as the product's owner).")
  public static final class Revoke extends Decision {
    String method() {
      return "DELETE";
    }

    String suffix() {
      return "";
    }
  }
}
