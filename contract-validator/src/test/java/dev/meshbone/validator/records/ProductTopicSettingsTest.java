package dev.meshbone.validator.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshbone.topics.DomainTopics;
import org.junit.jupiter.api.Test;

class ProductTopicSettingsTest {
  @Test
  void shouldDefaultToThreePartitionsAProductTopic() {
    assertThat(new RecordValidationConfig().toProductTopicSettings().productPartitions())
        .isEqualTo(DomainTopics.DEFAULT_PRODUCT_PARTITIONS)
        .isEqualTo(3);
  }

  @Test
  void shouldBindProductPartitions() {
    var config = new RecordValidationConfig();
    config.setProductPartitions(1);

    assertThat(config.toProductTopicSettings().productPartitions()).isEqualTo(1);
  }

  @Test
  void shouldRefuseFewerThanOnePartition() {
    var config = new RecordValidationConfig();
    config.setProductPartitions(0);

    assertThatThrownBy(config::toProductTopicSettings)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("meshbone.validator.product-partitions");
  }
}
