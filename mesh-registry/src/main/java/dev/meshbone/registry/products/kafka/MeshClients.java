package dev.meshbone.registry.products.kafka;

import dev.meshbone.runtime.KafkaClientMeters;
import dev.meshbone.runtime.KafkaSettings;
import dev.meshbone.runtime.MeshSettings;
import dev.meshbone.runtime.http.ApiException;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.TopicBootstrapper;
import dev.meshbone.topics.TopicSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpStatus;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The registry API's own Kafka clients (beside Kafka Streams): one idempotent producer for what
 * clients that do not speak Kafka write through the API, an admin client that creates a domain's
 * control topics on its first write, and the consumers that follow the mesh's topics.
 */
@Singleton
public class MeshClients {
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaSettings kafka;
  private final MeshSettings settings;
  private final Set<String> domainsReady = ConcurrentHashMap.newKeySet();
  private final Optional<MeterRegistry> meters;
  private volatile KafkaProducer<byte[], byte[]> producer;
  private volatile AutoCloseable producerMeters = () -> {};
  private volatile Admin admin;

  public MeshClients(KafkaSettings kafka, MeshSettings settings, Optional<MeterRegistry> meters) {
    this.kafka = kafka;
    this.settings = settings;
    this.meters = meters;
  }

  /** Sends one record and waits for the broker to acknowledge it. */
  public <V> RecordMetadata send(TopicSpec<String, V> spec, String topic, String key, V value) {
    byte[] k = spec.keySerde().serializer().serialize(topic, key);
    byte[] v = spec.valueSerde().serializer().serialize(topic, value);
    try {
      return producer()
          .send(new ProducerRecord<>(topic, k, v))
          .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw kafkaDown(topic, e);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw kafkaDown(topic, e instanceof ExecutionException ? (Exception) e.getCause() : e);
    }
  }

  /**
   * Sends one record without waiting: many sends in a row share the producer's batches and
   * in-flight requests. The future fails with the same 503 {@link #send} would throw.
   */
  public <V> CompletableFuture<RecordMetadata> sendAsync(
      TopicSpec<String, V> spec, String topic, String key, V value) {
    var result = new CompletableFuture<RecordMetadata>();
    try {
      byte[] k = spec.keySerde().serializer().serialize(topic, key);
      byte[] v = spec.valueSerde().serializer().serialize(topic, value);
      producer()
          .send(
              new ProducerRecord<>(topic, k, v),
              (sent, error) -> {
                if (error != null) {
                  result.completeExceptionally(kafkaDown(topic, error));
                } else {
                  result.complete(sent);
                }
              });
    } catch (KafkaException e) {
      result.completeExceptionally(kafkaDown(topic, e));
    }
    return result.orTimeout(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Creates the domain's product-events and quality-events topics if they do not exist yet. */
  public void ensureControlTopics(String domain) {
    if (domainsReady.contains(domain)) {
      return;
    }
    List<TopicSpec<?, ?>> specs = DomainTopics.controlSpecs(domain);
    try {
      new TopicBootstrapper(admin(), settings.replicationFactor(), Duration.ofSeconds(10))
          .ensure(specs);
    } catch (KafkaException e) {
      throw kafkaDown(DomainTopics.productEvents(domain), e);
    }
    domainsReady.add(domain);
  }

  /** Binds a plain producer's client metrics to {@code /prometheus}; close it with the producer. */
  public AutoCloseable bindMeters(org.apache.kafka.clients.producer.Producer<?, ?> producer) {
    return KafkaClientMeters.bind(meters, producer);
  }

  /** A tail of these topics, started and positioned at their end. */
  public TopicTail tail(
      String name, List<String> topics, Consumer<ConsumerRecord<byte[], byte[]>> handler) {
    var config = new HashMap<String, Object>(kafka.consumer());
    config.putIfAbsent("bootstrap.servers", kafka.bootstrapServers());
    var tail = new TopicTail(name, config, topics, handler, meters);
    tail.start(Duration.ofSeconds(30));
    return tail;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    KafkaProducer<byte[], byte[]> p = producer;
    if (p == null) {
      synchronized (this) {
        if (producer == null) {
          Map<String, Object> config = new HashMap<>(kafka.producer());
          config.putIfAbsent(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
          config.put(ProducerConfig.ACKS_CONFIG, "all");
          config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
          config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
          config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "mesh-registry-api");
          producer =
              new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
          producerMeters = KafkaClientMeters.bind(meters, producer);
        }
        p = producer;
      }
    }
    return p;
  }

  private Admin admin() {
    Admin a = admin;
    if (a == null) {
      synchronized (this) {
        if (admin == null) {
          Map<String, Object> config = new HashMap<>(kafka.admin());
          config.putIfAbsent("bootstrap.servers", kafka.bootstrapServers());
          admin = Admin.create(config);
        }
        a = admin;
      }
    }
    return a;
  }

  private static ApiException kafkaDown(String topic, Exception cause) {
    return new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE,
        "KAFKA_UNAVAILABLE",
        "cannot write to "
            + topic
            + ": "
            + (cause == null ? "no answer" : cause.getMessage())
            + "; retry shortly");
  }

  @PreDestroy
  void close() {
    if (producer != null) {
      KafkaClientMeters.close(producerMeters);
      producer.close(Duration.ofSeconds(5));
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
  }
}
