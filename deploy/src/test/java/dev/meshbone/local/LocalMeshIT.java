package dev.meshbone.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshbone.events.ChangeType;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.registry.RegistryStreamsApp;
import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.topics.CleanupPolicy;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.TopicSpec;
import dev.meshbone.validator.ValidatorStreamsApp;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local launcher as a user runs it: a broker on fixed ports with its data in a folder, and the
 * three services, each in its own context, healthy, with the mesh topics created as declared; and a
 * second start on the same folder that still has the data.
 */
class LocalMeshIT {
  private final MeshTopics topics = MeshTopics.defaults();

  @Test
  void shouldStartEveryServiceHealthyAndKeepDataAcrossARestart(@TempDir Path dataDir)
      throws Exception {
    LocalMeshOptions options = options(dataDir);
    var product = event("clinical-trials.enrollments");

    try (var mesh = new LocalMesh(options)) {
      mesh.start();

      for (int port :
          List.of(options.validatorPort(), options.registryPort(), options.qualityPort())) {
        HttpResponse<String> health = get("http://localhost:" + port + "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("kafka-streams");
      }
      try (Admin admin =
          Admin.create(Map.of("bootstrap.servers", "localhost:" + options.kafkaPort()))) {
        assertTopicsAsDeclared(admin);
      }
      // Each service sees only its own beans, though all three share the classpath.
      var contexts = mesh.contexts();
      assertThat(contexts.get(0).getBean(MeshStreams.class).app())
          .isInstanceOf(ValidatorStreamsApp.class);
      assertThat(contexts.get(0).findBean(RegistryStreamsApp.class)).isEmpty();
      assertThat(contexts.get(1).getBean(MeshStreams.class).app())
          .isInstanceOf(RegistryStreamsApp.class);
      assertThat(contexts.get(1).findBean(ValidatorStreamsApp.class)).isEmpty();

      try (var producer =
          new KafkaProducer<>(
              Map.<String, Object>of("bootstrap.servers", "localhost:" + options.kafkaPort()),
              topics.products.keySerde().serializer(),
              topics.products.valueSerde().serializer())) {
        producer
            .send(new ProducerRecord<>(topics.products.name(), product.getProductId(), product))
            .get();
      }
      awaitProductInRegistry(mesh, product.getProductId());
    }

    // Everything stopped: the ports are free again.
    assertThat(isFree(options.kafkaPort())).isTrue();
    assertThat(isFree(options.registryPort())).isTrue();

    try (var mesh = new LocalMesh(options)) {
      mesh.start();
      awaitProductInRegistry(mesh, product.getProductId());
    }
  }

  @Test
  void shouldRefuseATakenPortNamingTheOptionToMoveIt(@TempDir Path dataDir) throws Exception {
    LocalMeshOptions options = options(dataDir);
    try (var taken = new ServerSocket(options.registryPort());
        var mesh = new LocalMesh(options)) {
      assertThatThrownBy(mesh::start)
          .isInstanceOf(LocalMesh.PortTakenException.class)
          .hasMessageContaining("port " + options.registryPort())
          .hasMessageContaining("mesh-registry")
          .hasMessageContaining("--registry-port");
    }
    assertThat(Files.exists(dataDir.resolve("kafka"))).isFalse();
  }

  private void assertTopicsAsDeclared(Admin admin) throws Exception {
    var names = topics.all().stream().map(TopicSpec::name).toList();
    assertThat(admin.listTopics().names().get()).containsAll(names);
    var descriptions = admin.describeTopics(names).allTopicNames().get();
    var configs =
        admin
            .describeConfigs(
                names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList())
            .all()
            .get();
    for (TopicSpec<?, ?> spec : topics.all()) {
      assertThat(descriptions.get(spec.name()).partitions())
          .as(spec.name())
          .hasSize(spec.partitions());
      String cleanup =
          configs
              .get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()))
              .get("cleanup.policy")
              .value();
      assertThat(cleanup)
          .as(spec.name())
          .isEqualTo(spec.cleanup() == CleanupPolicy.COMPACT ? "compact" : "delete");
    }
  }

  private static void awaitProductInRegistry(LocalMesh mesh, String productId)
      throws InterruptedException {
    var streams = mesh.contexts().get(1).getBean(MeshStreams.class).streams();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        ReadOnlyKeyValueStore<String, DataProductEvent> store =
            streams.store(
                StoreQueryParameters.fromNameAndType(
                    CatalogStores.PRODUCTS_STORE,
                    QueryableStoreTypes.<String, DataProductEvent>keyValueStore()));
        if (store.get(productId) != null) {
          return;
        }
      } catch (RuntimeException notReadyYet) {
        // the store is not queryable while the app rebalances or restores
      }
      Thread.sleep(100);
    }
    throw new AssertionError(productId + " never appeared in the registry's store");
  }

  private static DataProductEvent event(String productId) {
    return DataProductEvent.newBuilder()
        .setEventId("e-" + productId)
        .setProductId(productId)
        .setDomain(productId.substring(0, productId.indexOf('.')))
        .setType(ChangeType.CREATED)
        .setStatus(LifecycleStatus.ACTIVE)
        .setVersion(1)
        .setOccurredAt(Instant.now())
        .build();
  }

  private static LocalMeshOptions options(Path dataDir) throws IOException {
    int[] ports = freePorts(5);
    return new LocalMeshOptions(
        dataDir, false, ports[0], ports[1], ports[2], ports[3], ports[4], false, false);
  }

  private static int[] freePorts(int count) throws IOException {
    var sockets = new ServerSocket[count];
    try {
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0);
      }
      return java.util.Arrays.stream(sockets).mapToInt(ServerSocket::getLocalPort).toArray();
    } finally {
      for (ServerSocket s : sockets) {
        if (s != null) {
          s.close();
        }
      }
    }
  }

  private static boolean isFree(int port) {
    try (var socket = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
