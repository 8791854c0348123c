package dev.meshbone.registry;

import dev.meshbone.runtime.StreamsApp;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.TopicSpec;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/** mesh-registry as the shared runtime runs it. */
@Singleton
public class RegistryStreamsApp implements StreamsApp {
  private final MeshTopics topics;

  public RegistryStreamsApp(MeshTopics topics) {
    this.topics = topics;
  }

  @Override
  public String name() {
    return "mesh-registry";
  }

  @Override
  public String applicationId() {
    return "meshbone-mesh-registry";
  }

  @Override
  public Topology topology() {
    return RegistryTopology.build(topics);
  }

  @Override
  public Collection<? extends TopicSpec<?, ?>> topics() {
    return topics.all();
  }

  @Override
  public Map<String, Object> streamsDefaults() {
    return Map.of(
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
        100,
        // The validator writes the mesh topics in transactions: read only what it committed (the
        // global contract store included), never a write a crash rolled back.
        StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG),
        "read_committed");
  }
}
