package dev.meshbone.runtime;

import dev.meshbone.topics.TopicSpec;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * What a service tells the shared runtime about its Kafka Streams application. Each service defines
 * exactly one bean of this type; {@link MeshStreams} makes sure its topics exist, then runs its
 * topology and reports its state to the health endpoint.
 */
public interface StreamsApp {

  /**
   * The service's name, e.g. {@code contract-validator}: used for logs, health and the state
   * folder.
   */
  String name();

  /**
   * The Kafka Streams {@code application.id} unless {@code kafka.streams.application.id} overrides
   * it; instances with the same id share the work.
   */
  String applicationId();

  /** The topology, built by the service's one pure topology function. */
  Topology topology();

  /**
   * The topology for the effective {@code application.id} (for an app whose topology reads a topic
   * named after it); {@link #topology()} by default.
   */
  default Topology topology(String applicationId) {
    return topology();
  }

  /** The topics that must exist before the topology starts (its sources and sinks). */
  Collection<? extends TopicSpec<?, ?>> topics();

  /**
   * Topics named after the effective {@code application.id} that the app makes itself, whatever
   * {@code meshbone.create-topics} says, as Kafka Streams makes its internal topics; none by
   * default.
   */
  default Collection<? extends TopicSpec<?, ?>> ownTopics(String applicationId) {
    return List.of();
  }

  /**
   * Work to run beside the topology (see {@link StreamsCompanion}), given the effective {@code
   * application.id}, the Streams config and the Streams instance; none by default. Called once,
   * after {@link #clientSupplier}.
   */
  default Optional<StreamsCompanion> companion(
      String applicationId, Properties streamsConfig, KafkaStreams streams) {
    return Optional.empty();
  }

  /**
   * Streams settings of the service's own (exactly-once, commit interval...); user settings win.
   */
  default Map<String, Object> streamsDefaults() {
    return Map.of();
  }

  /**
   * The clients Kafka Streams runs the topology on, given the effective {@code application.id};
   * empty (the default) for Streams' own. Called once, after {@link #topology()}.
   */
  default Optional<KafkaClientSupplier> clientSupplier(String applicationId) {
    return Optional.empty();
  }
}
