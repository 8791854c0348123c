package dev.meshbone.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshbone.events.ProductStats;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.topics.MeshTopics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The fault product's statistics as {@code mesh.products.stats} has them (the latest value of its
 * key, read_committed), against what a read_committed reader counted on the product topic and the
 * DLQ: the counts are exactly once only if the two are equal once the validator has caught up.
 */
final class FaultStats {
  private FaultStats() {}

  /**
   * Waits until the product's latest statistics equal {@code out}'s counts (valid, invalid, invalid
   * by reason), at most {@code within}; fails showing both if they never do.
   */
  static void assertEqualToOutputs(
      KafkaBroker broker, FaultRecords records, FaultRecords.Outputs out, Duration within) {
    var topic = MeshTopics.defaults().productStats;
    var config = new HashMap<>(broker.consumerConfig(KafkaBroker.unique("faults-stats")));
    Map<String, Long> reasons = out.reasons();
    long valid = out.validated.size();
    long invalid = out.dlq.size();
    String product = records.product.toString();
    ProductStats[] latest = new ProductStats[1];
    try (var consumer =
        new KafkaConsumer<>(
            config, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      var parts =
          consumer.partitionsFor(topic.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      try {
        await()
            .atMost(within)
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> {
                  for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (product.equals(r.key()) && r.value() != null) {
                      latest[0] = r.value();
                    }
                  }
                  ProductStats s = latest[0];
                  return s != null
                      && s.getValid() == valid
                      && s.getInvalid() == invalid
                      && s.getInvalidByReason().equals(reasons);
                });
      } catch (ConditionTimeoutException e) {
        ProductStats s = latest[0];
        assertThat(
                s == null
                    ? "no statistics"
                    : "valid " + s.getValid() + ", invalid " + s.getInvalidByReason())
            .as("mesh.products.stats of %s against the outputs read_committed", product)
            .isEqualTo("valid " + valid + ", invalid " + reasons);
        throw e;
      }
    }
    System.out.printf(
        "statistics of %s equal the outputs: %,d valid, %,d invalid%n", product, valid, invalid);
  }
}
