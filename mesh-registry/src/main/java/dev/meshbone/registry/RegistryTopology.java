package dev.meshbone.registry;

import dev.meshbone.registry.products.ProductCatalog;
import dev.meshbone.registry.products.catalog.SunsetPolicy;
import dev.meshbone.registry.schema.ContractsView;
import dev.meshbone.topics.MeshTopics;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/**
 * The registry's one topology: the mesh's state topics materialized into named stores that the HTTP
 * API queries. Two independent sections, each in its own package:
 *
 * <ul>
 *   <li>{@link ContractsView}: the contract log, for the schema registry API
 *   <li>{@link ProductCatalog}: products, subscriptions, health and notifications
 * </ul>
 */
public final class RegistryTopology {
  private RegistryTopology() {}

  public static Topology build(MeshTopics topics) {
    return build(topics, SunsetPolicy.DEFAULTS);
  }

  /** The topology with the sunset driven by {@code sunset} (lead times, quiet period, checks). */
  public static Topology build(MeshTopics topics, SunsetPolicy sunset) {
    var builder = new StreamsBuilder();
    ContractsView.addTo(builder, topics);
    ProductCatalog.addTo(builder, topics, sunset);
    return builder.build();
  }
}
