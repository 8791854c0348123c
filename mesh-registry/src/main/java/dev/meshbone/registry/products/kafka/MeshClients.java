package dev.meshbone.registry.products.kafka;

import dev.meshbone.registry.products.RegistrySettings;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry API's own Kafka clients (beside Kafka Streams): one idempotent producer for what
 * clients that do not speak Kafka write through the API, an admin client that creates a domain's
 * control topics on its first write, and the consumers that follow the mesh's topics.
 *
 * <p>A send waits at most {@code meshbone.registry.send-timeout} for Kafka's acknowledgement, then
 * fails with a retryable 503. The producer is then replaced by a fresh one (a new producer id), as
 * it is when a send fails with an error an idempotent producer cannot leave (an out-of-order
 * sequence, a fenced epoch): Kafka 4.3's producer retries a batch that the broker refuses with
 * {@code OUT_OF_ORDER_SEQUENCE_NUMBER} until {@code delivery.timeout.ms}, and never gets it through
 * when the partition's first append came from a later batch (KAFKA-15591, fixed in the 4.5 broker:
 * the first batch to a just created topic failed with {@code NOT_LEADER_OR_FOLLOWER}, the next one
 * was appended). What the API writes is idempotent by event id, so a caller may send it again.
 */
@Singleton
public class MeshClients {
  private static final Logger LOG = LoggerFactory.getLogger(MeshClients.class);

  private final KafkaSettings kafka;
  private final MeshSettings settings;
  private final Duration sendTimeout;
  private final ApiProducers producers;
  private final Set<String> domainsReady = ConcurrentHashMap.newKeySet();
  private final Optional<MeterRegistry> meters;
  private final AtomicInteger replaced = new AtomicInteger();
  private volatile ApiProducer producer;
  private volatile Admin admin;

  /** The producer in use and its meters' binding, closed together. */
  private record ApiProducer(Producer<byte[], byte[]> producer, AutoCloseable meters) {}

  public MeshClients(
      KafkaSettings kafka,
      MeshSettings settings,
      RegistrySettings registry,
      ApiProducers producers,
      Optional<MeterRegistry> meters) {
    this.kafka = kafka;
    this.settings = settings;
    this.sendTimeout = registry.sendTimeout();
    this.producers = producers;
    this.meters = meters;
  }

  /**
   * Sends one record and waits, up to {@code send-timeout}, for the broker to acknowledge it.
   *
   * @throws ApiException 503 {@code KAFKA_UNAVAILABLE} with a retry-after when it is not
   *     acknowledged in time or fails
   */
  public <V> RecordMetadata send(TopicSpec<String, V> spec, String topic, String key, V value) {
    try {
      return sendAsync(spec, topic, key, value).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof ApiException api ? api : kafkaDown(topic, e);
    }
  }

  /**
   * Sends one record without waiting: many sends in a row share the producer's batches and
   * in-flight requests. The future fails with the same 503 {@link #send} would throw, at the latest
   * after {@code send-timeout}.
   */
  public <V> CompletableFuture<RecordMetadata> sendAsync(
      TopicSpec<String, V> spec, String topic, String key, V value) {
    var result = new CompletableFuture<RecordMetadata>();
    ApiProducer p;
    try {
      p = producer();
    } catch (KafkaException e) {
      return CompletableFuture.failedFuture(kafkaDown(topic, e));
    }
    try {
      byte[] k = spec.keySerde().serializer().serialize(topic, key);
      byte[] v = spec.valueSerde().serializer().serialize(topic, value);
      p.producer()
          .send(
              new ProducerRecord<>(topic, k, v),
              (sent, error) -> {
                if (error != null) {
                  result.completeExceptionally(error);
                } else {
                  result.complete(sent);
                }
              });
    } catch (KafkaException e) {
      result.completeExceptionally(e);
    }
    return result
        .orTimeout(sendTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(
            error -> {
              Throwable cause = error instanceof CompletionException c ? c.getCause() : error;
              if (cause instanceof TimeoutException || stuck(cause)) {
                replace(p, topic, cause);
              }
              throw kafkaDown(
                  topic,
                  cause instanceof TimeoutException
                      ? "not acknowledged within " + sendTimeout
                      : cause.getMessage());
            });
  }

  /** How many times the API's producer was replaced since start. */
  public int producersReplaced() {
    return replaced.get();
  }

  /**
   * An error after which an idempotent producer cannot write any more (or not before {@code
   * delivery.timeout.ms}): only a new producer id gets the API writing again.
   */
  private static boolean stuck(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof OutOfOrderSequenceException
          || e instanceof ProducerFencedException
          || e instanceof InvalidProducerEpochException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Puts a fresh producer in place of {@code failed}, if it is still the one in use (many sends
   * failing together replace it once). The old one is given {@code send-timeout} to deliver what it
   * still holds, on a thread of its own, then closed.
   */
  private void replace(ApiProducer failed, String topic, Throwable why) {
    synchronized (this) {
      if (producer != failed) {
        return;
      }
      producer = null;
    }
    replaced.incrementAndGet();
    LOG.warn(
        "replacing the registry API's producer after a send to {} failed: {}",
        topic,
        why instanceof TimeoutException
            ? "not acknowledged within " + sendTimeout
            : why.toString());
    Thread closer = new Thread(() -> close(failed, sendTimeout), "registry-api-producer-close");
    closer.setDaemon(true);
    closer.start();
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
  public AutoCloseable bindMeters(Producer<?, ?> producer) {
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

  private ApiProducer producer() {
    ApiProducer p = producer;
    if (p == null) {
      synchronized (this) {
        if (producer == null) {
          Map<String, Object> config = new HashMap<>(kafka.producer());
          config.putIfAbsent(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
          config.put(ProducerConfig.ACKS_CONFIG, "all");
          config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
          config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
          config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "mesh-registry-api");
          // send() itself blocks while it has no metadata for the topic: within the same bound.
          config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, sendTimeout.toMillis());
          Producer<byte[], byte[]> created = producers.create(config);
          producer = new ApiProducer(created, KafkaClientMeters.bind(meters, created));
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

  private ApiException kafkaDown(String topic, Exception cause) {
    return kafkaDown(topic, cause == null ? null : cause.getMessage());
  }

  private ApiException kafkaDown(String topic, String why) {
    return new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE,
        "KAFKA_UNAVAILABLE",
        "cannot write to " + topic + ": " + (why == null ? "no answer" : why) + "; retry shortly",
        Duration.ofSeconds(1));
  }

  private static void close(ApiProducer p, Duration grace) {
    KafkaClientMeters.close(p.meters());
    try {
      p.producer().close(grace);
    } catch (RuntimeException e) {
      LOG.debug("closing a replaced producer: {}", e.toString());
    }
  }

  @PreDestroy
  void close() {
    ApiProducer p = producer;
    if (p != null) {
      close(p, Duration.ofSeconds(5));
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
  }
}
