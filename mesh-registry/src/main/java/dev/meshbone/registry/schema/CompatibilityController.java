package dev.meshbone.registry.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshbone.contracts.CompatibilityRules;
import dev.meshbone.contracts.Subjects;
import dev.meshbone.events.ContractVersion;
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
import java.util.List;

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
    SchemaRegistryApi.Candidate candidate = api.parse(SchemaJson.schemaRequest(body));
    List<ContractVersion> live =
        reader.versions(canonical).stream().filter(v -> !v.getDeleted()).toList();
    ContractVersion against;
    if (number == -1) {
      if (live.isEmpty()) {
        return answer(List.of(), verbose);
      }
      against = live.get(live.size() - 1);
    } else {
      against =
          live.stream()
              .filter(v -> v.getVersion() == number)
              .findFirst()
              .orElseThrow(() -> SchemaRegistryException.versionNotFound(number));
    }
    return answer(check(canonical, candidate, List.of(against)), verbose);
  }

  /** Against the versions the subject's level checks on registration. */
  @Post("/subjects/{subject}/versions")
  HttpResponse<String> againstSubject(
      @PathVariable String subject,
      @QueryValue(defaultValue = "false") boolean verbose,
      @Nullable @Body String body) {
    String canonical = Subjects.canonical(subject);
    SchemaRegistryApi.Candidate candidate = api.parse(SchemaJson.schemaRequest(body));
    List<ContractVersion> newestFirst = new ArrayList<>();
    for (ContractVersion v : reader.versions(canonical)) {
      if (!v.getDeleted()) {
        newestFirst.add(0, v);
      }
    }
    return answer(check(canonical, candidate, newestFirst), verbose);
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
