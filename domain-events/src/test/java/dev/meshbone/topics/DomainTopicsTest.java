package dev.meshbone.topics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DomainTopicsTest {
  private final ProductId orders = ProductId.parse("sales.orders");

  @Test
  void shouldNameTheTopicsOfAProduct() {
    assertThat(DomainTopics.ingest(orders)).isEqualTo("sales.orders.ingest");
    assertThat(DomainTopics.validated(orders)).isEqualTo("sales.orders");
    assertThat(DomainTopics.dlq(orders)).isEqualTo("sales.orders.dlq");
    assertThat(DomainTopics.productEvents("sales")).isEqualTo("sales.mesh.product-events");
    assertThat(DomainTopics.qualityEvents("sales")).isEqualTo("sales.mesh.quality-events");
  }

  @Test
  void shouldParseEachKindOfTopicBackToItsOwner() {
    assertThat(DomainTopics.productOfIngest("sales.orders.ingest")).contains(orders);
    assertThat(DomainTopics.productOfDlq("sales.orders.dlq")).contains(orders);
    assertThat(DomainTopics.domainOfControlTopic("sales.mesh.product-events")).contains("sales");
    assertThat(DomainTopics.domainOfControlTopic("sales.mesh.quality-events")).contains("sales");
  }

  @Test
  void shouldNotMistakeOneKindOfTopicForAnother() {
    assertThat(DomainTopics.productOfIngest("sales.orders")).isEmpty();
    assertThat(DomainTopics.productOfIngest("sales.orders.dlq")).isEmpty();
    assertThat(DomainTopics.productOfIngest("sales.mesh.ingest")).isEmpty();
    assertThat(DomainTopics.productOfIngest("mesh.products.ingest")).isEmpty();
    assertThat(DomainTopics.productOfIngest("sales.x.y.ingest")).isEmpty();
    assertThat(DomainTopics.domainOfControlTopic("mesh.mesh.product-events")).isEmpty();
    assertThat(DomainTopics.INGEST_PATTERN.matcher("sales.mesh.product-events").matches())
        .isFalse();
  }

  @Test
  void shouldGiveIngestAndValidatedTopicsTheSamePartitions() {
    var specs = DomainTopics.productSpecs(orders, 4);
    assertThat(specs)
        .extracting(TopicSpec::name)
        .containsExactly("sales.orders.ingest", "sales.orders", "sales.orders.dlq");
    assertThat(specs).allMatch(s -> s.partitions() == 4);
  }
}
