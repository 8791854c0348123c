package dev.meshbone.registry.schema;

import dev.meshbone.contracts.RegistryErrors;
import dev.meshbone.contracts.Subjects;
import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.ContractProposal;
import dev.meshbone.events.ContractVersion;
import dev.meshbone.events.DecisionOutcome;
import dev.meshbone.events.ProposalType;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Many schema registrations at once, for the registry's bulk product onboarding: each is checked
 * and decided exactly as {@code POST /subjects/{subject}/versions} would (the same proposal to
 * contract-validator, the same shortcut for a schema the subject already holds), but the proposals
 * go out together and their decisions are awaited together ({@link ContractWriter#writeAll}).
 */
@Singleton
public class ContractBatch {
  /**
   * One registration: {@code schema} (Avro) under {@code subject}, with its rule set (Confluent's
   * {@code ruleSet} JSON, or null) and its request id.
   */
  public record Registration(String subject, String schema, String ruleSetJson, String requestId) {}

  /** What became of one: the schema id and version, or the registry error code and message. */
  public record Registered(Integer schemaId, Integer version, Integer errorCode, String message) {
    public boolean ok() {
      return errorCode == null;
    }

    static Registered failed(SchemaRegistryException e) {
      return new Registered(null, null, e.errorCode(), e.getMessage());
    }
  }

  private final SchemaRegistryApi api;
  private final ContractReader reader;
  private final ContractWriter writer;
  private final ConsumerReadSets readers;

  public ContractBatch(
      SchemaRegistryApi api,
      ContractReader reader,
      ContractWriter writer,
      ConsumerReadSets readers) {
    this.api = api;
    this.reader = reader;
    this.writer = writer;
    this.readers = readers;
  }

  /** Registers each of {@code items} on behalf of {@code http}; one answer per item, in order. */
  public List<Registered> registerAll(HttpRequest<?> http, List<Registration> items) {
    Registered[] out = new Registered[items.size()];
    List<ContractProposal> proposals = new ArrayList<>();
    List<Integer> proposed = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Registration item = items.get(i);
      try {
        String canonical = Subjects.canonical(item.subject());
        String acting = api.actingDomain(http, canonical);
        var request =
            new SchemaJson.SchemaRequest(
                item.schema(), "AVRO", List.of(), null, item.ruleSetJson(), null, null);
        var candidate = api.parse(request);
        Optional<ContractVersion> existing =
            api.find(reader.versions(canonical), candidate, request, false);
        if (existing.isPresent()) {
          out[i] =
              new Registered(existing.get().getSchemaId(), existing.get().getVersion(), null, null);
          continue;
        }
        proposals.add(
            ContractProposal.newBuilder()
                .setRequestId(item.requestId())
                .setType(ProposalType.REGISTER)
                .setSubject(canonical)
                .setActingDomain(acting)
                .setProposedAt(Instant.now())
                .setSchema$(item.schema())
                .setSchemaType("AVRO")
                .setReferences(List.of())
                .setRuleSetJson(item.ruleSetJson())
                .setNormalize(false)
                .setReadSets(readers.approved(canonical))
                .setOverrideBreaks(false)
                .build());
        proposed.add(i);
      } catch (SchemaRegistryException e) {
        out[i] = Registered.failed(e);
      } catch (RuntimeException e) {
        out[i] =
            Registered.failed(
                new SchemaRegistryException(
                    RegistryErrors.STORE_ERROR, String.valueOf(e.getMessage())));
      }
    }
    List<ContractWriter.Decided> decided =
        proposals.isEmpty()
            ? List.of()
            : writer.writeAll(
                proposals, d -> () -> api.shows(d.getSubject(), d.getVersion(), d.getSchemaId()));
    for (int j = 0; j < decided.size(); j++) {
      ContractWriter.Decided d = decided.get(j);
      ContractDecision decision = d.decision();
      Registered r;
      if (decision == null) {
        r = Registered.failed(d.error());
      } else if (decision.getOutcome() == DecisionOutcome.ACCEPTED) {
        r = new Registered(decision.getSchemaId(), decision.getVersion(), null, null);
      } else {
        r =
            new Registered(
                null,
                null,
                decision.getErrorCode() == 0 ? RegistryErrors.STORE_ERROR : decision.getErrorCode(),
                decision.getMessage() == null
                    ? "the contract write was refused"
                    : decision.getMessage());
      }
      out[proposed.get(j)] = r;
    }
    return List.of(out);
  }
}
