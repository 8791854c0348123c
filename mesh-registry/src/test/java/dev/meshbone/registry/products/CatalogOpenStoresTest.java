package dev.meshbone.registry.products;

import static dev.meshbone.registry.products.Events.created;
import static dev.meshbone.registry.products.Events.descriptor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.registry.RegistryStreamsApp;
import dev.meshbone.registry.RegistryTopology;
import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.catalog.OpenStores;
import dev.meshbone.registry.products.catalog.SunsetPolicy;
import dev.meshbone.runtime.KafkaSettings;
import dev.meshbone.runtime.MeshSettings;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.topics.MeshTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog's stores are listed for the HTTP reads while its task runs, and only then, with the
 * partition Kafka would give a key.
 */
class CatalogOpenStoresTest {
  private static final String ENROLLMENTS = "clinical-trials.enrollments";
  private final MeshTopics topics = MeshTopics.defaults();

  @Test
  void shouldListTheRunningTasksStoresAndTakeThemOffWhenItCloses(@TempDir Path stateDir) {
    var open = new OpenStores();
    var props =
        MeshStreams.streamsConfig(
            new RegistryStreamsApp(topics),
            new KafkaSettings(Map.of("bootstrap.servers", "unused:9092")),
            MeshSettings.DEFAULTS.withStateDir(stateDir));
    var driver =
        new TopologyTestDriver(
            RegistryTopology.build(topics, SunsetPolicy.DEFAULTS, 0, open), props);
    ReadOnlyKeyValueStore<String, DataProductEvent> products;
    try (driver) {
      driver
          .createInputTopic(
              topics.products.name(),
              topics.products.keySerde().serializer(),
              topics.products.valueSerde().serializer())
          .pipeInput(ENROLLMENTS, created(ENROLLMENTS, descriptor("Enrollments").build()));

      products = open.get(CatalogStores.PRODUCTS_STORE, 0);
      assertThat(products).isNotNull();
      assertThat(products.get(ENROLLMENTS).getProductId()).isEqualTo(ENROLLMENTS);
      assertThat(open.<Object>get(CatalogStores.ISSUES_STORE, 0)).isNotNull();
      // A partition no task of this instance runs, and a store outside the catalog processor.
      assertThat(open.<Object>get(CatalogStores.PRODUCTS_STORE, 1)).isNull();
      assertThat(open.<Object>get(CatalogStores.RECENT_NOTIFICATIONS_STORE, 0)).isNull();

      // The driver runs partition 0 only: a key is local exactly when Kafka's partitioner puts it
      // there, among the catalog's partitions.
      int partitions = topics.products.partitions();
      for (int i = 0; i < 1_000; i++) {
        String key = "domain-" + i % 7 + ".product-" + i;
        int expected =
            BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions);
        assertThat(open.runningPartition(CatalogStores.PRODUCTS_STORE, key))
            .as(key)
            .isEqualTo(expected == 0 ? 0 : -1);
      }
      assertThat(open.runningPartition(CatalogStores.RECENT_NOTIFICATIONS_STORE, "any"))
          .isEqualTo(-1);
    }

    assertThat(open.<Object>get(CatalogStores.PRODUCTS_STORE, 0)).isNull();
    assertThat(open.runningPartition(CatalogStores.PRODUCTS_STORE, ENROLLMENTS)).isEqualTo(-1);
    // A reader still holding the store of a closed task gets what an interactive query gets.
    assertThatThrownBy(() -> products.get(ENROLLMENTS))
        .isInstanceOf(InvalidStateStoreException.class);
  }
}
