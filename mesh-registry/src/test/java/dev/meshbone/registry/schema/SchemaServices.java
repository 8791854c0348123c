package dev.meshbone.registry.schema;

import static org.awaitility.Awaitility.await;

import dev.meshbone.registry.BesideValidator;
import dev.meshbone.registry.RegistryApp;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.testkit.KafkaBroker;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;

/**
 * contract-validator and mesh-registry started in this JVM against the test broker, each in its own
 * application context, with unique application ids and their state in a temporary folder.
 */
final class SchemaServices {
  private SchemaServices() {}

  /** Common settings: the broker, a free HTTP port, the state folder and the application id. */
  static Map<String, Object> settings(
      KafkaBroker broker, Path stateDir, String applicationId, Map<String, Object> extra) {
    var settings = new HashMap<String, Object>();
    settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
    broker.clientConfig().forEach((k, v) -> settings.put("kafka." + k, v));
    settings.put("kafka.streams.application.id", applicationId);
    settings.put("meshbone.state-dir", stateDir.toString());
    settings.put("micronaut.server.port", -1);
    // The services refuse to start without a credential source unless told to run open.
    settings.put("meshbone.security.enabled", false);
    settings.putAll(extra);
    return settings;
  }

  static ApplicationContext validator(KafkaBroker broker, Path stateDir, String applicationId) {
    ApplicationContext context =
        BesideValidator.start(settings(broker, stateDir, applicationId, Map.of()));
    awaitRunning(context);
    return context;
  }

  static ApplicationContext registry(
      KafkaBroker broker, Path stateDir, String applicationId, Map<String, Object> extra) {
    ApplicationContext context =
        RegistryApp.start(settings(broker, stateDir, applicationId, extra));
    awaitRunning(context);
    return context;
  }

  static String url(ApplicationContext context) {
    return "http://localhost:" + context.getBean(EmbeddedServer.class).getPort();
  }

  static void awaitRunning(ApplicationContext context) {
    var streams = context.getBean(MeshStreams.class).streams();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> streams.state() == KafkaStreams.State.RUNNING);
  }

  /** A domain name no other test uses, so subjects and schemas never collide across tests. */
  static String uniqueDomain() {
    return "d" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }
}
