package dev.meshbone.testkit;

import java.util.TreeMap;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single combined KRaft node (broker and controller in one) in this JVM, from Kafka's own test
 * kit, with its data in a temporary folder deleted on close. Starts in about two seconds.
 */
public final class EmbeddedKafkaBroker implements KafkaBroker, AutoCloseable {
  private final KafkaClusterTestKit cluster;

  private EmbeddedKafkaBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  /** Formats and starts a new node and waits until it accepts clients. */
  public static EmbeddedKafkaBroker start() {
    try {
      var cluster =
          new KafkaClusterTestKit.Builder(
                  new TestKitNodes.Builder()
                      .setCombined(true)
                      .setNumBrokerNodes(1)
                      .setNumControllerNodes(1)
                      .setBootstrapMetadata(productionFeatures())
                      .build())
              .setConfigProp("group.initial.rebalance.delay.ms", "0")
              .setConfigProp("auto.create.topics.enable", "false")
              .setConfigProp("transaction.state.log.replication.factor", "1")
              .setConfigProp("transaction.state.log.min.isr", "1")
              .setConfigProp("offsets.topic.replication.factor", "1")
              .setConfigProp("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")
              .build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      return new EmbeddedKafkaBroker(cluster);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot start the embedded Kafka broker: " + e.getMessage(), e);
    }
  }

  /**
   * The feature levels {@code kafka-storage format} gives a new cluster of this Kafka release, as
   * the local mesh's broker and a real cluster have them: among them transactions version 2
   * (KIP-890, no {@code AddPartitionsToTxn} round trips). The test kit would finalize an unstable
   * testing metadata version and leave every other feature at level 0.
   */
  static BootstrapMetadata productionFeatures() {
    var levels = new TreeMap<String, Short>();
    for (Feature feature : Feature.PRODUCTION_FEATURES) {
      if (feature != Feature.KRAFT_VERSION) {
        levels.put(feature.featureName(), feature.defaultLevel(MetadataVersion.LATEST_PRODUCTION));
      }
    }
    return BootstrapMetadata.fromVersions(
        MetadataVersion.LATEST_PRODUCTION, levels, "meshbone embedded broker");
  }

  @Override
  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public String kind() {
    return "embedded";
  }

  /** The test kit itself, for fault tests that stop and start the broker. */
  public KafkaClusterTestKit testKit() {
    return cluster;
  }

  @Override
  public void close() {
    try {
      cluster.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the embedded Kafka broker", e);
    }
  }
}
