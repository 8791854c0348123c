package dev.meshbone.validator.contracts;

import dev.meshbone.contracts.AvroContracts;
import dev.meshbone.contracts.CompatibilityRules;
import dev.meshbone.contracts.FieldBreaks;
import dev.meshbone.contracts.InvalidContractException;
import dev.meshbone.contracts.References;
import dev.meshbone.contracts.RegistryErrors;
import dev.meshbone.contracts.Subjects;
import dev.meshbone.events.Compatibility;
import dev.meshbone.events.ConsumerReadSet;
import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.ContractProposal;
import dev.meshbone.events.ContractVersion;
import dev.meshbone.events.DecisionOutcome;
import dev.meshbone.events.FieldBreak;
import dev.meshbone.events.SchemaReference;
import dev.meshbone.rules.DataRules;
import dev.meshbone.rules.InvalidRuleException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Decides contract proposals, one at a time, in the order of {@code mesh.contracts.proposals}: the
 * single writer of schema ids. Each decision is a pure function of the proposal, its timestamp and
 * the state left by the proposals before it, so replaying the proposal log always gives the same
 * ids and versions.
 *
 * <p>The rules are Confluent Schema Registry's (versions, ids, soft and permanent deletes,
 * compatibility levels, metadata and rule sets inherited from the previous version), plus the
 * mesh's own: a subject belongs to the domain its name starts with, only that domain writes it, a
 * product's ingest-topic subject is an alias of its canonical subject ({@link Subjects}), and a new
 * version that breaks a field an APPROVED consumer declared it reads is refused (409) whatever the
 * level, unless the owner overrides ({@link #breaks}).
 */
final class ContractDecider {
  private static final int PARSED_CACHE_SIZE = 512;

  private final ContractState state;

  /** Parsed stored versions by schema id: an id's text never changes, so this never goes stale. */
  private final Map<Integer, Schema> parsed =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Schema> eldest) {
          return size() > PARSED_CACHE_SIZE;
        }
      };

  ContractDecider(ContractState state) {
    this.state = state;
  }

  /** Signals a refusal with Confluent's error code; nothing the decision computed is applied. */
  private static final class Refusal extends RuntimeException {
    final int errorCode;
    final List<String> reasons;

    Refusal(int errorCode, String message, List<String> reasons) {
      super(message, null, false, false);
      this.errorCode = errorCode;
      this.reasons = reasons;
    }
  }

  private static Refusal refuse(int errorCode, String message) {
    return new Refusal(errorCode, message, List.of());
  }

  /**
   * Decides {@code proposal}. A proposal whose request id was decided before gets that decision
   * again and changes nothing.
   *
   * @param timestamp the proposal's record timestamp: when the decision counts as taken
   */
  Changes decide(ContractProposal proposal, long timestamp) {
    ContractDecision earlier = state.decision(proposal.getRequestId());
    if (earlier != null) {
      var replay = new Changes();
      replay.outcomes.add(new Outcome.Decision(earlier.getRequestId(), earlier));
      return replay;
    }
    var changes = new Changes();
    ContractDecision decision;
    try {
      decision =
          switch (proposal.getType()) {
            case REGISTER -> register(proposal, timestamp, changes);
            case SET_CONFIG -> setConfig(proposal, timestamp, changes);
            case DELETE_CONFIG -> deleteConfig(proposal, timestamp, changes);
            case DELETE_SUBJECT -> deleteSubject(proposal, timestamp, changes);
            case DELETE_VERSION -> deleteVersion(proposal, timestamp, changes);
            case UNKNOWN ->
                throw refuse(
                    RegistryErrors.OPERATION_NOT_PERMITTED,
                    "unknown proposal type: the proposal names no operation");
          };
    } catch (Refusal refusal) {
      changes = new Changes();
      decision =
          rejected(proposal, timestamp, refusal.errorCode, refusal.getMessage(), refusal.reasons);
    } catch (InvalidContractException invalid) {
      changes = new Changes();
      decision =
          rejected(proposal, timestamp, invalid.errorCode(), invalid.getMessage(), List.of());
    }
    changes.decide(decision);
    return changes;
  }

  // ---- REGISTER ----

  private ContractDecision register(ContractProposal p, long timestamp, Changes changes) {
    String subject = subjectOf(p);
    authorize(p, subject, "register schemas under");
    String type = p.getSchemaType();
    if (type != null && !type.isBlank() && !AvroContracts.AVRO.equalsIgnoreCase(type)) {
      throw refuse(
          RegistryErrors.INVALID_SCHEMA,
          "Invalid schema type "
              + type
              + ": meshbone's contract registry accepts AVRO schemas only");
    }
    AvroContracts.requireJsonObject("metadata", p.getMetadataJson(), RegistryErrors.INVALID_SCHEMA);
    // A ruleSet that is not even a JSON object is Confluent's invalid rule set; the mesh rules in
    // a well-formed one are checked against the schema below, once the schema is known.
    AvroContracts.requireJsonObject("ruleSet", p.getRuleSetJson(), RegistryErrors.INVALID_RULESET);

    List<ContractVersion> all = state.versions(subject);
    int newVersion = all.isEmpty() ? 1 : all.get(all.size() - 1).getVersion() + 1;
    List<ContractVersion> live = all.stream().filter(v -> !v.getDeleted()).toList();
    ContractVersion latest = live.isEmpty() ? null : live.get(live.size() - 1);

    // As Confluent: an empty schema re-registers the latest one (to change only its rules), and
    // metadata and rule set not given are inherited from the latest version.
    String text = p.getSchema$();
    List<SchemaReference> references = p.getReferences();
    if (text == null || text.isBlank()) {
      if (latest == null) {
        throw refuse(RegistryErrors.INVALID_SCHEMA, "Empty schema");
      }
      text = latest.getSchema$();
      references = latest.getReferences();
    }
    String metadata = p.getMetadataJson();
    String ruleSet = p.getRuleSetJson();
    ContractVersion rulesFrom = null;
    if (latest != null) {
      metadata = metadata != null ? metadata : latest.getMetadataJson();
      if (ruleSet == null) {
        ruleSet = latest.getRuleSetJson();
        rulesFrom = latest;
      }
    }

    references = References.concrete(references, state::versions);
    AvroContracts.Parsed candidate =
        AvroContracts.parse(text, References.resolve(references, state::versions));
    if (rulesFrom == null) {
      // Rules given with the request are part of the request: a bad one is invalid input (42201)
      // before anything else is decided. Inherited ones are checked after compatibility, below.
      requireApplicableRules(subject, ruleSet, null, candidate.schema());
    }
    String identity = AvroContracts.identity(candidate.canonical(), references, metadata, ruleSet);
    Integer existingId = state.schemaId(identity);
    if (existingId != null) {
      for (int i = live.size() - 1; i >= 0; i--) {
        if (live.get(i).getSchemaId() == existingId) {
          return accepted(p, timestamp)
              .setSubject(subject)
              .setSchemaId(existingId)
              .setVersion(live.get(i).getVersion())
              .build();
        }
      }
    }
    Integer asked = p.getVersion();
    if (asked != null && asked > 0 && asked != newVersion) {
      throw refuse(
          RegistryErrors.INVALID_SCHEMA,
          "Version is not one more than previous version: the next version of subject '"
              + subject
              + "' is "
              + newVersion
              + ", not "
              + asked);
    }

    Compatibility level = levelOf(subject);
    List<CompatibilityRules.Previous> previous = new ArrayList<>();
    for (int i = live.size() - 1; i >= 0; i--) {
      ContractVersion v = live.get(i);
      previous.add(
          new CompatibilityRules.Previous(v.getVersion(), v.getSchema$(), parsedSchema(v)));
    }
    List<String> problems = CompatibilityRules.check(level, candidate.schema(), previous);
    if (!problems.isEmpty()) {
      throw new Refusal(
          RegistryErrors.INCOMPATIBLE_SCHEMA,
          "Schema being registered is incompatible with an earlier schema for subject \""
              + subject
              + "\", details: "
              + problems,
          problems);
    }

    if (rulesFrom != null) {
      // The latest version's rules on the new schema: an evolution problem, so an incompatible
      // schema is answered 409 first, as Confluent would.
      requireApplicableRules(subject, ruleSet, rulesFrom, candidate.schema());
    }
    List<FieldBreak> broken =
        latest == null ? List.of() : breaks(p, parsedSchema(latest), candidate.schema());
    if (!broken.isEmpty() && !p.getOverrideBreaks()) {
      throw new Refusal(
          RegistryErrors.INCOMPATIBLE_SCHEMA,
          "Schema being registered breaks fields that approved consumers of subject \""
              + subject
              + "\" declared they read: "
              + String.join("; ", broken.stream().map(ContractDecider::describe).toList())
              + ". The subject's owner may register it anyway with overrideBreaks=true; the"
              + " consumers are then notified",
          broken.stream().map(ContractDecider::describe).toList());
    }

    int id = existingId != null ? existingId : state.nextId();
    // As Confluent: an earlier soft-deleted version with the same id is superseded for good.
    for (ContractVersion v : all) {
      if (v.getDeleted() && v.getSchemaId() == id) {
        changes.deleteVersion(subject, v.getVersion());
      }
    }
    ContractVersion registered =
        ContractVersion.newBuilder()
            .setSubject(subject)
            .setVersion(newVersion)
            .setSchemaId(id)
            .setSchema$(candidate.canonical())
            .setSchemaType(AvroContracts.AVRO)
            .setReferences(references)
            .setMetadataJson(metadata)
            .setRuleSetJson(ruleSet)
            .setDeleted(false)
            .setRegisteredAt(Instant.ofEpochMilli(timestamp))
            .setRegisteredBy(p.getActingDomain())
            .build();
    if (existingId == null) {
      changes.newSchema(identity, registered);
    }
    changes.putVersion(registered);
    return accepted(p, timestamp)
        .setSubject(subject)
        .setSchemaId(id)
        .setVersion(newVersion)
        .setBreaks(broken)
        .build();
  }

  /**
   * The declared fields of the proposal's read sets (attached by the registry: the APPROVED
   * consumers of the products under the subject) that the change from the latest version breaks, in
   * read-set order. A pure function of the proposal and the latest version, like the rest of the
   * decision, so a replay decides the same.
   */
  static List<FieldBreak> breaks(ContractProposal p, Schema latest, Schema candidate) {
    List<FieldBreak> out = new ArrayList<>();
    for (ConsumerReadSet readSet : p.getReadSets()) {
      for (String field : readSet.getFields()) {
        FieldBreaks.check(latest, candidate, field)
            .ifPresent(
                problem ->
                    out.add(
                        FieldBreak.newBuilder()
                            .setProductId(readSet.getProductId())
                            .setConsumerDomain(readSet.getConsumerDomain())
                            .setField(field)
                            .setKind(problem.kind().name())
                            .setReason(problem.reason())
                            .build()));
      }
    }
    return out;
  }

  private static String describe(FieldBreak b) {
    return b.getConsumerDomain()
        + " reads "
        + b.getField()
        + " of "
        + b.getProductId()
        + " ("
        + b.getKind()
        + ": "
        + b.getReason()
        + ")";
  }

  /**
   * Refuses (42201) a rule set whose mesh data rules do not parse or do not fit {@code schema},
   * with {@link DataRules#parse(String, Schema)}: the parse record validation compiles them with,
   * so an accepted version's rules always compile there. Rules inherited from the latest version
   * are checked too: a new schema that drops a field they name is refused, not accepted with rules
   * no record could be checked against.
   */
  private static void requireApplicableRules(
      String subject, String ruleSet, ContractVersion inheritedFrom, Schema schema) {
    try {
      DataRules.parse(ruleSet, schema);
    } catch (InvalidRuleException e) {
      String source =
          inheritedFrom == null
              ? "the rule set"
              : "the rule set inherited from version " + inheritedFrom.getVersion();
      throw new Refusal(
          RegistryErrors.INVALID_SCHEMA,
          "Invalid rule set for subject '"
              + subject
              + "': "
              + source
              + (e.problems().size() == 1 ? " has a problem: " : " has problems: ")
              + String.join("; ", e.problems()),
          e.problems());
    }
  }

  private Schema parsedSchema(ContractVersion version) {
    Schema schema = parsed.get(version.getSchemaId());
    if (schema == null) {
      schema =
          AvroContracts.parse(
                  version.getSchema$(),
                  References.resolve(version.getReferences(), state::versions))
              .schema();
      parsed.put(version.getSchemaId(), schema);
    }
    return schema;
  }

  // ---- CONFIG ----

  private ContractDecision setConfig(ContractProposal p, long timestamp, Changes changes) {
    String subject = configSubjectOf(p);
    Compatibility level = p.getCompatibility();
    if (level == null) {
      throw refuse(
          RegistryErrors.INVALID_COMPATIBILITY_LEVEL, RegistryErrors.INVALID_COMPATIBILITY_MESSAGE);
    }
    changes.putConfig(subject, level);
    return accepted(p, timestamp).setSubject(subject).setCompatibility(level).build();
  }

  private ContractDecision deleteConfig(ContractProposal p, long timestamp, Changes changes) {
    String subject = configSubjectOf(p);
    Compatibility old = state.config(subject == null ? "" : subject);
    if (subject == null) {
      // Resetting the global level answers with the level it had.
      if (old != null) {
        changes.deleteConfig(null);
      }
      return accepted(p, timestamp)
          .setCompatibility(old == null ? CompatibilityRules.DEFAULT : old)
          .build();
    }
    if (old == null) {
      throw refuse(RegistryErrors.SUBJECT_NOT_FOUND, RegistryErrors.subjectNotFound(subject));
    }
    changes.deleteConfig(subject);
    return accepted(p, timestamp).setSubject(subject).setCompatibility(old).build();
  }

  /**
   * The subject of a config proposal after checking who may write it; null for the global level.
   */
  private String configSubjectOf(ContractProposal p) {
    if (p.getSubject() == null) {
      String acting = p.getActingDomain();
      if (!Subjects.PLATFORM_DOMAIN.equals(acting)) {
        throw refuse(
            RegistryErrors.FORBIDDEN,
            "domain '"
                + acting
                + "' may not change the global compatibility level: it applies to every domain,"
                + " so only the platform ('"
                + Subjects.PLATFORM_DOMAIN
                + "') sets it; set a subject's own level with PUT /config/{subject}");
      }
      return null;
    }
    String subject = subjectOf(p);
    authorize(p, subject, "change the compatibility level of");
    return subject;
  }

  // ---- DELETE ----

  private ContractDecision deleteSubject(ContractProposal p, long timestamp, Changes changes) {
    String subject = subjectOf(p);
    authorize(p, subject, "delete");
    List<ContractVersion> all = state.versions(subject);
    if (all.isEmpty()) {
      throw refuse(RegistryErrors.SUBJECT_NOT_FOUND, RegistryErrors.subjectNotFound(subject));
    }
    List<Integer> deleted = new ArrayList<>();
    if (p.getPermanent()) {
      for (ContractVersion v : all) {
        if (!v.getDeleted()) {
          throw refuse(
              RegistryErrors.SUBJECT_NOT_SOFT_DELETED,
              RegistryErrors.subjectNotSoftDeleted(subject));
        }
      }
      for (ContractVersion v : all) {
        changes.deleteVersion(subject, v.getVersion());
        deleted.add(v.getVersion());
      }
    } else {
      for (ContractVersion v : all) {
        if (!v.getDeleted()) {
          changes.putVersion(ContractVersion.newBuilder(v).setDeleted(true).build());
          deleted.add(v.getVersion());
        }
      }
      if (deleted.isEmpty()) {
        throw refuse(
            RegistryErrors.SUBJECT_SOFT_DELETED, RegistryErrors.subjectSoftDeleted(subject));
      }
      // As Confluent: a deleted subject loses its own compatibility level.
      if (state.config(subject) != null) {
        changes.deleteConfig(subject);
      }
    }
    return accepted(p, timestamp).setSubject(subject).setDeletedVersions(deleted).build();
  }

  private ContractDecision deleteVersion(ContractProposal p, long timestamp, Changes changes) {
    String subject = subjectOf(p);
    authorize(p, subject, "delete versions of");
    Integer asked = p.getVersion();
    if (asked == null || (asked < 1 && asked != -1)) {
      throw refuse(
          RegistryErrors.INVALID_VERSION, RegistryErrors.invalidVersion(String.valueOf(asked)));
    }
    List<ContractVersion> all = state.versions(subject);
    List<ContractVersion> live = all.stream().filter(v -> !v.getDeleted()).toList();
    if (p.getPermanent() ? all.isEmpty() : live.isEmpty()) {
      throw refuse(RegistryErrors.SUBJECT_NOT_FOUND, RegistryErrors.subjectNotFound(subject));
    }
    ContractVersion target = null;
    if (asked == -1) {
      target = live.isEmpty() ? null : live.get(live.size() - 1);
    } else {
      for (ContractVersion v : all) {
        if (v.getVersion() == asked) {
          target = v;
        }
      }
    }
    if (target == null) {
      throw refuse(RegistryErrors.VERSION_NOT_FOUND, RegistryErrors.versionNotFound(asked));
    }
    int version = target.getVersion();
    if (p.getPermanent()) {
      if (!target.getDeleted()) {
        throw refuse(
            RegistryErrors.VERSION_NOT_SOFT_DELETED,
            RegistryErrors.versionNotSoftDeleted(subject, version));
      }
      changes.deleteVersion(subject, version);
    } else {
      if (target.getDeleted()) {
        throw refuse(
            RegistryErrors.VERSION_SOFT_DELETED,
            RegistryErrors.versionSoftDeleted(subject, version));
      }
      changes.putVersion(ContractVersion.newBuilder(target).setDeleted(true).build());
      // As Confluent: the subject's own level goes with its last live version.
      if (live.size() == 1 && state.config(subject) != null) {
        changes.deleteConfig(subject);
      }
    }
    return accepted(p, timestamp)
        .setSubject(subject)
        .setVersion(version)
        .setDeletedVersions(List.of(version))
        .build();
  }

  // ---- common ----

  /** The proposal's canonical subject, after checking it names one a domain can own. */
  private static String subjectOf(ContractProposal p) {
    String subject = Subjects.canonical(p.getSubject());
    Subjects.invalidReason(subject)
        .ifPresent(
            reason -> {
              throw refuse(RegistryErrors.INVALID_SUBJECT, "Invalid subject: " + reason);
            });
    return subject;
  }

  /** Checks that the proposing domain owns {@code subject}. */
  private static void authorize(ContractProposal p, String subject, String what) {
    String owner = Subjects.owner(subject).orElseThrow();
    String acting = p.getActingDomain();
    if (acting == null || acting.isBlank()) {
      throw refuse(
          RegistryErrors.FORBIDDEN,
          "the proposal names no acting domain; only domain '"
              + owner
              + "' may "
              + what
              + " subject '"
              + subject
              + "'");
    }
    if (!owner.equals(acting)) {
      throw refuse(
          RegistryErrors.FORBIDDEN,
          "domain '"
              + acting
              + "' may not "
              + what
              + " subject '"
              + subject
              + "': it belongs to domain '"
              + owner
              + "'");
    }
  }

  private Compatibility levelOf(String subject) {
    Compatibility level = state.config(subject);
    if (level == null) {
      level = state.config("");
    }
    return level == null ? CompatibilityRules.DEFAULT : level;
  }

  private static ContractDecision.Builder accepted(ContractProposal p, long timestamp) {
    return ContractDecision.newBuilder()
        .setRequestId(p.getRequestId())
        .setOutcome(DecisionOutcome.ACCEPTED)
        .setErrorCode(0)
        .setDecidedAt(Instant.ofEpochMilli(timestamp));
  }

  private static ContractDecision rejected(
      ContractProposal p, long timestamp, int errorCode, String message, List<String> reasons) {
    return ContractDecision.newBuilder()
        .setRequestId(p.getRequestId())
        .setOutcome(DecisionOutcome.REJECTED)
        .setSubject(p.getSubject())
        .setErrorCode(errorCode)
        .setMessage(message)
        .setReasons(reasons)
        .setDecidedAt(Instant.ofEpochMilli(timestamp))
        .build();
  }
}
