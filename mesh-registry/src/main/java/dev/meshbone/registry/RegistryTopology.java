package dev.meshbone.registry;

import dev.meshbone.registry.products.ProductCatalog;
import dev.meshbone.registry.products.catalog.OpenStores;
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

  /** The topology with every product's whole history kept. */
  public static Topology build(MeshTopics topics) {
    return build(topics, SunsetPolicy.DEFAULTS, 0);
  }

  /**
   * @param sunset how the sunset is driven (lead times, quiet period, checks)
   * @param historyMaxChanges how many changes each product's history keeps (0: all)
   */
  public static Topology build(MeshTopics topics, SunsetPolicy sunset, int historyMaxChanges) {
    return build(topics, sunset, historyMaxChanges, new OpenStores());
  }

  /** As {@link #build(MeshTopics, SunsetPolicy, int)}, listing the catalog's stores while open. */
  public static Topology build(
      MeshTopics topics, SunsetPolicy sunset, int historyMaxChanges, OpenStores openStores) {
    var builder = new StreamsBuilder();
    ContractsView.addTo(builder, topics);
    ProductCatalog.addTo(builder, topics, sunset, historyMaxChanges, openStores);
    return builder.build();
  }
}
