package dev.meshbone.registry.schema;

import dev.meshbone.events.ContractEntry;
import dev.meshbone.topics.MeshTopics;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The contract log ({@code mesh.contracts}) as the schema registry API and the product views read
 * it: a global store, so every registry instance answers every schema query from its own copy.
 */
public final class ContractsView {
  /**
   * The global store of {@code mesh.contracts}: String keys as the topic has them ({@code
   * version:<subject>:<n>}, {@code config:<subject>}, {@code config:}), {@code ContractEntry}
   * values. Every registry instance holds all of it.
   */
  public static final String CONTRACTS_STORE = "contracts";

  private ContractsView() {}

  public static void addTo(StreamsBuilder builder, MeshTopics topics) {
    builder.globalTable(
        topics.contracts.name(),
        Consumed.with(topics.contracts.keySerde(), topics.contracts.valueSerde())
            .withName("contracts-source"),
        Materialized.<String, ContractEntry, KeyValueStore<Bytes, byte[]>>as(CONTRACTS_STORE)
            .withKeySerde(topics.contracts.keySerde())
            .withValueSerde(topics.contracts.valueSerde()));
  }
}
