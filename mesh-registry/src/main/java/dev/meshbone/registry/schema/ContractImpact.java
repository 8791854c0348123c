package dev.meshbone.registry.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshbone.contracts.CompatibilityRules;
import dev.meshbone.contracts.RegistryErrors;
import dev.meshbone.events.ContractVersion;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A subject's current contract and the compatibility verdict on a candidate, as {@code POST
 * /compatibility/subjects/{subject}/versions} answers it, for the product API: declaring the fields
 * a consumer reads, and the impact of a candidate on them. Read from this instance's copy of the
 * contract log; nothing is written.
 */
@Singleton
public class ContractImpact {
  private final SchemaRegistryApi api;
  private final ContractReader reader;

  public ContractImpact(SchemaRegistryApi api) {
    this.api = api;
    this.reader = api.reader();
  }

  /** The latest live version of a subject, parsed. */
  public record Latest(int version, Schema schema) {}

  /** The verdict on a candidate, with the candidate and the latest version it was checked on. */
  public record Verdict(
      String level,
      boolean compatible,
      List<String> messages,
      Schema candidate,
      Optional<Latest> latest) {}

  public Optional<Latest> latest(String subject) {
    List<ContractVersion> live =
        reader.versions(subject).stream().filter(v -> !v.getDeleted()).toList();
    if (live.isEmpty()) {
      return Optional.empty();
    }
    ContractVersion v = live.get(live.size() - 1);
    return Optional.of(new Latest(v.getVersion(), parse(v)));
  }

  /**
   * The verdict on {@code body} ({@code {"schema": ..., "ruleSet": ...}}, Confluent's registration
   * body; {@code schema} may also be the schema as a JSON object) at the subject's level.
   *
   * @throws SchemaRegistryException 42201 and the like for a body or schema that is not valid
   */
  public Verdict verdict(String subject, String body) {
    SchemaJson.SchemaRequest request = SchemaJson.schemaRequest(inlineSchema(body));
    SchemaRegistryApi.Candidate candidate = api.parse(request);
    List<ContractVersion> live =
        reader.versions(subject).stream().filter(v -> !v.getDeleted()).toList();
    List<String> ruleProblems = CompatibilityController.ruleProblems(request, live, candidate);
    List<ContractVersion> newestFirst = new ArrayList<>(live);
    Collections.reverse(newestFirst);
    List<CompatibilityRules.Previous> previous = new ArrayList<>();
    for (ContractVersion v : newestFirst) {
      previous.add(new CompatibilityRules.Previous(v.getVersion(), v.getSchema$(), parse(v)));
    }
    var level = reader.levelOf(subject);
    List<String> messages =
        CompatibilityController.concat(
            CompatibilityRules.check(level, candidate.parsed().schema(), previous), ruleProblems);
    Optional<Latest> latest =
        previous.isEmpty()
            ? Optional.empty()
            : Optional.of(new Latest(previous.get(0).version(), previous.get(0).schema()));
    return new Verdict(
        level.name(), messages.isEmpty(), messages, candidate.parsed().schema(), latest);
  }

  private Schema parse(ContractVersion v) {
    return api.parse(
            new SchemaJson.SchemaRequest(
                v.getSchema$(), "AVRO", v.getReferences(), null, null, null, null))
        .parsed()
        .schema();
  }

  /**
   * The body with a {@code schema} given as a JSON object turned into its text, as Confluent wants.
   */
  private static String inlineSchema(String body) {
    if (body == null || body.isBlank()) {
      return body;
    }
    JsonNode json;
    try {
      json = SchemaJson.MAPPER.readTree(body);
    } catch (Exception e) {
      throw new SchemaRegistryException(
          RegistryErrors.INVALID_SCHEMA, "the body is not JSON: " + e.getMessage());
    }
    if (json instanceof ObjectNode object && object.get("schema") instanceof ObjectNode schema) {
      object.put("schema", schema.toString());
      return object.toString();
    }
    return body;
  }
}
