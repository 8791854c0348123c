package dev.meshbone.runtime;

import dev.meshbone.topics.MeshTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings every meshbone service shares, under {@code meshbone.} ({@link MeshConfig} binds them).
 * Each has a default that suits the local mesh ({@link #DEFAULTS}); on a real cluster set {@code
 * meshbone.replication-factor} (usually 3).
 *
 * @param replicationFactor {@code replication-factor} (1): replication of the topics the service
 *     creates
 * @param partitions {@code partitions} (6): partitions of the product-keyed mesh topics (the
 *     contract log always has one)
 * @param stateDir {@code state-dir} ({@code $TMPDIR/meshbone}): where Kafka Streams keeps local
 *     state; each service uses a folder of its own under it
 * @param startupTimeout {@code startup-timeout} (60 s): how long a service waits for the Kafka
 *     cluster at start before giving up with an error
 * @param createTopics {@code create-topics} (true): whether services create the topics they need at
 *     start, or only check them (false, for clusters where operators create topics from the
 *     manifests)
 * @param instanceId {@code instance-id} (none): a name for this instance that stays the same across
 *     its restarts and differs from every other instance of the service (a pod's name; the local
 *     mesh sets one). When set, the service's Kafka Streams threads are static members of their
 *     consumer group ({@code group.instance.id} = this name, Streams adds the thread number): an
 *     instance that restarts after a crash takes its tasks back at once instead of waiting for its
 *     predecessor's members to pass {@code session.timeout.ms}. Two running instances with one name
 *     fence each other.
 */
public record MeshSettings(
    short replicationFactor,
    int partitions,
    Path stateDir,
    Duration startupTimeout,
    boolean createTopics,
    String instanceId) {
  /** The defaults, the one place they are written. */
  public static final MeshSettings DEFAULTS =
      new MeshSettings(
          (short) 1,
          MeshTopics.DEFAULT_PARTITIONS,
          Path.of(System.getProperty("java.io.tmpdir"), "meshbone"),
          Duration.ofSeconds(60),
          true,
          null);

  public MeshSettings {
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "meshbone.replication-factor must be at least 1, not " + replicationFactor);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "meshbone.partitions must be at least 1, not " + partitions);
    }
    Objects.requireNonNull(stateDir, "meshbone.state-dir");
    instanceId = instanceId == null || instanceId.isBlank() ? null : instanceId.strip();
    if (startupTimeout == null || startupTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "meshbone.startup-timeout must not be negative, not " + startupTimeout);
    }
  }

  /** These settings with Kafka Streams state under {@code dir}; for tests. */
  public MeshSettings withStateDir(Path dir) {
    return new MeshSettings(
        replicationFactor, partitions, dir, startupTimeout, createTopics, instanceId);
  }
}
