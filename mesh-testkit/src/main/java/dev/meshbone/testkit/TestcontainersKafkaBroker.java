package dev.meshbone.testkit;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A broker in a Docker container ({@code apache/kafka}), for machines with a Docker engine. Where
 * none runs, {@link #start()} aborts the calling test, so the suite is skipped with a message
 * rather than failed.
 */
public final class TestcontainersKafkaBroker implements KafkaBroker, AutoCloseable {
  public static final String IMAGE = "apache/kafka:4.1.1";

  private final KafkaContainer container;

  private TestcontainersKafkaBroker(KafkaContainer container) {
    this.container = container;
  }

  public static TestcontainersKafkaBroker start() {
    boolean docker;
    try {
      docker = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      docker = false;
    }
    Assumptions.assumeTrue(
        docker,
        "no Docker engine is reachable: the integration tests that need a broker are skipped"
            + " under the testcontainers profile (run without -Ptestcontainers to use the embedded"
            + " broker)");
    var container = new KafkaContainer(IMAGE);
    container.start();
    return new TestcontainersKafkaBroker(container);
  }

  @Override
  public String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public String kind() {
    return "testcontainers";
  }

  @Override
  public void close() {
    container.stop();
  }
}
