package dev.meshbone.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshbone.cli.Api;
import dev.meshbone.cli.CliException;
import dev.meshbone.cli.Mesh;
import dev.meshbone.cli.Output;
import dev.meshbone.cli.Progress;
import dev.meshbone.topics.InvalidNameException;
import dev.meshbone.topics.ProductId;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command has: the global options, its output, the mesh's APIs. */
abstract class Base implements Callable<Integer> {
  @Spec CommandSpec spec;

  private Api api;

  Mesh mesh() {
    return (Mesh) spec.root().userObject();
  }

  Api api() {
    if (api == null) {
      api = new Api(mesh().config());
    }
    return api;
  }

  Output output() {
    return new Output(spec.commandLine().getOut(), mesh().output());
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Progress on stderr for an operation that may take a while. */
  Progress progress(String what) {
    return Progress.of(err(), what, false);
  }

  /** A one-line note on stderr (never mixed into JSON on stdout). */
  void note(String line) {
    err().println(line);
    err().flush();
  }

  @Override
  public final Integer call() throws Exception {
    return run();
  }

  abstract int run() throws Exception;

  /**
   * The domain a write to {@code id} acts as: the product's own domain, or {@code --as}. A product
   * write through the SDK is always its owner's, so acting as another domain is refused here, as
   * the registry would refuse it.
   */
  String actingFor(ProductId id) {
    String acting = api().acting(id.domain());
    if (!acting.equals(id.domain())) {
      throw new CliException(
          CliException.DENIED,
          "domain "
              + acting
              + " cannot change "
              + id
              + ": it belongs to domain "
              + id.domain()
              + " (a domain writes only its own products)");
    }
    return acting;
  }

  static ProductId productId(String id) {
    try {
      return ProductId.parse(id);
    } catch (InvalidNameException e) {
      throw CliException.badInput(
          "'" + id + "' is not a product id <domain>.<product>: " + e.getMessage());
    }
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  static List<String> texts(JsonNode array) {
    List<String> list = new ArrayList<>();
    if (array != null) {
      array.forEach(n -> list.add(n.asText()));
    }
    return list;
  }

  static String join(JsonNode array) {
    List<String> list = texts(array);
    return list.isEmpty() ? "-" : String.join(",", list);
  }
}
