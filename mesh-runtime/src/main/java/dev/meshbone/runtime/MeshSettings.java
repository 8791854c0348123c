package dev.meshbone.runtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings every meshbone service shares, under {@code meshbone.}. Each has a default that suits
 * the local mesh; on a real cluster set {@code meshbone.replication-factor} (usually 3).
 */
@ConfigurationProperties("meshbone")
public class MeshSettings {
  private short replicationFactor = 1;
  private int partitions = dev.meshbone.topics.MeshTopics.DEFAULT_PARTITIONS;
  private Path stateDir = Path.of(System.getProperty("java.io.tmpdir"), "meshbone");
  private Duration startupTimeout = Duration.ofSeconds(60);
  private boolean createTopics = true;
  private String instanceId;

  /** Replication factor of the topics the service creates; 1 for a single broker. */
  public short getReplicationFactor() {
    return replicationFactor;
  }

  public void setReplicationFactor(short replicationFactor) {
    this.replicationFactor = replicationFactor;
  }

  /** Partitions of the product-keyed mesh topics (the contract log always has one). */
  public int getPartitions() {
    return partitions;
  }

  public void setPartitions(int partitions) {
    this.partitions = partitions;
  }

  /** Where Kafka Streams keeps local state; each service uses a folder of its own under it. */
  public Path getStateDir() {
    return stateDir;
  }

  public void setStateDir(Path stateDir) {
    this.stateDir = stateDir;
  }

  /** How long a service waits for the Kafka cluster at start before giving up with an error. */
  public Duration getStartupTimeout() {
    return startupTimeout;
  }

  public void setStartupTimeout(Duration startupTimeout) {
    this.startupTimeout = startupTimeout;
  }

  /**
   * Whether services create the topics they need at start (true), or only check them (false, for
   * clusters where topics are created by operators from the manifests).
   */
  public boolean isCreateTopics() {
    return createTopics;
  }

  public void setCreateTopics(boolean createTopics) {
    this.createTopics = createTopics;
  }

  /**
   * A name for this instance that stays the same across its restarts and differs from every other
   * instance of the service (a StatefulSet pod's name; the local mesh sets one), or null. When set,
   * the service's Kafka Streams threads are static members of their consumer group ({@code
   * group.instance.id} = this name, Streams adds the thread number): an instance that restarts
   * after a crash takes its tasks back at once instead of waiting for its predecessor's members to
   * pass {@code session.timeout.ms}. Two running instances with one name fence each other.
   */
  public String getInstanceId() {
    return instanceId;
  }

  public void setInstanceId(String instanceId) {
    this.instanceId = instanceId == null || instanceId.isBlank() ? null : instanceId.strip();
  }
}
