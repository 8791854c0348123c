package dev.meshbone.registry.products;

import dev.meshbone.topics.MeshTopics;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;

/**
 * Products, subscriptions, health and notifications, materialized for the registry API.
 *
 * <p>Foundation slice: {@code mesh.products} into {@value #PRODUCTS_STORE}.
 */
public final class ProductCatalog {
  public static final String PRODUCTS_STORE = "products";

  private ProductCatalog() {}

  public static void addTo(StreamsBuilder builder, MeshTopics topics) {
    builder.table(
        topics.products.name(),
        Consumed.with(topics.products.keySerde(), topics.products.valueSerde())
            .withName("products-source"),
        Materialized.as(PRODUCTS_STORE));
  }
}
