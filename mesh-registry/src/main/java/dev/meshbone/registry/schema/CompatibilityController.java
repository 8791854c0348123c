package dev.meshbone.registry.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshbone.contracts.CompatibilityRules;
import dev.meshbone.contracts.RegistryErrors;
import dev.meshbone.contracts.Subjects;
import dev.meshbone.events.ContractVersion;
import dev.meshbone.rules.DataRules;
import dev.meshbone.rules.InvalidRuleException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Confluent's {@code /compatibility} resource: would this schema be accepted? Checked here, on this
 * instance's copy of the log, with the same rules the validator applies on registration ({@link
 * CompatibilityRules}); nothing is written.
 */
@Produces({SchemaJson.MEDIA_TYPE, "application/vnd.schemaregistry+json", "application/json"})
@Controller("/compatibility")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({
  SchemaJson.MEDIA_TYPE,
  "application/vnd.schemaregistry+json",
  "application/json",
  "application/octet-stream",
  "text/plain"
})
public class CompatibilityController {
  private final SchemaRegistryApi api;
  private final ContractReader reader;

  public CompatibilityController(SchemaRegistryApi api) {
    this.api = api;
    this.reader = api.reader();
  }

  /** Against one version (or the latest) under the subject's level. */
  @Post("/subjects/{subject}/versions/{version}")
  HttpResponse<String> againstVersion(
      @PathVariable String subject,
      @PathVariable String version,
      @QueryValue(defaultValue = "false") boolean verbose,
      @Nullable @Body String body) {
    String canonical = Subjects.canonical(subject);
    int number = SchemaJson.version(version);
    SchemaJson.SchemaRequest request = SchemaJson.schemaRequest(body);
    SchemaRegistryApi.Candidate candidate = api.parse(request);
    List<ContractVersion> live =
        reader.versions(canonical).stream().filter(v -> !v.getDeleted()).toList();
    List<String> ruleProblems = ruleProblems(request, live, candidate);
    ContractVersion against;
    if (number == -1) {
      if (live.isEmpty()) {
        return answer(ruleProblems, verbose);
      }
      against = live.get(live.size() - 1);
    } else {
      against =
          live.stream()
              .filter(v -> v.getVersion() == number)
              .findFirst()
              .orElseThrow(() -> SchemaRegistryException.versionNotFound(number));
    }
    return answer(concat(check(canonical, candidate, List.of(against)), ruleProblems), verbose);
  }

  /** Against the versions the subject's level checks on registration. */
  @Post("/subjects/{subject}/versions")
  HttpResponse<String> againstSubject(
      @PathVariable String subject,
      @QueryValue(defaultValue = "false") boolean verbose,
      @Nullable @Body String body) {
    String canonical = Subjects.canonical(subject);
    SchemaJson.SchemaRequest request = SchemaJson.schemaRequest(body);
    SchemaRegistryApi.Candidate candidate = api.parse(request);
    List<ContractVersion> live =
        reader.versions(canonical).stream().filter(v -> !v.getDeleted()).toList();
    List<String> ruleProblems = ruleProblems(request, live, candidate);
    List<ContractVersion> newestFirst = new ArrayList<>(live);
    Collections.reverse(newestFirst);
    return answer(concat(check(canonical, candidate, newestFirst), ruleProblems), verbose);
  }

  /**
   * The candidate's data rules as the validator decides them on registration, with the same parse
   * ({@link DataRules#parse(String, Schema)}). Rules the request gives that do not parse or do not
   * fit its schema are a bad request, 42201, as the registration would answer. Rules it would
   * inherit from the latest live version (the request gives none) that no longer fit the new schema
   * (a dropped field a rule names) make it incompatible with the subject's contract: one message
   * per problem.
   */
  static List<String> ruleProblems(
      SchemaJson.SchemaRequest request,
      List<ContractVersion> live,
      SchemaRegistryApi.Candidate candidate) {
    Schema schema = candidate.parsed().schema();
    if (request.ruleSetJson() != null) {
      try {
        DataRules.parse(request.ruleSetJson(), schema);
        return List.of();
      } catch (InvalidRuleException e) {
        throw new SchemaRegistryException(
            RegistryErrors.INVALID_SCHEMA, "Invalid rule set: " + String.join("; ", e.problems()));
      }
    }
    if (live.isEmpty()) {
      return List.of();
    }
    ContractVersion latest = live.get(live.size() - 1);
    try {
      DataRules.parse(latest.getRuleSetJson(), schema);
      return List.of();
    } catch (InvalidRuleException e) {
      return e.problems().stream()
          .map(
              problem ->
                  "{errorType:'DATA_RULE_NOT_APPLICABLE', description:'The rule set of version "
                      + latest.getVersion()
                      + ", which a registration without a ruleSet inherits, does not fit the new"
                      + " schema: "
                      + problem
                      + "'}")
          .toList();
    }
  }

  static List<String> concat(List<String> first, List<String> second) {
    if (first.isEmpty()) {
      return second;
    }
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  private List<String> check(
      String subject, SchemaRegistryApi.Candidate candidate, List<ContractVersion> newestFirst) {
    List<CompatibilityRules.Previous> previous = new ArrayList<>();
    for (ContractVersion v : newestFirst) {
      var stored =
          api.parse(
              new SchemaJson.SchemaRequest(
                  v.getSchema$(), "AVRO", v.getReferences(), null, null, null, null));
      previous.add(
          new CompatibilityRules.Previous(
              v.getVersion(), v.getSchema$(), stored.parsed().schema()));
    }
    return CompatibilityRules.check(reader.levelOf(subject), candidate.parsed().schema(), previous);
  }

  private static HttpResponse<String> answer(List<String> problems, boolean verbose) {
    ObjectNode body = SchemaJson.MAPPER.createObjectNode();
    body.put("is_compatible", problems.isEmpty());
    if (verbose) {
      var messages = body.putArray("messages");
      problems.forEach(messages::add);
    }
    return SchemaJson.ok(body);
  }
}
