package dev.meshbone.runtime;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Work a {@link StreamsApp} runs beside its topology, in the same process, on its own threads: for
 * instance a plain consumer-producer loop that reads the topology's global stores. {@link
 * MeshStreams} starts it once Kafka Streams is first {@code RUNNING} (its global stores are then
 * loaded) and closes it before it closes Kafka Streams.
 */
public interface StreamsCompanion extends AutoCloseable {
  /** Starts the work; called once, from a Kafka Streams state change, so it must not block. */
  void start();

  /** Whether the work is going (false while it is failing, or once it has stopped). */
  boolean healthy();

  /**
   * The Kafka metrics of its clients now, shown on {@code /prometheus} with Kafka Streams' own (so
   * a consumer's {@code records-lag} reads the same whichever reads the topic); none by default.
   */
  default Map<MetricName, ? extends Metric> metrics() {
    return Map.of();
  }

  /** What the health endpoint shows of it. */
  String describe();

  /** Stops the work, committing or aborting what is in flight; waits for it. */
  @Override
  void close();
}
