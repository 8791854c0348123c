package dev.meshbone.topics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic as the mesh declares it: its name, partitions, cleanup policy, retention and the serdes
 * of its keys and values. Immutable; the catalogue ({@link MeshTopics}, {@link DomainTopics}) is
 * the only place specs are made, and every app, the local launcher and the deploy manifests' check
 * read them from there.
 *
 * @param name the topic name
 * @param partitions the declared partition count
 * @param exactPartitions whether an existing topic must have exactly {@code partitions}; true for
 *     topics whose single partition orders the mesh (the contract log), false where more partitions
 *     only add parallelism
 * @param cleanup delete or compact
 * @param retention how long records are kept; empty keeps the broker's default (compacted topics
 *     keep the latest value per key regardless)
 * @param keySerde serde of the keys
 * @param valueSerde serde of the values
 * @param extraConfigs further topic configs, e.g. {@code max.message.bytes}
 */
public record TopicSpec<K, V>(
    String name,
    int partitions,
    boolean exactPartitions,
    CleanupPolicy cleanup,
    Optional<Duration> retention,
    Serde<K> keySerde,
    Serde<V> valueSerde,
    Map<String, String> extraConfigs) {

  public TopicSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cleanup, "cleanup");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
    if (partitions < 1) {
      throw new IllegalArgumentException(
          name + ": partitions must be at least 1, not " + partitions);
    }
    extraConfigs = Map.copyOf(extraConfigs);
  }

  /** The topic configs to create the topic with: cleanup, retention and the extra configs. */
  public Map<String, String> configs() {
    var configs = new LinkedHashMap<String, String>();
    configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanup.configValue());
    retention.ifPresent(
        r -> configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(r.toMillis())));
    configs.putAll(extraConfigs);
    return Map.copyOf(configs);
  }

  /** The same topic with another partition count (for clusters that need more parallelism). */
  public TopicSpec<K, V> withPartitions(int newPartitions) {
    return new TopicSpec<>(
        name,
        newPartitions,
        exactPartitions,
        cleanup,
        retention,
        keySerde,
        valueSerde,
        extraConfigs);
  }
}
