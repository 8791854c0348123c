package dev.meshbone.security;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;

/**
 * contract-validator, mesh-registry and quality-monitor with security on, on a test broker, each in
 * its own context on a random port; the users file is written here.
 */
final class SecureMesh implements AutoCloseable {
  final Map<String, ApplicationContext> services = new LinkedHashMap<>();
  private final List<ApplicationContext> contexts = new ArrayList<>();

  SecureMesh(KafkaBroker broker, Path usersFile, Map<String, Object> extra) {
    Path stateDir;
    try {
      stateDir = Files.createTempDirectory("security-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Function<String, Map<String, Object>> settings =
        service -> {
          var s = new HashMap<String, Object>();
          s.put("kafka.bootstrap.servers", broker.bootstrapServers());
          broker.clientConfig().forEach((k, v) -> s.put("kafka." + k, v));
          s.put("kafka.streams.application.id", KafkaBroker.unique("security-it-" + service));
          s.put("meshbone.state-dir", stateDir.resolve(service).toString());
          s.put("micronaut.server.port", -1);
          // The validator sees a new product's topics at its next metadata refresh (10 s by
          // default).
          s.put("kafka.streams.consumer.metadata.max.age.ms", 1000);
          if (usersFile != null) {
            s.put("meshbone.security.users-file", usersFile.toString());
          }
          s.putAll(extra);
          return s;
        };
    services.put("validator", add(ValidatorApp.start(settings.apply("validator"))));
    services.put("registry", add(RegistryApp.start(settings.apply("registry"))));
    services.put("quality", add(QualityApp.start(settings.apply("quality"))));
    for (ApplicationContext context : contexts) {
      var streams = context.getBean(MeshStreams.class).streams();
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> streams.state() == KafkaStreams.State.RUNNING);
    }
  }

  private ApplicationContext add(ApplicationContext context) {
    contexts.add(context);
    return context;
  }

  String url(String service) {
    return "http://localhost:" + services.get(service).getBean(EmbeddedServer.class).getPort();
  }

  static Path usersFile(Map<String, String> users) {
    try {
      Path file = Files.createTempFile("users", ".properties");
      var text = new StringBuilder("# written by the security tests\n");
      users.forEach(
          (name, password) -> text.append(name).append('=').append(password).append('\n'));
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    for (int i = contexts.size() - 1; i >= 0; i--) {
      contexts.get(i).close();
    }
  }
}
