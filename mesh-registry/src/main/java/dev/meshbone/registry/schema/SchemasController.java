package dev.meshbone.registry.schema;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshbone.events.ContractVersion;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.inject.Named;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Confluent's {@code /schemas} resource: schemas by id (what a deserializer asks for every new id
 * it meets), the subjects and versions that use an id, the schema types.
 */
@Produces({SchemaJson.MEDIA_TYPE, "application/vnd.schemaregistry+json", "application/json"})
@Controller("/schemas")
public class SchemasController {
  private final ContractReader reader;
  private final ExecutorService blocking;

  public SchemasController(
      SchemaRegistryApi api, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
    this.reader = api.reader();
    this.blocking = blocking;
  }

  /**
   * The schema with this id. Confluent clients pass {@code subject} (and {@code format}); an id
   * means one schema everywhere, so neither changes the answer.
   */
  @Get("/ids/{id}")
  CompletableFuture<HttpResponse<String>> byId(
      @PathVariable String id,
      @Nullable @QueryValue String subject,
      @QueryValue(defaultValue = "false") boolean fetchMaxId) {
    // The common case, an id this instance has seen, is a map lookup and one store read: answered
    // on the event loop. A miss rebuilds the id index, which blocks: that goes to a worker.
    try {
      var hit =
          fetchMaxId ? Optional.<ContractVersion>empty() : reader.cachedSchemaById(parseId(id));
      if (hit.isPresent()) {
        return CompletableFuture.completedFuture(SchemaJson.ok(SchemaJson.schema(hit.get())));
      }
    } catch (SchemaRegistryException e) {
      return CompletableFuture.failedFuture(e);
    }
    return CompletableFuture.supplyAsync(
        () -> {
          ObjectNode body = SchemaJson.schema(find(id));
          if (fetchMaxId) {
            body.put("maxId", reader.maxId());
          }
          return SchemaJson.ok(body);
        },
        blocking);
  }

  @ExecuteOn(TaskExecutors.BLOCKING)
  @Get("/ids/{id}/schema")
  HttpResponse<String> rawById(@PathVariable String id) {
    return SchemaJson.raw(find(id).getSchema$());
  }

  @ExecuteOn(TaskExecutors.BLOCKING)
  @Get("/ids/{id}/subjects")
  HttpResponse<String> subjectsOf(
      @PathVariable String id, @QueryValue(defaultValue = "false") boolean deleted) {
    ArrayNode subjects = SchemaJson.MAPPER.createArrayNode();
    usesOf(id, deleted).stream()
        .map(ContractVersion::getSubject)
        .distinct()
        .sorted()
        .forEach(subjects::add);
    return SchemaJson.ok(subjects);
  }

  @ExecuteOn(TaskExecutors.BLOCKING)
  @Get("/ids/{id}/versions")
  HttpResponse<String> versionsOf(
      @PathVariable String id, @QueryValue(defaultValue = "false") boolean deleted) {
    ArrayNode versions = SchemaJson.MAPPER.createArrayNode();
    for (ContractVersion v : usesOf(id, deleted)) {
      versions.addObject().put("subject", v.getSubject()).put("version", v.getVersion());
    }
    return SchemaJson.ok(versions);
  }

  @Get("/types")
  HttpResponse<String> types() {
    return SchemaJson.ok(List.of("AVRO"));
  }

  /** Every version of every subject, or the latest of each with {@code latestOnly}. */
  @ExecuteOn(TaskExecutors.BLOCKING)
  @Get
  HttpResponse<String> list(
      @QueryValue(defaultValue = "") String subjectPrefix,
      @QueryValue(defaultValue = "false") boolean deleted,
      @QueryValue(defaultValue = "false") boolean latestOnly) {
    ArrayNode schemas = SchemaJson.MAPPER.createArrayNode();
    for (Map.Entry<String, List<ContractVersion>> subject : reader.allVersions().entrySet()) {
      if (!subject.getKey().startsWith(subjectPrefix)) {
        continue;
      }
      List<ContractVersion> versions =
          subject.getValue().stream().filter(v -> deleted || !v.getDeleted()).toList();
      if (latestOnly && !versions.isEmpty()) {
        versions = List.of(versions.get(versions.size() - 1));
      }
      versions.forEach(v -> schemas.add(SchemaJson.version(v)));
    }
    return SchemaJson.ok(schemas);
  }

  private List<ContractVersion> usesOf(String idText, boolean deleted) {
    int id = parseId(idText);
    List<ContractVersion> uses =
        reader.versionsWithId(id).stream().filter(v -> deleted || !v.getDeleted()).toList();
    if (uses.isEmpty() && reader.schemaById(id).isEmpty()) {
      throw SchemaRegistryException.schemaNotFound(idText);
    }
    return uses;
  }

  private ContractVersion find(String idText) {
    return reader
        .schemaById(parseId(idText))
        .orElseThrow(() -> SchemaRegistryException.schemaNotFound(SchemaJson.abbreviate(idText)));
  }

  /** An id is a positive int; anything else names no schema. */
  private static int parseId(String text) {
    try {
      int id = Integer.parseInt(text.trim());
      if (id >= 1) {
        return id;
      }
    } catch (NumberFormatException notAnId) {
      // answered below
    }
    throw SchemaRegistryException.schemaNotFound(SchemaJson.abbreviate(text));
  }
}
