package dev.meshbone.cli.odcs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshbone.cli.Api;
import dev.meshbone.cli.CliException;
import dev.meshbone.cli.Declarations;
import dev.meshbone.cli.Inputs;
import dev.meshbone.cli.MeshHttp;
import dev.meshbone.cli.Output;
import dev.meshbone.cli.Progress;
import dev.meshbone.contracts.Subjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Applying many ODCS contracts at once ({@code mesh contract apply -f a.yaml -f contracts/}): every
 * file is mapped first, and nothing is written if any of them cannot be; then the new products of
 * each domain go through the registry's bulk onboarding ({@code POST /domains/{domain}/products},
 * declaration, contract and rule set, at most {@link #BATCH} a request) and every other one (an
 * existing product, whose declaration or contract may change; a product the bulk endpoint could not
 * take; a new product whose declaration was accepted after the bulk answer, to register its
 * contract) through {@link OdcsApply#apply}, the path of a single file. The end state is the one
 * each file applied alone gives, so applying the same files again changes nothing.
 *
 * <p>Each product's result is its own: a refused or failed product is reported and does not stop
 * the others.
 */
public final class OdcsBulk {
  /** The most products in one bulk request (the registry's limit). */
  public static final int BATCH = 100;

  /** How long one bulk request may take: its decisions are awaited together. */
  private static final Duration BULK_TIMEOUT = Duration.ofSeconds(60);

  /** How long to wait for the declarations the bulk answer left PENDING, all together. */
  private static final Duration PENDING_WAIT = Duration.ofSeconds(30);

  private OdcsBulk() {}

  /** One contract file, mapped, with the declaration it makes. */
  public record Planned(Path file, OdcsApply.Mapped mapped, Declarations.Declared declared) {
    String domain() {
      return mapped.id().domain();
    }
  }

  /**
   * The contract files {@code given} names: a file as it is, a directory as its {@code *.yaml} and
   * {@code *.yml} files (not its subdirectories), sorted by name.
   */
  public static List<Path> files(List<Path> given) {
    List<Path> files = new ArrayList<>();
    for (Path p : given) {
      if (!Files.isDirectory(p)) {
        files.add(p);
        continue;
      }
      try (Stream<Path> listing = Files.list(p)) {
        List<Path> found =
            listing
                .filter(Files::isRegularFile)
                .filter(
                    f -> {
                      String name = f.getFileName().toString();
                      return name.endsWith(".yaml") || name.endsWith(".yml");
                    })
                .sorted()
                .toList();
        if (found.isEmpty()) {
          throw CliException.badInput(p + ": the directory holds no *.yaml or *.yml contract");
        }
        files.addAll(found);
      } catch (IOException e) {
        throw CliException.badInput("cannot list " + p + ": " + e.getMessage());
      }
    }
    return files.stream().distinct().toList();
  }

  /**
   * Maps every file; the problems of all of them together, each naming its file, before anything is
   * written: one problem is the {@link CliException}'s message, several are each given to {@code
   * problem} and the exception counts them.
   */
  public static List<Planned> mapAll(
      List<Path> files,
      String domain,
      String product,
      String owner,
      boolean lenient,
      Consumer<String> warning,
      Consumer<String> problem) {
    List<Planned> plan = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Map<String, Path> seen = new HashMap<>();
    for (Path file : files) {
      String source = file.toString();
      try {
        var mapped =
            OdcsApply.map(
                Inputs.readYaml(file, "the ODCS contract"), source, domain, product, owner);
        String unmapped = mapped.checkUnmapped(source, lenient);
        if (unmapped != null) {
          warning.accept("warning: " + source + ": " + unmapped);
        }
        var declared = Declarations.read(mapped.declaration(), source);
        Path other = seen.putIfAbsent(mapped.id().toString(), file);
        if (other != null) {
          throw CliException.badInput(mapped.id() + " is also the product of " + other);
        }
        plan.add(new Planned(file, mapped, declared));
      } catch (CliException e) {
        String message = e.getMessage();
        problems.add(message.startsWith(source) ? message : source + ": " + message);
      }
    }
    if (!problems.isEmpty()) {
      if (problems.size() > 1) {
        problems.forEach(problem);
      }
      throw CliException.badInput(
          problems.size()
              + " of "
              + files.size()
              + " contracts cannot be applied"
              + (problems.size() == 1 ? ": " + problems.get(0) : " (each named above)")
              + "; nothing was written");
    }
    return plan;
  }

  /** {@code items} in batches of at most {@code max}, each of one domain, domains in order. */
  static <T> List<List<T>> batches(List<T> items, Function<T, String> domain, int max) {
    Map<String, List<T>> byDomain = new LinkedHashMap<>();
    items.forEach(i -> byDomain.computeIfAbsent(domain.apply(i), d -> new ArrayList<>()).add(i));
    List<List<T>> batches = new ArrayList<>();
    for (List<T> ofDomain : byDomain.values()) {
      for (int from = 0; from < ofDomain.size(); from += max) {
        batches.add(List.copyOf(ofDomain.subList(from, Math.min(from + max, ofDomain.size()))));
      }
    }
    return batches;
  }

  /** The bulk request's item for a new product: its declaration, contract and rule set. */
  static ObjectNode item(Planned p) {
    ObjectNode item = Output.object();
    item.put("id", p.mapped().id().toString());
    item.set("descriptor", p.declared().declaration().descriptorJson());
    item.put("schema", p.mapped().schema().toString());
    if (p.mapped().ruleSet() != null) {
      item.set("ruleSet", Inputs.parseJson(p.mapped().ruleSet(), "rules"));
    }
    return item;
  }

  /**
   * Applies {@code plan}: one result per contract, in order, with the counts. Never throws for one
   * product's failure; {@link #exitCode} says how the whole went.
   */
  public static ObjectNode applyAll(
      List<Planned> plan, Api api, Function<String, Progress> progress) {
    ObjectNode[] results = new ObjectNode[plan.size()];
    Map<Planned, Integer> index = new HashMap<>();
    List<Planned> fresh = new ArrayList<>();
    List<Planned> single = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      Planned p = plan.get(i);
      index.put(p, i);
      try {
        String acting = api.acting(p.domain());
        String status = p.mapped().status();
        if (!acting.equals(p.domain()) || status.equals("deprecated") || status.equals("retired")) {
          single.add(p); // refused there with the single file's message
          continue;
        }
        var existing =
            api.registry(acting)
                .answer("GET", "/products/" + Api.seg(p.mapped().id().toString()), null);
        if (existing.status() == 404) {
          fresh.add(p);
        } else if (existing.ok()) {
          single.add(p);
        } else {
          throw api.registry(acting).failure(existing);
        }
      } catch (CliException e) {
        results[i] = failed(p, e.exitCode(), null, e.getMessage());
      }
    }
    for (List<Planned> batch : batches(fresh, Planned::domain, BATCH)) {
      for (Planned p : bulk(batch, api, progress, results, index)) {
        single.add(p);
      }
    }
    single.sort(Comparator.comparingInt(index::get));
    for (Planned p : single) {
      int i = index.get(p);
      try {
        ObjectNode data = OdcsApply.apply(p.mapped(), api, progress);
        results[i] = withFile(p, data);
      } catch (CliException e) {
        results[i] = failed(p, e.exitCode(), null, e.getMessage());
      }
    }
    return summary(List.of(results));
  }

  /**
   * One bulk request; its results into {@code results}. Returns the products to apply one by one
   * instead: all of them when the registry takes no such request (an older registry, or a 400 for
   * the request as a whole, which the single path then reports product by product), and each one
   * declared meanwhile by someone else.
   */
  private static List<Planned> bulk(
      List<Planned> batch,
      Api api,
      Function<String, Progress> progress,
      ObjectNode[] results,
      Map<Planned, Integer> index) {
    String domain = batch.get(0).domain();
    ArrayNode body = Output.JSON.createArrayNode();
    batch.forEach(p -> body.add(item(p)));
    MeshHttp.Answer answer;
    try (Progress p =
        progress.apply(
            "waiting for contract-validator's verdicts on "
                + batch.size()
                + " new products of "
                + domain)) {
      answer =
          api.registry(domain)
              .answerPost("/domains/" + Api.seg(domain) + "/products", body, BULK_TIMEOUT);
    } catch (CliException e) {
      batch.forEach(p -> results[index.get(p)] = failed(p, e.exitCode(), null, e.getMessage()));
      return List.of();
    }
    if (answer.status() == 400 || answer.status() == 404 || answer.status() == 405) {
      return batch;
    }
    if (!answer.ok() || answer.body().path("products").size() != batch.size()) {
      CliException e = api.registry(domain).failure(answer);
      batch.forEach(p -> results[index.get(p)] = failed(p, e.exitCode(), null, e.getMessage()));
      return List.of();
    }
    List<Planned> again = new ArrayList<>();
    Map<Planned, String> pending = new LinkedHashMap<>();
    for (int j = 0; j < batch.size(); j++) {
      Planned p = batch.get(j);
      JsonNode r = answer.body().path("products").get(j);
      String outcome = r.path("outcome").asText();
      if ("PRODUCT_EXISTS".equals(r.path("code").asText())) {
        again.add(p);
      } else if ("PENDING".equals(outcome) && r.hasNonNull("check")) {
        pending.put(p, r.path("check").asText());
      } else if ("ACCEPTED".equals(outcome)) {
        results[index.get(p)] = accepted(p, r);
      } else {
        String why = r.path("message").asText(r.path("code").asText("no reason given"));
        results[index.get(p)] =
            failed(
                p,
                "REFUSED".equals(outcome)
                    ? CliException.REFUSED
                    : "PENDING".equals(outcome)
                        ? CliException.UNREACHABLE
                        : Api.exitCode(r.path("status").asInt(503)),
                r.path("code").asText(null),
                why);
      }
    }
    if (!pending.isEmpty()) {
      try (Progress p =
          progress.apply(
              "waiting for contract-validator's verdicts on "
                  + pending.size()
                  + " declarations of "
                  + domain)) {
        again.addAll(awaitPending(pending, api.registry(domain), results, index));
      }
    }
    return again;
  }

  /**
   * Asks each declaration's {@code check} URL until its verdict: an accepted one goes on through
   * the single path (its contract is still to register), a refused one is reported, one still
   * pending after {@link #PENDING_WAIT} is failed (no verdict in time: apply again later).
   */
  private static List<Planned> awaitPending(
      Map<Planned, String> pending,
      Api.Http http,
      ObjectNode[] results,
      Map<Planned, Integer> index) {
    List<Planned> accepted = new ArrayList<>();
    long deadline = System.nanoTime() + PENDING_WAIT.toNanos();
    Map<Planned, String> waiting = new LinkedHashMap<>(pending);
    while (!waiting.isEmpty()) {
      for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        Planned p = e.getKey();
        JsonNode status;
        try {
          MeshHttp.Answer a = http.answer("GET", e.getValue(), null);
          status = a.ok() ? a.body() : null;
        } catch (CliException ex) {
          status = null;
        }
        String verdict = status == null ? "PENDING" : status.path("status").asText("PENDING");
        if (verdict.equals("ACCEPTED")) {
          accepted.add(p);
          it.remove();
        } else if (verdict.equals("REFUSED")) {
          List<String> reasons = new ArrayList<>();
          status
              .path("reasons")
              .forEach(
                  r -> reasons.add(r.path("code").asText() + ": " + r.path("message").asText()));
          results[index.get(p)] =
              failed(
                  p,
                  CliException.REFUSED,
                  "EVENT_REFUSED",
                  "contract-validator refused the event: " + String.join("; ", reasons));
          it.remove();
        }
      }
      if (waiting.isEmpty() || System.nanoTime() > deadline) {
        break;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    waiting.forEach(
        (p, check) ->
            results[index.get(p)] =
                failed(
                    p,
                    CliException.UNREACHABLE,
                    "PENDING",
                    "no verdict from contract-validator within "
                        + PENDING_WAIT.toSeconds()
                        + " s (ask "
                        + check
                        + "); apply again later"));
    return accepted;
  }

  private static ObjectNode accepted(Planned p, JsonNode r) {
    JsonNode schema = r.path("schema");
    ObjectNode data = Output.object();
    data.put("product", p.mapped().id().toString());
    data.put("productVersion", r.path("lifecycle").path("version").asLong());
    data.put("productChanged", true);
    data.put("subject", schema.path("subject").asText(Subjects.valueSubject(p.mapped().id())));
    data.put("contractVersion", schema.path("version").asInt());
    data.put("schemaId", schema.path("id").asInt());
    data.put("contractChanged", true);
    data.put(
        "rules",
        p.mapped().ruleSet() == null
            ? 0
            : Inputs.parseJson(p.mapped().ruleSet(), "rules").path("domainRules").size());
    ArrayNode u = data.putArray("unmapped");
    p.mapped().unmapped().forEach(u::add);
    return withFile(p, data);
  }

  private static ObjectNode withFile(Planned p, ObjectNode data) {
    boolean changed =
        data.path("productChanged").asBoolean() || data.path("contractChanged").asBoolean();
    data.put("result", changed ? "applied" : "unchanged");
    data.put("file", p.file().toString());
    return data;
  }

  private static ObjectNode failed(Planned p, int exitCode, String code, String message) {
    ObjectNode data = Output.object();
    data.put("product", p.mapped().id().toString());
    data.put("result", exitCode == CliException.REFUSED ? "refused" : "failed");
    data.put("file", p.file().toString());
    data.put("code", code);
    data.put("exitCode", exitCode);
    data.put("message", message);
    return data;
  }

  static ObjectNode summary(List<ObjectNode> results) {
    ObjectNode data = Output.object();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String r : List.of("applied", "unchanged", "refused", "failed")) {
      counts.put(r, 0);
    }
    ArrayNode notApplied = Output.JSON.createArrayNode();
    for (ObjectNode r : results) {
      counts.merge(r.path("result").asText(), 1, Integer::sum);
      if (r.has("exitCode")) {
        notApplied.add(r.path("product").asText());
      }
    }
    data.put("contracts", results.size());
    counts.forEach(data::put);
    data.set("notApplied", notApplied);
    data.set("products", Output.JSON.valueToTree(results));
    return data;
  }

  /** One line per product, then the counts and the products not applied. */
  public static List<String> lines(ObjectNode summary) {
    List<String> lines = new ArrayList<>();
    for (JsonNode r : summary.path("products")) {
      if (r.has("exitCode")) {
        lines.add(
            String.format(
                "%s %s (%s): %s",
                r.path("result").asText(),
                r.path("product").asText(),
                r.path("file").asText(),
                r.path("message").asText()));
      } else {
        lines.addAll(OdcsApply.lines((ObjectNode) r));
      }
    }
    lines.add(
        String.format(
            "%s contracts: %s applied, %s unchanged, %s refused, %s failed",
            summary.path("contracts").asText(),
            summary.path("applied").asText(),
            summary.path("unchanged").asText(),
            summary.path("refused").asText(),
            summary.path("failed").asText()));
    return lines;
  }

  /**
   * 0 when every product was applied or unchanged; else the exit code of the products not applied
   * when they share one, or {@link CliException#REFUSED}.
   */
  public static int exitCode(ObjectNode summary) {
    Integer code = null;
    for (JsonNode r : summary.path("products")) {
      if (r.has("exitCode")) {
        int c = r.path("exitCode").asInt();
        code = code == null || code == c ? c : CliException.REFUSED;
      }
    }
    return code == null ? 0 : code;
  }
}
