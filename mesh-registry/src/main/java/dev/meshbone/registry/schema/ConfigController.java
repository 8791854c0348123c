package dev.meshbone.registry.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshbone.contracts.ContractKeys;
import dev.meshbone.contracts.RegistryErrors;
import dev.meshbone.contracts.Subjects;
import dev.meshbone.events.Compatibility;
import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.ProposalType;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Objects;

/**
 * Confluent's {@code /config} resource: the global compatibility level (default BACKWARD) and each
 * subject's own. Reading a subject that has no level of its own is 40408 unless {@code
 * defaultToGlobal=true}, as in Confluent.
 */
@Produces({SchemaJson.MEDIA_TYPE, "application/vnd.schemaregistry+json", "application/json"})
@Controller("/config")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({
  SchemaJson.MEDIA_TYPE,
  "application/vnd.schemaregistry+json",
  "application/json",
  "application/octet-stream",
  "text/plain"
})
public class ConfigController {
  private final SchemaRegistryApi api;
  private final ContractReader reader;

  public ConfigController(SchemaRegistryApi api) {
    this.api = api;
    this.reader = api.reader();
  }

  @Get
  HttpResponse<String> global() {
    return SchemaJson.ok(level(reader.levelOf(null)));
  }

  @Put
  HttpResponse<String> setGlobal(HttpRequest<?> http, @Nullable @Body String body) {
    Compatibility level = SchemaJson.compatibilityRequest(body);
    String acting = api.actingDomain(http, null);
    api.write(
        SchemaRegistryApi.proposal(http, ProposalType.SET_CONFIG, null, acting)
            .setCompatibility(level)
            .build(),
        () -> reader.config(null).filter(level::equals).isPresent());
    return SchemaJson.ok(update(level));
  }

  @Delete
  HttpResponse<String> resetGlobal(HttpRequest<?> http) {
    String acting = api.actingDomain(http, null);
    ContractDecision decision =
        api.write(
            SchemaRegistryApi.proposal(http, ProposalType.DELETE_CONFIG, null, acting).build(),
            () -> reader.config(null).isEmpty());
    return SchemaJson.ok(level(decision.getCompatibility()));
  }

  @Get("/{subject}")
  HttpResponse<String> subject(
      @PathVariable String subject, @QueryValue(defaultValue = "false") boolean defaultToGlobal) {
    String canonical = Subjects.canonical(subject);
    var own = reader.config(canonical);
    if (own.isPresent()) {
      return SchemaJson.ok(level(own.get()));
    }
    if (defaultToGlobal) {
      return SchemaJson.ok(level(reader.levelOf(null)));
    }
    throw new SchemaRegistryException(
        RegistryErrors.SUBJECT_COMPATIBILITY_NOT_CONFIGURED,
        "Subject '" + canonical + "' does not have subject-level compatibility configured");
  }

  @Put("/{subject}")
  HttpResponse<String> setSubject(
      HttpRequest<?> http, @PathVariable String subject, @Nullable @Body String body) {
    String canonical = Subjects.canonical(subject);
    Compatibility level = SchemaJson.compatibilityRequest(body);
    String acting = api.actingDomain(http, canonical);
    api.write(
        SchemaRegistryApi.proposal(http, ProposalType.SET_CONFIG, canonical, acting)
            .setCompatibility(level)
            .build(),
        () -> reader.config(canonical).filter(level::equals).isPresent());
    return SchemaJson.ok(update(level));
  }

  @Delete("/{subject}")
  HttpResponse<String> deleteSubject(HttpRequest<?> http, @PathVariable String subject) {
    String canonical = Subjects.canonical(subject);
    String acting = api.actingDomain(http, canonical);
    ContractDecision decision =
        api.write(
            SchemaRegistryApi.proposal(http, ProposalType.DELETE_CONFIG, canonical, acting).build(),
            () -> reader.entry(ContractKeys.config(canonical)).isEmpty());
    return SchemaJson.ok(level(Objects.requireNonNull(decision.getCompatibility())));
  }

  private static ObjectNode level(Compatibility level) {
    ObjectNode node = SchemaJson.MAPPER.createObjectNode();
    node.put("compatibilityLevel", level.name());
    return node;
  }

  private static ObjectNode update(Compatibility level) {
    ObjectNode node = SchemaJson.MAPPER.createObjectNode();
    node.put("compatibility", level.name());
    return node;
  }
}
