package dev.meshbone.registry;

import dev.meshbone.registry.products.RegistrySettings;
import dev.meshbone.registry.products.catalog.OpenStores;
import dev.meshbone.registry.products.catalog.SunsetPolicy;
import dev.meshbone.registry.products.routing.InstanceAddress;
import dev.meshbone.runtime.StreamsApp;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.TopicSpec;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/** mesh-registry as the shared runtime runs it. */
@Singleton
public class RegistryStreamsApp implements StreamsApp {
  /** The default {@code application.id}; {@code kafka.streams.application.id} overrides it. */
  public static final String APPLICATION_ID = "meshbone-mesh-registry";

  private final MeshTopics topics;
  private final String applicationServer;
  private final SunsetPolicy sunset;
  private final int historyMaxChanges;
  private OpenStores openStores = new OpenStores();

  @Inject
  public RegistryStreamsApp(
      MeshTopics topics,
      InstanceAddress address,
      RegistrySettings settings,
      OpenStores openStores) {
    this(topics, address.applicationServer(), settings.sunset(), settings.historyMaxChanges());
    this.openStores = openStores;
  }

  /** For tests of the topology and settings alone: advertises {@code localhost:8081}. */
  public RegistryStreamsApp(MeshTopics topics) {
    this(topics, SunsetPolicy.DEFAULTS);
  }

  /** As {@link #RegistryStreamsApp(MeshTopics)}, with another sunset policy. */
  public RegistryStreamsApp(MeshTopics topics, SunsetPolicy sunset) {
    this(topics, "localhost:8081", sunset, RegistrySettings.DEFAULTS.historyMaxChanges());
  }

  /** For tests of the topology with other settings: advertises {@code localhost:8081}. */
  public RegistryStreamsApp(MeshTopics topics, RegistrySettings settings) {
    this(topics, "localhost:8081", settings.sunset(), settings.historyMaxChanges());
  }

  private RegistryStreamsApp(
      MeshTopics topics, String applicationServer, SunsetPolicy sunset, int historyMaxChanges) {
    this.topics = topics;
    this.applicationServer = applicationServer;
    this.sunset = sunset;
    this.historyMaxChanges = historyMaxChanges;
  }

  @Override
  public String name() {
    return "mesh-registry";
  }

  @Override
  public String applicationId() {
    return APPLICATION_ID;
  }

  @Override
  public Topology topology() {
    return RegistryTopology.build(topics, sunset, historyMaxChanges, openStores);
  }

  @Override
  public Collection<? extends TopicSpec<?, ?>> topics() {
    return topics.all();
  }

  /**
   * Exactly-once, so a product change and the notifications it causes commit together: a crash
   * between them neither loses nor repeats a notification. A record on a mesh topic that does not
   * decode is logged and skipped (the mesh's writers are the validator and this registry, so it
   * would be a bug or a foreign writer, not a reason to stop serving). {@code application.server}
   * is this instance's HTTP address, through which the others forward queries for the products it
   * holds.
   */
  @Override
  public Map<String, Object> streamsDefaults() {
    return Map.of(
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        StreamsConfig.EXACTLY_ONCE_V2,
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
        100,
        // The validator writes the mesh topics in transactions: read only what it committed (the
        // global contract store included), never a write a crash rolled back. Exactly-once implies
        // it for the stream threads; saying it covers the global thread whatever the guarantee.
        StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG),
        "read_committed",
        StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueExceptionHandler.class,
        StreamsConfig.APPLICATION_SERVER_CONFIG,
        applicationServer);
  }
}
