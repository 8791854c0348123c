package dev.meshbone.runtime;

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

  /** What the health endpoint shows of it. */
  String describe();

  /** Stops the work, committing or aborting what is in flight; waits for it. */
  @Override
  void close();
}
