package dev.meshbone.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a test a real Kafka broker as a {@link KafkaBroker} parameter (of a constructor, a
 * {@code @BeforeAll} or a test method). Use it through {@link WithKafka}.
 *
 * <p>Which broker: the cluster in {@code KAFKA_BOOTSTRAP_SERVERS} when that is set; a
 * Testcontainers broker when the system property {@code meshbone.it.broker} is {@code
 * testcontainers} (the Maven profile of that name sets it); else one embedded KRaft node. The
 * broker is started once per test JVM and shared by every test class, which keeps the suite fast;
 * tests isolate themselves with unique topic names and application ids ({@link
 * KafkaBroker#unique}). A test that stops or restarts a broker starts its own {@link
 * EmbeddedKafkaBroker} instead.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokerExtension.class);
  private static final Object LOCK = new Object();
  private static KafkaBroker shared;

  /**
   * The broker shared by this JVM's tests, started on first use. For places that cannot take a
   * parameter, such as a Micronaut {@code TestPropertyProvider}.
   */
  public static KafkaBroker shared() {
    synchronized (LOCK) {
      if (shared == null) {
        shared = startBroker();
        if (shared instanceof AutoCloseable) {
          Runtime.getRuntime()
              .addShutdownHook(
                  new Thread(KafkaBrokerExtension::closeShared, "test-broker-shutdown"));
        }
      }
      return shared;
    }
  }

  private static KafkaBroker startBroker() {
    String external = System.getenv(ExternalKafkaBroker.ENV);
    if (external != null && !external.isBlank()) {
      LOG.info("integration tests use the external Kafka cluster at {}", external);
      return new ExternalKafkaBroker(external, System.getenv());
    }
    if ("testcontainers".equals(System.getProperty("meshbone.it.broker"))) {
      return TestcontainersKafkaBroker.start();
    }
    long start = System.nanoTime();
    var broker = EmbeddedKafkaBroker.start();
    LOG.info(
        "embedded Kafka broker at {} started in {} ms",
        broker.bootstrapServers(),
        (System.nanoTime() - start) / 1_000_000);
    return broker;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    KafkaBroker broker = shared();
    if (broker instanceof AutoCloseable closeable) {
      // Closed when the whole test plan ends, before the JVM's shutdown hooks run (where the test
      // kit deletes its folders, which races with a broker still stopping).
      context
          .getRoot()
          .getStore(ExtensionContext.Namespace.create(KafkaBrokerExtension.class))
          .getOrComputeIfAbsent(
              "broker", k -> new SharedBrokerResource(closeable), SharedBrokerResource.class);
    }
  }

  /** Stops the shared broker once, whether JUnit or the shutdown hook gets there first. */
  private record SharedBrokerResource(AutoCloseable broker)
      implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() throws Exception {
      closeShared();
    }
  }

  private static void closeShared() {
    synchronized (LOCK) {
      if (shared instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          LOG.warn("stopping the test broker failed", e);
        }
      }
      shared = null;
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared();
  }
}
