package dev.meshbone.validator.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.topics.DomainTopics;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where record validation reads from and writes to. */
class RoutingTest {
  @Test
  void shouldKeepTheSourcePartition() {
    var routed = new Routed(new byte[] {1}, "sales.orders", 2);
    assertThat(Routed.SOURCE_PARTITION.partitions("sales.orders", null, routed, 3))
        .contains(Set.of(2));
  }

  @Test
  void shouldWrapAroundWhenTheOutputHasFewerPartitions() {
    var routed = new Routed(new byte[] {1}, "sales.orders", 5);
    assertThat(Routed.SOURCE_PARTITION.partitions("sales.orders", null, routed, 3))
        .contains(Set.of(2));
  }

  @Test
  void shouldWriteTheCarriedBytesUnchanged() {
    byte[] value = {0, 0, 0, 0, 1, 42};
    assertThat(Routed.SERDE.serializer().serialize("t", new Routed(value, "t", 0))).isSameAs(value);
  }

  @Test
  void shouldReadExactlyTheIngestTopicsThatNameAProduct() {
    List<String> topics =
        List.of(
            "sales.orders.ingest",
            "clinical-trials.enrollments.ingest",
            "mesh.products.ingest",
            "kafka.x1.ingest",
            "meshbone.orders.ingest",
            "sales.dlq.ingest",
            "sales.mesh.ingest",
            "sales.ingest.ingest",
            "sales.orders",
            "sales.orders.dlq",
            "sales.orders.ingest.dlq",
            "Sales.orders.ingest");
    for (String topic : topics) {
      assertThat(RecordValidation.SOURCE_PATTERN.matcher(topic).matches())
          .as(topic)
          .isEqualTo(DomainTopics.productOfIngest(topic).isPresent());
    }
  }
}
