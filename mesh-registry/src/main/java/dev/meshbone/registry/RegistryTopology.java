package dev.meshbone.registry;

import dev.meshbone.topics.MeshTopics;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;

/**
 * The registry's topology: the mesh's compacted state topics materialized into named stores that
 * the HTTP API queries.
 *
 * <p>Foundation slice: {@code mesh.products} into {@value #PRODUCTS_STORE}.
 */
public final class RegistryTopology {
  public static final String PRODUCTS_STORE = "products";

  private RegistryTopology() {}

  public static Topology build(MeshTopics topics) {
    var builder = new StreamsBuilder();
    builder.table(
        topics.products.name(),
        Consumed.with(topics.products.keySerde(), topics.products.valueSerde())
            .withName("products-source"),
        Materialized.as(PRODUCTS_STORE));
    return builder.build();
  }
}
