package dev.meshbone.quality;

import dev.meshbone.runtime.StreamsApp;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.TopicSpec;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * quality-monitor as the shared runtime runs it.
 *
 * <p>Exactly-once, so an alert's hysteresis state and the alerts and status it wrote never part
 * ways across a crash (no second RAISED for one breach). {@code application.server} is this
 * instance's HTTP address ({@code meshbone.quality.advertised-host}, default {@code localhost}, and
 * {@code micronaut.server.port}) so that other instances can route interactive queries here; with a
 * random port ({@code -1}) it stays unset unless {@code kafka.streams.application.server} sets it,
 * and each instance answers from its own state only.
 */
@Singleton
public class QualityStreamsApp implements StreamsApp {
  /** The default {@code application.id}; {@code kafka.streams.application.id} overrides it. */
  public static final String APPLICATION_ID = "meshbone-quality-monitor";

  private final MeshTopics topics;
  private final QualitySettings settings;
  private final MonitorListener listener;
  private final String advertisedHost;
  private final int port;

  public QualityStreamsApp(
      MeshTopics topics,
      QualitySettings settings,
      MonitorListener listener,
      @Value("${meshbone.quality.advertised-host:localhost}") String advertisedHost,
      @Value("${micronaut.server.port:8083}") int port) {
    this.topics = topics;
    this.settings = settings;
    this.listener = listener;
    this.advertisedHost = advertisedHost;
    this.port = port;
  }

  @Override
  public String name() {
    return "quality-monitor";
  }

  @Override
  public String applicationId() {
    return APPLICATION_ID;
  }

  @Override
  public Topology topology() {
    return QualityTopology.build(topics, settings, listener);
  }

  @Override
  public Collection<? extends TopicSpec<?, ?>> topics() {
    // Every mesh topic, as each service does: whichever starts first creates them as declared.
    return topics.all();
  }

  @Override
  public Map<String, Object> streamsDefaults() {
    var defaults = new HashMap<String, Object>();
    defaults.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    defaults.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    if (port > 0) {
      defaults.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedHost + ":" + port);
    }
    return defaults;
  }
}
