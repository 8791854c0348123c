package dev.meshbone.faults;

import static org.awaitility.Awaitility.await;

import dev.meshbone.quality.QualityApp;
import dev.meshbone.registry.RegistryApp;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.validator.ValidatorApp;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;

/**
 * contract-validator, mesh-registry and quality-monitor in this JVM on a broker, each in its own
 * context with a random HTTP port, a unique application id and a temporary state folder; extra
 * settings apply to all three.
 */
final class FaultMesh implements AutoCloseable {
  private final KafkaBroker broker;
  private final Path stateDir;
  private final Map<String, Object> extra;
  private final List<ApplicationContext> contexts = new ArrayList<>();
  final ApplicationContext validator;
  final ApplicationContext registry;
  final ApplicationContext quality;

  FaultMesh(KafkaBroker broker, Map<String, Object> extra) {
    this.broker = broker;
    this.extra = extra;
    try {
      stateDir = Files.createTempDirectory("faults");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    validator = add(ValidatorApp::start, "validator");
    registry = add(RegistryApp::start, "registry");
    quality = add(QualityApp::start, "quality");
    contexts.forEach(FaultMesh::awaitRunning);
  }

  private ApplicationContext add(
      Function<Map<String, Object>, ApplicationContext> start, String service) {
    var settings = new HashMap<String, Object>();
    broker.clientConfig().forEach((k, v) -> settings.put("kafka." + k, v));
    settings.put("kafka.streams.application.id", KafkaBroker.unique("faults-" + service));
    settings.put("meshbone.state-dir", stateDir.resolve(service).toString());
    settings.put("micronaut.server.port", -1);
    // The validator sees a new product's topics at its next metadata refresh (10 s by default).
    settings.put("kafka.streams.consumer.metadata.max.age.ms", 1000);
    // The services refuse to start without a credential source unless told to run open.
    settings.put("meshbone.security.enabled", false);
    settings.putAll(extra);
    ApplicationContext context = start.apply(settings);
    contexts.add(context);
    return context;
  }

  static void awaitRunning(ApplicationContext context) {
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> state(context) == KafkaStreams.State.RUNNING);
  }

  static KafkaStreams.State state(ApplicationContext context) {
    return context.getBean(MeshStreams.class).streams().state();
  }

  List<ApplicationContext> all() {
    return List.copyOf(contexts);
  }

  static String url(ApplicationContext context) {
    return "http://localhost:" + context.getBean(EmbeddedServer.class).getPort();
  }

  String registryUrl() {
    return url(registry);
  }

  @Override
  public void close() {
    for (int i = contexts.size() - 1; i >= 0; i--) {
      try {
        contexts.get(i).close();
      } catch (RuntimeException e) {
        // Close the others regardless.
      }
    }
  }
}
