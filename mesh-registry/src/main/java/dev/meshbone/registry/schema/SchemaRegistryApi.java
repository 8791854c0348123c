package dev.meshbone.registry.schema;

import dev.meshbone.contracts.AvroContracts;
import dev.meshbone.contracts.ContractKeys;
import dev.meshbone.contracts.InvalidContractException;
import dev.meshbone.contracts.References;
import dev.meshbone.contracts.RegistryErrors;
import dev.meshbone.contracts.Subjects;
import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.ContractProposal;
import dev.meshbone.events.ContractVersion;
import dev.meshbone.events.DecisionOutcome;
import dev.meshbone.events.ProposalType;
import dev.meshbone.events.SchemaReference;
import dev.meshbone.runtime.security.Actor;
import io.micronaut.context.annotation.Context;
import io.micronaut.http.HttpRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * What the schema registry controllers share: finding a schema under a subject as Confluent does,
 * and turning a write into a proposal for contract-validator with the right acting domain and
 * request id, then waiting until this instance can read what was decided. Created with the context,
 * so a bad setting stops the service at start.
 */
@Context
public class SchemaRegistryApi {
  /** A client may name its own request id, so that its retries are answered idempotently. */
  public static final String REQUEST_ID_HEADER = "X-Mesh-Request-Id";

  private final ContractReader reader;
  private final ContractWriter writer;
  private final SchemaApiSettings settings;

  public SchemaRegistryApi(
      ContractReader reader, ContractWriter writer, SchemaApiSettings settings) {
    this.reader = reader;
    this.writer = writer;
    // A misspelt policy stopped the service at start already (SchemaApiConfig).
    this.settings = settings;
  }

  ContractReader reader() {
    return reader;
  }

  /** The parsed candidate of a request: canonical text and concrete references. */
  record Candidate(AvroContracts.Parsed parsed, List<SchemaReference> references) {}

  /**
   * Parses the schema of a request as the validator will.
   *
   * @throws SchemaRegistryException 42201 if it is not a valid Avro schema
   */
  Candidate parse(SchemaJson.SchemaRequest request) {
    String type = request.schemaType();
    if (type != null && !type.isBlank() && !AvroContracts.AVRO.equalsIgnoreCase(type)) {
      throw new SchemaRegistryException(
          RegistryErrors.INVALID_SCHEMA,
          "Invalid schema type "
              + type
              + ": meshbone's contract registry accepts AVRO schemas only");
    }
    if (request.schema() == null || request.schema().isBlank()) {
      throw new SchemaRegistryException(RegistryErrors.INVALID_SCHEMA, "Empty schema");
    }
    try {
      List<SchemaReference> references =
          References.concrete(request.references(), reader::versions);
      return new Candidate(
          AvroContracts.parse(request.schema(), References.resolve(references, reader::versions)),
          references);
    } catch (InvalidContractException e) {
      throw new SchemaRegistryException(e.errorCode(), e.getMessage());
    }
  }

  /**
   * The version of {@code subject} holding the requested schema, as Confluent's lookup finds it:
   * the same canonical schema, references, metadata and rule set; a request without metadata and
   * rule set also matches the schema with those of the latest version (which a registration would
   * inherit).
   */
  Optional<ContractVersion> find(
      List<ContractVersion> versions,
      Candidate candidate,
      SchemaJson.SchemaRequest request,
      boolean includeDeleted) {
    String canonical = candidate.parsed().canonical();
    String identity =
        AvroContracts.identity(
            canonical, candidate.references(), request.metadataJson(), request.ruleSetJson());
    Optional<ContractVersion> found = withIdentity(versions, identity, includeDeleted);
    if (found.isPresent() || request.metadataJson() != null || request.ruleSetJson() != null) {
      return found;
    }
    ContractVersion latest = latestLive(versions).orElse(null);
    if (latest == null || (latest.getMetadataJson() == null && latest.getRuleSetJson() == null)) {
      return found;
    }
    return withIdentity(
        versions,
        AvroContracts.identity(
            canonical, candidate.references(), latest.getMetadataJson(), latest.getRuleSetJson()),
        includeDeleted);
  }

