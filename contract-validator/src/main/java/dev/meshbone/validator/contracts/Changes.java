package dev.meshbone.validator.contracts;

import dev.meshbone.contracts.ContractKeys;
import dev.meshbone.events.Compatibility;
import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.ContractEntry;
import dev.meshbone.events.ContractVersion;
import dev.meshbone.events.SubjectConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one decision changes: the state it writes and the records it emits, in order. A
 * decision is computed in full before anything is applied, so a proposal that fails half-way
 * (refused, or a bug) leaves the state as it was.
 */
final class Changes {
  /** Versions to put (value) or permanently delete (null), by subject and version. */
  final Map<VersionRef, ContractVersion> versions = new LinkedHashMap<>();

  final Map<String, Integer> schemaIds = new LinkedHashMap<>();
  final Map<Integer, ContractVersion> schemas = new LinkedHashMap<>();
  Integer nextId;

  /** Configs to put (value) or delete (null), by subject ("" for the global level). */
  final Map<String, Compatibility> configs = new LinkedHashMap<>();

  String requestId;
  ContractDecision decision;
  final List<Outcome> outcomes = new ArrayList<>();

  record VersionRef(String subject, int version) {}

  void putVersion(ContractVersion version) {
    versions.put(new VersionRef(version.getSubject(), version.getVersion()), version);
    outcomes.add(
        new Outcome.Entry(
            ContractKeys.version(version.getSubject(), version.getVersion()),
            ContractEntry.newBuilder().setVersion(version).build()));
  }

  void deleteVersion(String subject, int version) {
    versions.put(new VersionRef(subject, version), null);
    outcomes.add(new Outcome.Entry(ContractKeys.version(subject, version), null));
  }

  void putConfig(String subject, Compatibility level) {
    configs.put(subject == null ? "" : subject, level);
    outcomes.add(
        new Outcome.Entry(
            ContractKeys.config(subject),
            ContractEntry.newBuilder()
                .setConfig(
                    SubjectConfig.newBuilder().setSubject(subject).setCompatibility(level).build())
                .build()));
  }

  void deleteConfig(String subject) {
    configs.put(subject == null ? "" : subject, null);
    outcomes.add(new Outcome.Entry(ContractKeys.config(subject), null));
  }

  /** A new schema id for a contract identity, first registered as {@code version}. */
  void newSchema(String identity, ContractVersion version) {
    schemaIds.put(identity, version.getSchemaId());
    schemas.put(version.getSchemaId(), version);
    nextId = version.getSchemaId() + 1;
  }

  /** The decision, emitted after every entry, and remembered for retries of the same request. */
  void decide(ContractDecision decision) {
    this.requestId = decision.getRequestId();
    this.decision = decision;
    outcomes.add(new Outcome.Decision(decision.getRequestId(), decision));
  }
}
