package dev.meshbone.runtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Binds the {@code meshbone.*} properties (environment variables {@code MESHBONE_*}) and maps them
 * once to {@link MeshSettings}, which the services inject. Unset properties keep {@link
 * MeshSettings#DEFAULTS}; the record checks the values, so a bad one stops the service at start.
 */
@ConfigurationProperties("meshbone")
public class MeshConfig {
  private short replicationFactor = MeshSettings.DEFAULTS.replicationFactor();
  private int partitions = MeshSettings.DEFAULTS.partitions();
  private Path stateDir = MeshSettings.DEFAULTS.stateDir();
  private Duration startupTimeout = MeshSettings.DEFAULTS.startupTimeout();
  private boolean createTopics = MeshSettings.DEFAULTS.createTopics();
  private String instanceId = MeshSettings.DEFAULTS.instanceId();

  public void setReplicationFactor(short replicationFactor) {
    this.replicationFactor = replicationFactor;
  }

  public void setPartitions(int partitions) {
    this.partitions = partitions;
  }

  public void setStateDir(Path stateDir) {
    this.stateDir = stateDir;
  }

  public void setStartupTimeout(Duration startupTimeout) {
    this.startupTimeout = startupTimeout;
  }

  public void setCreateTopics(boolean createTopics) {
    this.createTopics = createTopics;
  }

  public void setInstanceId(String instanceId) {
    this.instanceId = instanceId;
  }

  /** The settings, checked. */
  public MeshSettings toSettings() {
    return new MeshSettings(
        replicationFactor, partitions, stateDir, startupTimeout, createTopics, instanceId);
  }

  @Factory
  static class SettingsFactory {
    @Singleton
    MeshSettings meshSettings(MeshConfig config) {
      return config.toSettings();
    }
  }
}
