package dev.meshbone.quality;

import dev.meshbone.runtime.StreamsApp;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.TopicSpec;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/** quality-monitor as the shared runtime runs it. */
@Singleton
public class QualityStreamsApp implements StreamsApp {
  private final MeshTopics topics;

  public QualityStreamsApp(MeshTopics topics) {
    this.topics = topics;
  }

  @Override
  public String name() {
    return "quality-monitor";
  }

  @Override
  public String applicationId() {
    return "meshbone-quality-monitor";
  }

  @Override
  public Topology topology() {
    return QualityTopology.build(topics);
  }

  @Override
  public Collection<? extends TopicSpec<?, ?>> topics() {
    return topics.all();
  }

  @Override
  public Map<String, Object> streamsDefaults() {
    return Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
  }
}
