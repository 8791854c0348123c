package dev.meshbone.validator.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.topics.MeshTopics;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/** The shape of the section: named throughout, and where its state and repartitions are. */
class ControlTopologyTest {
  private final TopologyDescription description = describe();

  private static TopologyDescription describe() {
    var builder = new StreamsBuilder();
    ControlEvents.addTo(builder, MeshTopics.defaults());
    return builder.build().describe();
  }

  @Test
  void shouldNameEveryProcessorStoreAndRepartition() {
    String text = description.toString();

    assertThat(text).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
    assertThat(text)
        .contains(ControlEvents.PRODUCT_REPARTITION + "-repartition")
        .contains(ControlEvents.QUALITY_REPARTITION + "-repartition")
        .contains(ControlEvents.LIFECYCLE_STORE);
  }

  @Test
  void shouldCheckProductAndQualityEventsInOneSubTopologySharingTheLifecycleStore() {
    var withStore =
        description.subtopologies().stream()
            .filter(
                s ->
                    s.nodes().stream()
                        .anyMatch(
                            n ->
                                n instanceof TopologyDescription.Processor p
                                    && p.stores().contains(ControlEvents.LIFECYCLE_STORE)))
            .toList();

    assertThat(withStore).hasSize(1);
    long checks =
        withStore.get(0).nodes().stream()
            .filter(
                n ->
                    n instanceof TopologyDescription.Processor p
                        && p.stores().contains(ControlEvents.LIFECYCLE_STORE))
            .count();
    assertThat(checks).isEqualTo(2);
  }
}
