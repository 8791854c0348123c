package dev.meshbone.validator.contracts;

import dev.meshbone.topics.MeshTopics;
import org.apache.kafka.streams.StreamsBuilder;

/**
 * The contract-decision section of the validator's topology: {@code mesh.contracts.proposals} in,
 * {@code mesh.contracts} and {@code mesh.contracts.decisions} out.
 *
 * <p>Not built yet (issue: contract registry).
 */
public final class ContractDecisions {
  private ContractDecisions() {}

  /** Adds contract decisions to {@code builder}. */
  public static void addTo(StreamsBuilder builder, MeshTopics topics) {}
}
