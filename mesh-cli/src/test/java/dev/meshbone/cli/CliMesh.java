package dev.meshbone.cli;

import static org.awaitility.Awaitility.await;

import dev.meshbone.client.MeshClient;
import dev.meshbone.client.MeshClientSettings;
import dev.meshbone.quality.QualityApp;
import dev.meshbone.registry.RegistryApp;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.KafkaBrokerExtension;
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
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * contract-validator, mesh-registry and quality-monitor started in this JVM on the test broker
 * (each with a random HTTP port, a unique application id and its own state folder), and the mesh
 * CLI pointed at them through the environment, as a user's shell would.
 *
 * <p>The three services are started once per test JVM and shared by every test class that takes a
 * {@code CliMesh} parameter (through {@link Shared}); each class gets its own folder, and so its
 * own {@code HOME} for the CLI's contexts. Classes isolate themselves by their domain names.
 */
public final class CliMesh {
  private final Services services;
  private final Path dir;

  private CliMesh(Services services) {
    this.services = services;
    try {
      dir = Files.createTempDirectory("mesh-cli-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Resolves a {@code CliMesh} parameter (of a {@code @BeforeAll}, say): a fresh folder over the
   * services this JVM shares, started on first use and stopped when the whole test plan ends,
   * before the shared broker (the store closes in the inverse order of addition).
   */
  public static final class Shared implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == CliMesh.class;
    }

    @Override
    public CliMesh resolveParameter(ParameterContext parameter, ExtensionContext context) {
      KafkaBroker broker = KafkaBrokerExtension.shared();
      Services services =
          context
              .getRoot()
              .getStore(ExtensionContext.Namespace.create(CliMesh.class))
              .getOrComputeIfAbsent("services", k -> new Services(broker), Services.class);
      return new CliMesh(services);
    }
  }

  /** The three services, one set per test JVM. */
  private static final class Services implements ExtensionContext.Store.CloseableResource {
    private final KafkaBroker broker;
    private final Path dir;
    private final List<ApplicationContext> contexts = new ArrayList<>();
    private final ApplicationContext registry;
    private final ApplicationContext quality;

    Services(KafkaBroker broker) {
      this.broker = broker;
      try {
        dir = Files.createTempDirectory("mesh-cli-services");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      contexts.add(ValidatorApp.start(settings("validator")));
      registry = RegistryApp.start(settings("registry"));
      contexts.add(registry);
      quality = QualityApp.start(settings("quality"));
      contexts.add(quality);
      contexts.forEach(Services::awaitRunning);
    }

    private Map<String, Object> settings(String service) {
      var settings = new HashMap<String, Object>();
      settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
      broker.clientConfig().forEach((k, v) -> settings.put("kafka." + k, v));
      settings.put("kafka.streams.application.id", KafkaBroker.unique("cli-it-" + service));
      settings.put("meshbone.state-dir", dir.resolve(service).toString());
      settings.put("micronaut.server.port", -1);
      // New domains and products are tests' daily bread: the validator sees their topics at its
      // next
      // metadata refresh, 10 s by default.
      settings.put("kafka.streams.consumer.metadata.max.age.ms", 1000);
      // An open mesh, as bin/local-mesh runs without --secure: the CLI names its domain.
      settings.put("meshbone.security.enabled", false);
      return settings;
    }

    private static void awaitRunning(ApplicationContext context) {
      var streams = context.getBean(MeshStreams.class).streams();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> streams.state() == KafkaStreams.State.RUNNING);
    }

    @Override
    public void close() {
      for (int i = contexts.size() - 1; i >= 0; i--) {
        contexts.get(i).close();
      }
    }
  }

  public String registryUrl() {
    return "http://localhost:" + services.registry.getBean(EmbeddedServer.class).getPort();
  }

  public String qualityUrl() {
    return "http://localhost:" + services.quality.getBean(EmbeddedServer.class).getPort();
  }

  public KafkaBroker broker() {
    return services.broker;
  }

  public Path dir() {
    return dir;
  }

  /** The environment a user's shell would give the CLI to reach this mesh. */
  public Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("HOME", dir.resolve("home").toString());
    env.put("MESH_REGISTRY_URL", registryUrl());
    env.put("MESH_QUALITY_URL", qualityUrl());
    env.put("MESH_BOOTSTRAP_SERVERS", broker().bootstrapServers());
    broker()
        .clientConfig()
        .forEach(
            (k, v) -> {
              if (!k.equals("bootstrap.servers")) {
                env.put("MESH_KAFKA_" + k.toUpperCase().replace('.', '_'), String.valueOf(v));
              }
            });
    return env;
  }

  /** Runs {@code mesh args...} in this JVM with {@link #env()}. */
  public Mesh.Run mesh(String... args) {
    return Mesh.capture(env(), args);
  }

  /** An SDK client of {@code domain}, for what the test sets up without the CLI. */
  public MeshClient client(String domain) {
    var settings =
        MeshClientSettings.builder()
            .domain(domain)
            .bootstrapServers(broker().bootstrapServers())
            .registryUrl(registryUrl());
    broker()
        .clientConfig()
        .forEach(
            (k, v) -> {
              if (!k.equals("bootstrap.servers")) {
                settings.kafka(k, v);
              }
            });
    return MeshClient.create(settings.build());
  }

  public Path write(String name, String text) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
