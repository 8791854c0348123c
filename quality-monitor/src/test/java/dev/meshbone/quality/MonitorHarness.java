package dev.meshbone.quality;

import static org.awaitility.Awaitility.await;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.ProductHealth;
import dev.meshbone.events.QualityAlert;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.events.ServiceLevels;
import dev.meshbone.quality.http.HealthFeed;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.topics.MeshTopics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Runs quality-monitor instances against a real broker for the integration tests, and talks to
 * them: publishes products and quality events, reads status and alerts, and calls the HTTP API.
 */
final class MonitorHarness implements AutoCloseable {
  final KafkaBroker broker;
  final MeshTopics topics = MeshTopics.defaults();
  final String applicationId = KafkaBroker.unique("quality-it");
  final HttpClient http = HttpClient.newHttpClient();
  private final List<ApplicationContext> instances = new ArrayList<>();
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> statusConsumer;
  private final KafkaConsumer<byte[], byte[]> alertConsumer;
  private final List<ProductHealth> statuses = new ArrayList<>();
  private final List<QualityAlert> alerts = new ArrayList<>();

  MonitorHarness(KafkaBroker broker) {
    this.broker = broker;
    this.producer =
        new KafkaProducer<>(
            broker.producerConfig(),
            new org.apache.kafka.common.serialization.StringSerializer(),
            new ByteArraySerializer());
    this.statusConsumer =
        new KafkaConsumer<>(broker.consumerConfig(KafkaBroker.unique("status-reader")));
    this.alertConsumer =
        new KafkaConsumer<>(broker.consumerConfig(KafkaBroker.unique("alert-reader")));
  }

  /** Starts an instance on a random port (no interactive-query routing). */
  ApplicationContext start(Map<String, Object> extra) {
    var props = new HashMap<String, Object>();
    props.put("kafka.bootstrap.servers", broker.bootstrapServers());
    broker.clientConfig().forEach((k, v) -> props.putIfAbsent("kafka." + k, v));
    props.put("micronaut.server.port", -1);
    // The services refuse to start without a credential source unless told to run open.
    props.put("meshbone.security.enabled", false);
    props.put("kafka.streams.application.id", applicationId);
    props.put("kafka.streams.statestore.cache.max.bytes", 0);
    try {
      props.put("meshbone.state-dir", Files.createTempDirectory("quality-it").toString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    props.put("meshbone.quality.punctuation-interval", "1s");
    props.put("meshbone.quality.clear-after", "1s");
    props.put("meshbone.quality.metrics-refresh", "500ms");
    props.putAll(extra);
    ApplicationContext context = QualityApp.start(props);
    instances.add(context);
    return context;
  }

  /** Starts an instance on a free fixed port, advertised for interactive-query routing. */
  ApplicationContext startRouted() {
    return start(Map.of("micronaut.server.port", freePort()));
  }

  static int freePort() {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static KafkaStreams streams(ApplicationContext context) {
    return context.getBean(MeshStreams.class).streams();
  }

  /** Waits until every instance runs, holds tasks, and streams status changes live. */
  void awaitRunning() {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                instances.stream()
                    .allMatch(
                        c ->
                            streams(c).state() == KafkaStreams.State.RUNNING
                                && c.getBean(HealthFeed.class).isLive()
                                && streams(c).metadataForLocalThreads().stream()
                                    .anyMatch(t -> !t.activeTasks().isEmpty())));
  }

  static URI uri(ApplicationContext context, String path) {
    return context.getBean(EmbeddedServer.class).getURI().resolve(path);
  }

  HttpResponse<String> get(ApplicationContext context, String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(uri(context, path)).timeout(Duration.ofSeconds(15)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  void product(String id, ServiceLevels slos) {
    send(
        topics.products.name(),
        id,
        topics
            .products
            .valueSerde()
            .serializer()
            .serialize("", MonitorDriver.productEvent(id, slos, LifecycleStatus.ACTIVE)));
  }

  void retire(String id) {
    DataProductEvent event = MonitorDriver.productEvent(id, null, LifecycleStatus.RETIRED);
    send(
        topics.products.name(), id, topics.products.valueSerde().serializer().serialize("", event));
  }

  /** A quality event of {@code id} that happened now. */
  void check(String id, String check, boolean passed) {
    QualityEvent event =
        MonitorDriver.check(id, check, passed, Duration.ZERO).setOccurredAt(Instant.now()).build();
    send(topics.quality.name(), id, topics.quality.valueSerde().serializer().serialize("", event));
  }

  void send(String topic, String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every status record read so far (polls for more). */
  synchronized List<ProductHealth> statuses(String productId) {
    poll(statusConsumer, topics.qualityStatus.name(), statuses, topics.qualityStatus);
    return statuses.stream().filter(h -> h != null && h.getProductId().equals(productId)).toList();
  }

  synchronized List<QualityAlert> alerts(String productId) {
    poll(alertConsumer, topics.qualityAlerts.name(), alerts, topics.qualityAlerts);
    return alerts.stream().filter(a -> a.getProductId().equals(productId)).toList();
  }

  private static <V> void poll(
      KafkaConsumer<byte[], byte[]> consumer,
      String topic,
      List<V> into,
      dev.meshbone.topics.TopicSpec<String, V> spec) {
    if (consumer.assignment().isEmpty()) {
      var partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }
    for (var r : consumer.poll(Duration.ofMillis(200))) {
      if (r.value() != null) {
        into.add(spec.valueSerde().deserializer().deserialize(topic, r.value()));
      }
    }
  }

  /** Reads a server-sent-events stream into lines on a thread of its own. */
  final class SseReader implements AutoCloseable {
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile InputStream in;

    SseReader(ApplicationContext context) {
      thread =
          new Thread(
              () -> {
                try {
                  HttpResponse<InputStream> response =
                      http.send(
                          HttpRequest.newBuilder(uri(context, "/stream"))
                              .header("Accept", "text/event-stream")
                              .build(),
                          HttpResponse.BodyHandlers.ofInputStream());
                  in = response.body();
                  try (var reader =
                      new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                      lines.add(line);
                    }
                  }
                } catch (IOException | InterruptedException e) {
                  // closed
                }
              },
              "sse-reader");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws IOException {
      if (in != null) {
        in.close();
      }
      thread.interrupt();
    }
  }

  @Override
  public void close() {
    for (int i = instances.size() - 1; i >= 0; i--) {
      instances.get(i).close();
    }
    producer.close(Duration.ofSeconds(5));
    statusConsumer.close(Duration.ofSeconds(5));
    alertConsumer.close(Duration.ofSeconds(5));
  }

  /** A path-safe product id no other test uses. */
  static String uniqueProduct(String domain, String prefix) {
    return domain + "." + KafkaBroker.unique(prefix);
  }
}
