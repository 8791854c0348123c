package dev.meshbone.registry.schema;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshbone.contracts.ContractKeys;
import dev.meshbone.contracts.RegistryErrors;
import dev.meshbone.contracts.Subjects;
import dev.meshbone.events.ConsumerReadSet;
import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.ContractVersion;
import dev.meshbone.events.ProposalType;
import dev.meshbone.runtime.http.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Confluent's {@code /subjects} resource: register, look up, list, read and delete versions. A
 * product's ingest-topic subject ({@code <domain>.<product>.ingest-value}) acts on the product's
 * canonical subject ({@link Subjects#canonical}).
 */
@Produces({SchemaJson.MEDIA_TYPE, "application/vnd.schemaregistry+json", "application/json"})
@Controller("/subjects")
@ExecuteOn(TaskExecutors.BLOCKING)
@Consumes({
  SchemaJson.MEDIA_TYPE,
  "application/vnd.schemaregistry+json",
  "application/json",
  "application/octet-stream",
  "text/plain"
})
public class SubjectsController {
  private final SchemaRegistryApi api;
  private final ContractReader reader;
  private final ConsumerReadSets readers;

  public SubjectsController(SchemaRegistryApi api, ConsumerReadSets readers) {
    this.api = api;
    this.reader = api.reader();
    this.readers = readers;
  }

  @Get
  HttpResponse<String> list(
      @QueryValue(defaultValue = "") String subjectPrefix,
      @QueryValue(defaultValue = "false") boolean deleted,
      @QueryValue(defaultValue = "false") boolean deletedOnly) {
    ArrayNode subjects = SchemaJson.MAPPER.createArrayNode();
    for (Map.Entry<String, List<ContractVersion>> subject : reader.allVersions().entrySet()) {
      if (!subject.getKey().startsWith(subjectPrefix)) {
        continue;
      }
      boolean live = subject.getValue().stream().anyMatch(v -> !v.getDeleted());
      if (deletedOnly ? !live : (live || deleted)) {
        subjects.add(subject.getKey());
      }
    }
    return SchemaJson.ok(subjects);
  }

  /**
   * Registers a schema under a subject, or answers the id it already has there. The declared read
   * sets of the APPROVED consumers of the subject's products go with the proposal, and the
   * validator refuses (409) a version that breaks one of them unless {@code overrideBreaks=true}.
   */
  @Post("/{subject}/versions")
  HttpResponse<String> register(
      HttpRequest<?> http,
      @PathVariable String subject,
      @QueryValue(defaultValue = "false") boolean normalize,
      @QueryValue(defaultValue = "false") boolean overrideBreaks,
      @Nullable @Body String body) {
    String canonical = Subjects.canonical(subject);
    SchemaJson.SchemaRequest request = SchemaJson.schemaRequest(body);
    String acting = api.actingDomain(http, canonical);
    if (request.id() != null && request.id() >= 0) {
      throw new SchemaRegistryException(
          dev.meshbone.contracts.RegistryErrors.OPERATION_NOT_PERMITTED,
          "Subject "
              + canonical
              + " is not in import mode: the registry allocates schema ids itself");
    }
    if (request.schema() != null && !request.schema().isBlank()) {
      // Confluent's shortcut: a schema already under the subject is answered without a write.
      SchemaRegistryApi.Candidate candidate = api.parse(request);
      Optional<ContractVersion> existing =
          api.find(reader.versions(canonical), candidate, request, false);
      if (existing.isPresent()
          && (request.version() == null
              || request.version() <= 0
              || request.version() == existing.get().getVersion())) {
        return SchemaJson.ok(idOnly(existing.get().getSchemaId()));
      }
    }
    var proposal =
        SchemaRegistryApi.proposal(http, ProposalType.REGISTER, canonical, acting)
            .setSchema$(request.schema())
            .setSchemaType(request.schemaType() == null ? "AVRO" : request.schemaType())
            .setReferences(request.references())
            .setMetadataJson(request.metadataJson())
            .setRuleSetJson(request.ruleSetJson())
            .setVersion(request.version())
            .setNormalize(normalize)
            .setReadSets(readSets(canonical))
            .setOverrideBreaks(overrideBreaks)
            .build();
    ContractDecision decision =
        api.write(proposal, d -> () -> api.shows(d.getSubject(), d.getVersion(), d.getSchemaId()));
    Optional<ContractVersion> stored =
        reader
            .entry(ContractKeys.version(decision.getSubject(), decision.getVersion()))
            .map(e -> e.getVersion())
            .filter(v -> v != null && v.getSchemaId() == decision.getSchemaId());
    // As Confluent: the full schema comes back when metadata or rules were set or inherited.
    if (stored.isPresent()
        && (stored.get().getMetadataJson() != null || stored.get().getRuleSetJson() != null)) {
      ObjectNode full = idOnly(decision.getSchemaId());
      full.put("version", decision.getVersion());
      SchemaJson.addContract(full, stored.get());
      return SchemaJson.ok(full);
    }
    return SchemaJson.ok(idOnly(decision.getSchemaId()));
  }

  private List<ConsumerReadSet> readSets(String subject) {
    try {
      return readers.approved(subject);
    } catch (ApiException e) {
      throw new SchemaRegistryException(
          RegistryErrors.STORE_ERROR,
          "cannot read the declared fields of the consumers of subject '"
              + subject
              + "', which a registration is checked against: "
              + e.getMessage());
    }
  }

  /** Looks a schema up under a subject: which version (and id) it is there. */
  @Post("/{subject}")
  HttpResponse<String> lookup(
      @PathVariable String subject,
      @QueryValue(defaultValue = "false") boolean normalize,
      @QueryValue(defaultValue = "false") boolean deleted,
      @Nullable @Body String body) {
    String canonical = Subjects.canonical(subject);
    SchemaJson.SchemaRequest request = SchemaJson.schemaRequest(body);
    List<ContractVersion> versions = reader.versions(canonical);
    if (versions.stream().noneMatch(v -> deleted || !v.getDeleted())) {
      throw SchemaRegistryException.subjectNotFound(canonical);
    }
    SchemaRegistryApi.Candidate candidate = api.parse(request);
    ContractVersion found =
        api.find(versions, candidate, request, deleted)
            .orElseThrow(() -> SchemaRegistryException.schemaNotFound(null));
    return SchemaJson.ok(SchemaJson.version(found));
  }

  @Get("/{subject}/versions")
  HttpResponse<String> versions(
      @PathVariable String subject,
      @QueryValue(defaultValue = "false") boolean deleted,
      @QueryValue(defaultValue = "false") boolean deletedOnly) {
    String canonical = Subjects.canonical(subject);
    ArrayNode numbers = SchemaJson.MAPPER.createArrayNode();
    for (ContractVersion v : reader.versions(canonical)) {
      if (deletedOnly ? v.getDeleted() : (deleted || !v.getDeleted())) {
        numbers.add(v.getVersion());
      }
    }
    if (numbers.isEmpty()) {
      throw SchemaRegistryException.subjectNotFound(canonical);
    }
    return SchemaJson.ok(numbers);
  }

  @Get("/{subject}/versions/{version}")
  HttpResponse<String> version(
      @PathVariable String subject,
      @PathVariable String version,
      @QueryValue(defaultValue = "false") boolean deleted) {
    return SchemaJson.ok(SchemaJson.version(find(subject, version, deleted)));
  }

  @Get("/{subject}/versions/{version}/schema")
  HttpResponse<String> rawSchema(
      @PathVariable String subject,
      @PathVariable String version,
      @QueryValue(defaultValue = "false") boolean deleted) {
    return SchemaJson.raw(find(subject, version, deleted).getSchema$());
  }

  /** The ids of schemas that reference this version. */
  @Get("/{subject}/versions/{version}/referencedby")
  HttpResponse<String> referencedBy(@PathVariable String subject, @PathVariable String version) {
    ContractVersion target = find(subject, version, false);
    ArrayNode ids = SchemaJson.MAPPER.createArrayNode();
    reader.allVersions().values().stream()
        .flatMap(List::stream)
        .filter(
            v ->
                v.getReferences().stream()
                    .anyMatch(
                        r ->
                            target.getSubject().equals(Subjects.canonical(r.getSubject()))
                                && r.getVersion() == target.getVersion()))
        .map(ContractVersion::getSchemaId)
        .distinct()
        .sorted()
        .forEach(ids::add);
    return SchemaJson.ok(ids);
  }

  @Delete("/{subject}")
  HttpResponse<String> deleteSubject(
      HttpRequest<?> http,
      @PathVariable String subject,
      @QueryValue(defaultValue = "false") boolean permanent) {
    String canonical = Subjects.canonical(subject);
    String acting = api.actingDomain(http, canonical);
    ContractDecision decision =
        api.write(
            SchemaRegistryApi.proposal(http, ProposalType.DELETE_SUBJECT, canonical, acting)
                .setPermanent(permanent)
                .build(),
            d ->
                () ->
                    d.getDeletedVersions().stream()
                        .allMatch(v -> isDeleted(canonical, v, permanent)));
    List<Integer> deleted = decision.getDeletedVersions();
    ArrayNode versions = SchemaJson.MAPPER.createArrayNode();
    deleted.forEach(versions::add);
    return SchemaJson.ok(versions);
  }

  @Delete("/{subject}/versions/{version}")
  HttpResponse<String> deleteVersion(
      HttpRequest<?> http,
      @PathVariable String subject,
      @PathVariable String version,
      @QueryValue(defaultValue = "false") boolean permanent) {
    String canonical = Subjects.canonical(subject);
    int number = SchemaJson.version(version);
    String acting = api.actingDomain(http, canonical);
    ContractDecision decision =
        api.write(
            SchemaRegistryApi.proposal(http, ProposalType.DELETE_VERSION, canonical, acting)
                .setVersion(number)
                .setPermanent(permanent)
                .build(),
            d -> () -> isDeleted(canonical, d.getVersion(), permanent));
    int deleted = decision.getVersion();
    return SchemaJson.ok(deleted);
  }

  private boolean isDeleted(String subject, int version, boolean permanent) {
    var entry = reader.entry(ContractKeys.version(subject, version));
    return permanent
        ? entry.isEmpty()
        : entry.map(e -> e.getVersion() == null || e.getVersion().getDeleted()).orElse(true);
  }

  /** A version of a subject by number or "latest", as Confluent finds it. */
  private ContractVersion find(String subject, String versionText, boolean includeDeleted) {
    String canonical = Subjects.canonical(subject);
    int version = SchemaJson.version(versionText);
    List<ContractVersion> versions = reader.versions(canonical);
    if (versions.stream().noneMatch(v -> includeDeleted || !v.getDeleted())) {
      throw SchemaRegistryException.subjectNotFound(canonical);
    }
    if (version == -1) {
      return SchemaRegistryApi.latestLive(versions)
          .orElseThrow(() -> SchemaRegistryException.versionNotFound(-1));
    }
    return versions.stream()
        .filter(v -> v.getVersion() == version && (includeDeleted || !v.getDeleted()))
        .findFirst()
        .orElseThrow(() -> SchemaRegistryException.versionNotFound(version));
  }

  private static ObjectNode idOnly(int id) {
    ObjectNode node = SchemaJson.MAPPER.createObjectNode();
    node.put("id", id);
    return node;
  }
}
