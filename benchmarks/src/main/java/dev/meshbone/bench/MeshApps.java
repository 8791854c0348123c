package dev.meshbone.bench;

import dev.meshbone.registry.RegistryApp;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.validator.ValidatorApp;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;

/**
 * contract-validator and mesh-registry in this JVM against a broker, with the services' own
 * settings, a random HTTP port, unique application ids and a temporary state folder: what the
 * end-to-end harnesses drive over HTTP and Kafka. {@code -Dvalidator.<setting>=<value>} and {@code
 * -Dregistry.<setting>=<value>} try other settings.
 */
public final class MeshApps implements AutoCloseable {
  private final ApplicationContext validator;
  private final ApplicationContext registry;
  private final String bootstrap;

  private MeshApps(String bootstrap, Path state, Map<String, Object> common) {
    this.bootstrap = bootstrap;
    String run = UUID.randomUUID().toString().substring(0, 8);
    validator = ValidatorApp.start(settings(bootstrap, state, "validator", run, common));
    registry = RegistryApp.start(settings(bootstrap, state, "registry", run, common));
  }

  /** Starts both and waits until their streams run. */
  public static MeshApps start(String bootstrap) throws IOException, InterruptedException {
    return start(bootstrap, Map.of());
  }

  /**
   * Starts both with {@code common} settings added to each (a {@code -Dvalidator.} or {@code
   * -Dregistry.} system property still wins) and waits until their streams run.
   */
  public static MeshApps start(String bootstrap, Map<String, Object> common)
      throws IOException, InterruptedException {
    var apps = new MeshApps(bootstrap, Files.createTempDirectory("bench-mesh"), common);
    awaitRunning(apps.validator);
    awaitRunning(apps.registry);
    return apps;
  }

  public String registryUrl() {
    return "http://localhost:" + registry.getBean(EmbeddedServer.class).getPort();
  }

  public String bootstrapServers() {
    return bootstrap;
  }

  private static Map<String, Object> settings(
      String bootstrap, Path state, String service, String run, Map<String, Object> common) {
    var settings = new HashMap<String, Object>(common);
    settings.put("kafka.bootstrap.servers", bootstrap);
    settings.put("kafka.streams.application.id", "bench-" + service + "-" + run);
    settings.put("meshbone.state-dir", state.resolve(service).toString());
    settings.put("micronaut.server.port", -1);
    // The services refuse to start without a credential source unless told to run open.
    settings.put("meshbone.security.enabled", false);
    String prefix = service + ".";
    System.getProperties()
        .forEach(
            (k, v) -> {
              if (k.toString().startsWith(prefix)) {
                settings.put(k.toString().substring(prefix.length()), v);
              }
            });
    return settings;
  }

  /**
   * Waits until the service's Streams app is RUNNING. Generous: on a loaded 2-core machine a
   * rebalance among the suite's apps has taken over 90 s.
   */
  public static void awaitRunning(ApplicationContext context) throws InterruptedException {
    var streams = context.getBean(MeshStreams.class).streams();
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not running after 180 s: " + streams.state());
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() {
    registry.close();
    validator.close();
  }
}
