package dev.meshbone.sdk;

import static org.awaitility.Awaitility.await;

import dev.meshbone.client.MeshClient;
import dev.meshbone.client.MeshClientSettings;
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
import org.apache.kafka.streams.KafkaStreams;

/**
 * contract-validator, mesh-registry and quality-monitor on a test broker, each in its own context
 * with a random HTTP port, a unique application id and a temporary state folder: the mesh a domain
 * service's SDK talks to.
 */
final class MeshServices implements AutoCloseable {
  private final KafkaBroker broker;
  private final Path stateDir;
  private final List<ApplicationContext> contexts = new ArrayList<>();
  private final ApplicationContext registry;

  MeshServices(KafkaBroker broker) {
    this.broker = broker;
    try {
      stateDir = Files.createTempDirectory("sdk-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    contexts.add(ValidatorApp.start(settings("validator")));
    registry = RegistryApp.start(settings("registry"));
    contexts.add(registry);
    contexts.add(QualityApp.start(settings("quality")));
    contexts.forEach(MeshServices::awaitRunning);
  }

  private Map<String, Object> settings(String service) {
    var settings = new HashMap<String, Object>();
    settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
    broker.clientConfig().forEach((k, v) -> settings.put("kafka." + k, v));
    settings.put("kafka.streams.application.id", KafkaBroker.unique("sdk-it-" + service));
    settings.put("meshbone.state-dir", stateDir.resolve(service).toString());
    settings.put("micronaut.server.port", -1);
    // New domains and products are tests' daily bread: the validator sees their topics at its next
    // metadata refresh, 10 s by default.
    settings.put("kafka.streams.consumer.metadata.max.age.ms", 1000);
    // The services refuse to start without a credential source unless told to run open.
    settings.put("meshbone.security.enabled", false);
    return settings;
  }

  private static void awaitRunning(ApplicationContext context) {
    var streams = context.getBean(MeshStreams.class).streams();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> streams.state() == KafkaStreams.State.RUNNING);
  }

  String registryUrl() {
    return "http://localhost:" + registry.getBean(EmbeddedServer.class).getPort();
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** A client of {@code domain}, with the broker's client settings passed through. */
  MeshClient client(String domain) {
    var settings =
        MeshClientSettings.builder()
            .domain(domain)
            .bootstrapServers(broker.bootstrapServers())
            .registryUrl(registryUrl());
    broker
        .clientConfig()
        .forEach(
            (k, v) -> {
              if (!k.equals("bootstrap.servers")) {
                settings.kafka(k, v);
              }
            });
    return MeshClient.create(settings.build());
  }

  @Override
  public void close() {
    for (int i = contexts.size() - 1; i >= 0; i--) {
      contexts.get(i).close();
    }
  }
}
