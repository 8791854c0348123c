package dev.meshbone.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Kafka's own client metrics (request latency, record send and fetch rates, consumer lag...) of a
 * service's plain producers and consumers on {@code /prometheus}, beside the Kafka Streams ones
 * {@link MeshStreams} binds, through {@link KafkaMeters}. Each binding polls the client's metrics
 * every minute until closed: close it with the client.
 */
public final class KafkaClientMeters {
  private static final AutoCloseable NONE = () -> {};

  private KafkaClientMeters() {}

  /** Binds a producer's metrics; a no-op without a registry. */
  public static AutoCloseable bind(Optional<MeterRegistry> meters, Producer<?, ?> producer) {
    return meters.<AutoCloseable>map(r -> KafkaMeters.bind(producer::metrics, r)).orElse(NONE);
  }

  /** Binds a consumer's metrics; a no-op without a registry. */
  public static AutoCloseable bind(Optional<MeterRegistry> meters, Consumer<?, ?> consumer) {
    return meters.<AutoCloseable>map(r -> KafkaMeters.bind(consumer::metrics, r)).orElse(NONE);
  }

  /** Closes a binding, ignoring what closing throws (the client is going away anyway). */
  public static void close(AutoCloseable binding) {
    try {
      binding.close();
    } catch (Exception e) {
      // nothing to do
    }
  }
}
