package dev.meshbone.validator.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.events.ProductStats;
import dev.meshbone.serde.MeshEventSerde;
import dev.meshbone.topics.CleanupPolicy;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.validator.ValidatorTestConfig;
import dev.meshbone.validator.ValidatorTopology;
import dev.meshbone.validator.control.ControlSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * The validator's topology when the record loop checks the records, and the loop's clients as the
 * service configures them. The loop itself runs on a real broker in {@link RecordValidationIT} and
 * the crash suite.
 */
class RecordLoopTopologyTest {
  private final MeshTopics topics = MeshTopics.defaults();

  @Test
  void shouldSumTheLoopsCountDeltasIntoTheProductStatistics() {
    String counts = RecordLoop.countsTopic("app");
    var forLoop =
        ValidatorTopology.buildForLoop(
            topics,
            RecordValidationSettings.defaults()
                .withStatsIntervals(Duration.ofMillis(100), Duration.ofSeconds(1)),
            ControlSettings.defaults(),
            counts);
    try (var driver =
        new TopologyTestDriver(forLoop.topology(), ValidatorTestConfig.streams("loop-sums"))) {
      var deltas =
          driver.createInputTopic(
              counts, new StringSerializer(), MeshEventSerde.of(ProductStats.class).serializer());
      var stats =
          driver.createOutputTopic(
              topics.productStats.name(),
              new StringDeserializer(),
              MeshEventSerde.of(ProductStats.class));
      Instant at = Instant.parse("2026-12-05T10:00:00Z");
      deltas.pipeInput("sales.orders", delta(3, 1, Map.of("NULL_VALUE", 1L), at));
      deltas.pipeInput("sales.orders", delta(2, 2, Map.of("NULL_VALUE", 2L), at.plusSeconds(1)));

      driver.advanceWallClockTime(Duration.ofSeconds(2));

      Map<String, ProductStats> latest = new HashMap<>();
      stats.readKeyValuesToList().forEach(kv -> latest.put(kv.key, kv.value));
      ProductStats s = latest.get("sales.orders");
      assertThat(s.getValid()).isEqualTo(5);
      assertThat(s.getInvalid()).isEqualTo(3);
      assertThat(s.getInvalidByReason()).containsOnly(Map.entry("NULL_VALUE", 3L));
    }
  }

  @Test
  void shouldLeaveTheIngestTopicsToTheLoop() {
    var forLoop =
        ValidatorTopology.buildForLoop(
            topics,
            RecordValidationSettings.defaults(),
            ControlSettings.defaults(),
            RecordLoop.countsTopic("app"));
    String description = forLoop.topology().describe().toString();

    assertThat(description).doesNotContain("validate-record").doesNotContain(".ingest");
    assertThat(description)
        .contains(
            "record-counts", "app-record-counts", "sum-product-stats", "contracts-for-records");
    assertThat(forLoop.catalog()).isNotNull();
  }

  @Test
  void shouldGiveTheLoopItsOwnGroupAndTheStreamsClientSettings() {
    Properties streams = ValidatorTestConfig.streams("loop-config");
    streams.put(StreamsConfig.APPLICATION_ID_CONFIG, "app");
    streams.put(StreamsConfig.consumerPrefix(ConsumerConfig.METADATA_MAX_AGE_CONFIG), 1234);
    streams.put(
        StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), "validator-0");
    streams.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 7);

    var loop =
        RecordLoop.forStreams(
            "app",
            streams,
            config -> null,
            topics.productStats,
            new ContractCatalog(),
            RecordValidationSettings.defaults(),
            () -> true);

    var consumer = loop.consumerConfig();
    assertThat(consumer)
        .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "app-records")
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
        .containsEntry(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1234)
        .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "validator-0-0")
        .containsEntry(
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            CooperativeStickyAssignor.class.getName());
    assertThat(consumer.keySet()).allSatisfy(k -> assertThat(k).doesNotStartWith("__"));
    // A stable transactional id with a static member: a restarted instance fences its old self.
    assertThat(loop.producerConfig())
        .containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "app-records-validator-0-0")
        .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 7);
  }

  @Test
  void shouldKeepTheCountDeltasOnOnePartitionForADay() {
    var spec = RecordLoop.countsTopicSpec("app", topics.productStats);

    assertThat(spec.name()).isEqualTo("app-record-counts");
    assertThat(spec.partitions()).isEqualTo(1);
    assertThat(spec.cleanup()).isEqualTo(CleanupPolicy.DELETE);
    assertThat(spec.retention()).contains(Duration.ofDays(1));
  }

  private static ProductStats delta(
      long valid, long invalid, Map<String, Long> reasons, Instant at) {
    return ProductStats.newBuilder()
        .setProductId("sales.orders")
        .setValid(valid)
        .setInvalid(invalid)
        .setInvalidByReason(reasons)
        .setLastRecordAt(at)
        .setUpdatedAt(at)
        .build();
  }
}
