package dev.meshbone.validator.records;

/**
 * What one product's records are checked against, resolved from the {@link ContractCatalog}: the
 * subject of its values and the schema ids it accepts, and the same for keys when the contract
 * declares a key schema (a {@code -key} subject with versions).
 *
 * @param keyContracts null when the product has no key contract: keys are then not checked
 */
record ProductContracts(
    String valueSubject,
    SubjectView valueContracts,
    String keySubject,
    SubjectView keyContracts,
    boolean retired) {}
