package dev.meshbone.access;

import static org.awaitility.Awaitility.await;

import dev.meshbone.client.MeshClient;
import dev.meshbone.client.MeshClientSettings;
import dev.meshbone.registry.RegistryApp;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.runtime.access.AclTable;
import dev.meshbone.runtime.access.ServiceAccount;
import dev.meshbone.runtime.access.ServiceAccounts;
import dev.meshbone.runtime.access.TopicCreation;
import dev.meshbone.testkit.SecureKafkaBroker;
import dev.meshbone.topics.MeshTopics;
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
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;

/**
 * contract-validator and mesh-registry secured end to end, as on a production cluster: a broker
 * that takes only SASL/SCRAM-SHA-512 and authorizes with ACLs, each service on its own principal
 * with the services' rows of the ACL table, the registry's access reconciler keeping the domains'
 * rows, and HTTP security on with a users file. Domains get a SCRAM user and an HTTP password each.
 */
final class KafkaSecuredMesh implements AutoCloseable {
  static final ServiceAccounts SERVICES = ServiceAccounts.defaults();

  final SecureKafkaBroker broker;
  private final Map<String, String> passwords = new LinkedHashMap<>();
  private final List<ApplicationContext> contexts = new ArrayList<>();
  private final ApplicationContext registry;

  KafkaSecuredMesh(List<String> domains) {
    broker = SecureKafkaBroker.start();
    try {
      Path stateDir = Files.createTempDirectory("kafka-secured-mesh");
      for (ServiceAccount s : SERVICES.all()) {
        passwords.put(s.userName(), SecureKafkaBroker.randomSecret());
      }
      for (String d : domains) {
        passwords.put(d, SecureKafkaBroker.randomSecret());
      }
      broker.addUsers(passwords);
      try (Admin admin = broker.admin()) {
        admin
            .createAcls(
                AclTable.serviceBindings(SERVICES, MeshTopics.defaults(), TopicCreation.SERVICES))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      Path users = stateDir.resolve("users.properties");
      var text = new StringBuilder();
      for (String d : domains) {
        text.append(d).append('=').append(passwords.get(d)).append('\n');
      }
      Files.writeString(users, text);

      contexts.add(ValidatorApp.start(settings(SERVICES.validator(), stateDir, users, Map.of())));
      registry =
          RegistryApp.start(
              settings(
                  SERVICES.registry(),
                  stateDir,
                  users,
                  Map.of("meshbone.access.enabled", true, "meshbone.access.interval", "2s")));
      contexts.add(registry);
      for (ApplicationContext context : contexts) {
        var streams = context.getBean(MeshStreams.class).streams();
        await()
            .atMost(Duration.ofSeconds(120))
            .until(() -> streams.state() == KafkaStreams.State.RUNNING);
      }
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("the secured mesh did not start: " + e.getMessage(), e);
    }
  }

  private Map<String, Object> settings(
      ServiceAccount account, Path stateDir, Path users, Map<String, Object> extra) {
    var s = new HashMap<String, Object>();
    kafka(account.userName()).forEach((k, v) -> s.put("kafka." + k, v));
    s.put("meshbone.state-dir", stateDir.resolve(account.service()).toString());
    s.put("micronaut.server.port", -1);
    // The validator sees a new product's topics at its next metadata refresh (10 s by default).
    s.put("kafka.streams.consumer.metadata.max.age.ms", 1000);
    s.put("meshbone.security.users-file", users.toString());
    s.put("meshbone.validator.provision-interval", "500ms");
    s.putAll(extra);
    return s;
  }

  /** The Kafka client settings of a user of this mesh (bootstrap and SASL). */
  Map<String, Object> kafka(String user) {
    return broker.clientConfig(user, password(user));
  }

  String password(String user) {
    String p = passwords.get(user);
    if (p == null) {
      throw new IllegalArgumentException("no user " + user);
    }
    return p;
  }

  /** The registry's application context (for its beans). */
  ApplicationContext registry() {
    return registry;
  }

  String registryUrl() {
    return "http://localhost:" + registry.getBean(EmbeddedServer.class).getPort();
  }

  /** A domain's SDK client, logged in to Kafka and the registry as the domain. */
  MeshClient client(String domain, Duration topicReadyTimeout) {
    var settings =
        MeshClientSettings.builder()
            .domain(domain)
            .bootstrapServers(broker.bootstrapServers())
            .registryUrl(registryUrl())
            .topicReadyTimeout(topicReadyTimeout)
            .registry("basic.auth.credentials.source", "USER_INFO")
            .registry("basic.auth.user.info", domain + ":" + password(domain));
    kafka(domain)
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
    broker.close();
  }
}