  private static Optional<ContractVersion> withIdentity(
      List<ContractVersion> versions, String identity, boolean includeDeleted) {
    for (int i = versions.size() - 1; i >= 0; i--) {
      ContractVersion v = versions.get(i);
      if ((includeDeleted || !v.getDeleted())
          && identity.equals(
              AvroContracts.identity(
                  v.getSchema$(), v.getReferences(), v.getMetadataJson(), v.getRuleSetJson()))) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  static Optional<ContractVersion> latestLive(List<ContractVersion> versions) {
    for (int i = versions.size() - 1; i >= 0; i--) {
      if (!versions.get(i).getDeleted()) {
        return Optional.of(versions.get(i));
      }
    }
    return Optional.empty();
  }

  /**
   * The domain a write acts as, from the request's {@link Actor} (the access rules have already
   * refused a caller that does not own the subject): the platform for the global level; the acting
   * domain; with security off and no identity given, the subject's owner unless anonymous writes
   * are denied.
   *
   * @param subject the canonical subject written, or null for the global level
   * @throws SchemaRegistryException 401 (anonymous write denied), 422 (a subject no domain owns),
   *     403 (the identity does not own the subject)
   */
  String actingDomain(HttpRequest<?> request, String subject) {
    if (subject != null) {
      Subjects.invalidReason(subject)
          .ifPresent(
              reason -> {
                throw new SchemaRegistryException(
                    RegistryErrors.INVALID_SUBJECT, "Invalid subject: " + reason);
              });
    }
    String owner =
        subject == null ? Subjects.PLATFORM_DOMAIN : Subjects.owner(subject).orElseThrow();
    Actor actor = Actor.of(request);
    if (subject == null && actor.platform()) {
      return Subjects.PLATFORM_DOMAIN;
    }
    if (actor.anonymous()) {
      if (settings.anonymousWrites() == SchemaApiSettings.AnonymousWrites.DENY) {
        throw new SchemaRegistryException(
            RegistryErrors.UNAUTHORIZED,
            "anonymous writes are denied (meshbone.registry.anonymous-writes=deny): name your"
                + " domain in the "
                + Actor.HEADER
                + " header or as the basic-auth user");
      }
      return owner;
    }
    String identity = actor.domain() == null ? actor.principal() : actor.domain();
    if (!identity.equals(owner)) {
      throw new SchemaRegistryException(
          RegistryErrors.FORBIDDEN,
          subject == null
              ? "domain '"
                  + identity
                  + "' may not change the global compatibility level: only the platform ('"
                  + Subjects.PLATFORM_DOMAIN
                  + "') sets it"
              : "domain '"
                  + identity
                  + "' may not write subject '"
                  + subject
                  + "': it belongs to domain '"
                  + owner
                  + "'");
    }
    return owner;
  }

  /** A proposal with the request's own id, or a fresh one. */
  static ContractProposal.Builder proposal(
      HttpRequest<?> request, ProposalType type, String subject, String actingDomain) {
    String requestId = request.getHeaders().get(REQUEST_ID_HEADER);
    if (requestId == null
        || requestId.isBlank()
        || requestId.length() > 128
        || requestId.chars().anyMatch(Character::isISOControl)) {
      requestId = UUID.randomUUID().toString();
    }
    return ContractProposal.newBuilder()
        .setRequestId(requestId)
        .setType(type)
        .setSubject(subject)
        .setActingDomain(actingDomain)
        .setProposedAt(Instant.now());
  }

  /**
   * Writes {@code proposal}: one wait for the validator's decision and, when accepted, for this
   * instance's copy of the contract log to show it ({@code visible}, given the decision), so what a
   * client just wrote reads back at once from the same instance.
   *
   * @return the decision, accepted
   * @throws SchemaRegistryException with the validator's error code if refused
   */
  ContractDecision write(
      ContractProposal proposal, Function<ContractDecision, BooleanSupplier> visible) {
    ContractDecision decision = writer.write(proposal, visible);
    if (decision.getOutcome() != DecisionOutcome.ACCEPTED) {
      throw new SchemaRegistryException(
          decision.getErrorCode() == 0 ? RegistryErrors.STORE_ERROR : decision.getErrorCode(),
          decision.getMessage() == null ? "the contract write was refused" : decision.getMessage());
    }
    return decision;
  }

  /** {@link #write} where what must become visible does not depend on the decision. */
  ContractDecision write(ContractProposal proposal, BooleanSupplier visible) {
    return write(proposal, decision -> visible);
  }

  /**
   * Whether this instance reads {@code version} of {@code subject} with schema {@code id}; when it
   * does, the version is remembered by id.
   */
  boolean shows(String subject, int version, int id) {
    Optional<ContractVersion> seen =
        reader
            .entry(ContractKeys.version(subject, version))
            .map(e -> e.getVersion())
            .filter(v -> v != null && v.getSchemaId() == id);
    seen.ifPresent(reader::remember);
    return seen.isPresent();
  }
}
