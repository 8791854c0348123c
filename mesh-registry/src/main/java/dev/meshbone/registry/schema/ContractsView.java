package dev.meshbone.registry.schema;

import dev.meshbone.topics.MeshTopics;
import org.apache.kafka.streams.StreamsBuilder;

/**
 * The contract log ({@code mesh.contracts}) as the schema registry API reads it.
 *
 * <p>Not built yet (issue: contract registry).
 */
public final class ContractsView {
  /**
   * The global store of {@code mesh.contracts}: String keys as the topic has them ({@code
   * version:<subject>:<n>}, {@code config:<subject>}, {@code config:}), {@code ContractEntry}
   * values. Every registry instance holds all of it.
   */
  public static final String CONTRACTS_STORE = "contracts";

  private ContractsView() {}

  public static void addTo(StreamsBuilder builder, MeshTopics topics) {}
}
