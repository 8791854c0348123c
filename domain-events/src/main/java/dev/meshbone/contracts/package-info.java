/**
 * The rules of the contract registry that both of its sides apply: contract-validator, which
 * decides every write, and mesh-registry, which answers reads, lookups and compatibility checks
 * with Confluent Schema Registry's REST API. Pure functions over Apache Avro and plain strings.
 *
 * <ul>
 *   <li>{@link dev.meshbone.contracts.Subjects}: which domain owns a subject, and the ingest-topic
 *       alias of a product's canonical subject
 *   <li>{@link dev.meshbone.contracts.ContractKeys}: the keys of {@code mesh.contracts}
 *   <li>{@link dev.meshbone.contracts.AvroContracts}: parsing, the canonical text that decides a
 *       schema's identity, and the identity itself
 *   <li>{@link dev.meshbone.contracts.CompatibilityRules}: Confluent's compatibility levels and
 *       their messages
 *   <li>{@link dev.meshbone.contracts.RegistryErrors}: Confluent's error codes
 * </ul>
 */
package dev.meshbone.contracts;
