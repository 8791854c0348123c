package dev.meshbone.validator.records;

import dev.meshbone.rules.DataRules;

/**
 * One accepted contract version as record validation uses it: its writer schema and rules compiled
 * into an {@link AvroWalker}, or, when they do not compile, why not (records under it are then
 * refused as {@link RejectReason#CONTRACT_UNUSABLE}: a contract that cannot be checked lets nothing
 * through).
 */
record CompiledContract(
    String subject, int version, int schemaId, AvroWalker walker, DataRules rules, String problem) {

  boolean usable() {
    return walker != null;
  }
}
