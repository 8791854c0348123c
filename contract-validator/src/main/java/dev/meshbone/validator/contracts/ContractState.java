package dev.meshbone.validator.contracts;

import dev.meshbone.events.Compatibility;
import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.ContractVersion;
import java.util.List;

/**
 * What the contract decisions read: the registry's state as the validator keeps it in its own
 * changelogged stores (see {@link ContractDecisions} for the store names).
 */
interface ContractState {
  /** Every version of {@code subject} ever registered and not permanently deleted, oldest first. */
  List<ContractVersion> versions(String subject);

  /** The schema id given to a contract identity, if one was. */
  Integer schemaId(String identity);

  /** The id the next new schema gets; ids start at 1. */
  int nextId();

  /** The compatibility level set for a subject, or the global one for {@code ""}; null if unset. */
  Compatibility config(String subjectOrGlobal);

  /** The decision already taken for a request id, for an idempotent retry. */
  ContractDecision decision(String requestId);
}
