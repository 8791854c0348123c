package dev.meshbone.validator.contracts;

import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.ContractEntry;

/**
 * One record a contract decision writes: an entry of the contract log ({@code mesh.contracts}; a
 * null value is a tombstone, a permanent delete) or the decision itself ({@code
 * mesh.contracts.decisions}, keyed by request id).
 */
sealed interface Outcome {
  String key();

  record Entry(String key, ContractEntry value) implements Outcome {}

  record Decision(String key, ContractDecision value) implements Outcome {}
}
