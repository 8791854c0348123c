package dev.meshbone.registry.schema;

import dev.meshbone.topics.MeshTopics;
import org.apache.kafka.streams.StreamsBuilder;

/**
 * The contract log ({@code mesh.contracts}) as the schema registry API reads it.
 *
 * <p>Not built yet (issue: contract registry).
 */
public final class ContractsView {
  private ContractsView() {}

  public static void addTo(StreamsBuilder builder, MeshTopics topics) {}
}
