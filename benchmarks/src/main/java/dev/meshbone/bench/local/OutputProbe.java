package dev.meshbone.bench.local;

import dev.meshbone.events.ChangeType;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.Owner;
import dev.meshbone.events.ProductDescriptor;
import dev.meshbone.events.QualityDimension;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.events.ServiceLevels;
import dev.meshbone.topics.MeshTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What tells that a restarted service does its work again ({@link ServiceRestartBench}'s time to
 * resume output): {@link #mark()} when the old process is gone and the new one is launched, then
 * {@link #awaitResumed(Duration)}.
 */
interface OutputProbe extends AutoCloseable {
  /** What the probe waits for, for the report. */
  String what();

  /** Starts any load the probe needs, once the service first ran. */
  default void start() {}

  void mark();

  /** Seconds from the mark until the service's output moved, or NaN if not within the time. */
  double awaitResumed(Duration within) throws InterruptedException;

  /**
   * Records lost and duplicated over the whole run ("n/a" where nothing is counted); stops the
   * probe's load first.
   */
  default String account() throws InterruptedException {
    return "n/a";
  }

  @Override
  default void close() throws Exception {}

  /** The probe for service {@code name} (a key of {@link ServiceRestartBench#SERVICES}). */
  static OutputProbe of(String name, String bootstrap, int port) {
    return switch (name) {
      case "contract-validator" -> new Validator(bootstrap);
      case "mesh-registry" -> new Registry(port);
      default -> new Quality(bootstrap);
    };
  }

  /** The validator: the first record validated after the restart of a steady 2,000 records/s. */
  final class Validator implements OutputProbe {
    private final String bootstrap;
    private SteadyLoad load;

    Validator(String bootstrap) {
      this.bootstrap = bootstrap;
    }

    @Override
    public String what() {
      return "every partition of the product's validated topic delivers (read_committed) a record"
          + " sent after the new process was launched, under a steady 2,000 records/s";
    }

    @Override
    public void start() {
      load = SteadyLoad.start(bootstrap, 2_000, 2);
    }

    @Override
    public void mark() {
      load.mark();
    }

    @Override
    public double awaitResumed(Duration within) throws InterruptedException {
      return load.awaitResumed(within);
    }

    @Override
    public String account() throws InterruptedException {
      load.stopAndSettle(Duration.ofSeconds(60));
      long n = load.nextSeq();
      return load.lost(0, n) + " / " + load.duplicated(0, n);
    }

    @Override
    public void close() throws Exception {
      if (load != null) {
        load.close();
      }
    }
  }

  /** The registry: the first successful answer to a contract read over HTTP. */
  final class Registry implements OutputProbe {
    private final HttpClient http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI uri;
    private long mark;

    Registry(int port) {
      uri =
          URI.create(
              "http://localhost:" + port + "/subjects/" + SteadyLoad.PRODUCT + "-value/versions");
    }

    @Override
    public String what() {
      return "the first 200 answer to `GET /subjects/bench.orders-value/versions` (a contract"
          + " read from its store), polled every 20 ms";
    }

    @Override
    public void mark() {
      mark = System.nanoTime();
    }

    @Override
    public double awaitResumed(Duration within) throws InterruptedException {
      long deadline = System.nanoTime() + within.toNanos();
      while (System.nanoTime() < deadline) {
        try {
          var r =
              http.send(
                  HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            return (System.nanoTime() - mark) / 1e9;
          }
        } catch (java.io.IOException e) {
          // not up yet
        }
        Thread.sleep(20);
      }
      return Double.NaN;
    }
  }

  /**
   * quality-monitor: the first health update on {@code mesh.quality.status} written by the new
   * process. A steady 20 quality results a second, each the first result of one of 4,000 declared
   * products, so each changes that product's health and is written out.
   */
  final class Quality implements OutputProbe {
    private static final int PRODUCTS = 4_000;
    private final String bootstrap;
    private final MeshTopics topics = MeshTopics.defaults();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile long markMillis = Long.MAX_VALUE;
    private volatile long markNanos;
    private volatile long firstAfter;
    private Thread sender;
    private Thread reader;

    Quality(String bootstrap) {
      this.bootstrap = bootstrap;
    }

    @Override
    public String what() {
      return "the first health update (read_committed) on `mesh.quality.status` written by the new"
          + " process, under a steady 20 quality results/s, each changing a product's health";
    }

    @Override
    public void start() {
      var config = new HashMap<String, Object>();
      config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
      var products = topics.products.valueSerde().serializer();
      for (int i = 0; i < PRODUCTS; i++) {
        String id = "bench.q" + i;
        var event =
            DataProductEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setProductId(id)
                .setDomain("bench")
                .setType(ChangeType.CREATED)
                .setOccurredAt(Instant.now())
                .setDescriptor(
                    ProductDescriptor.newBuilder()
                        .setName(id)
                        .setOwner(Owner.newBuilder().setTeam("bench").build())
                        .setSlos(ServiceLevels.newBuilder().setMinPassRate(0.5).build())
                        .build())
                .setStatus(LifecycleStatus.ACTIVE)
                .setVersion(1)
                .build();
        producer.send(
            new ProducerRecord<>(topics.products.name(), id, products.serialize("", event)));
      }
      producer.flush();
      var quality = topics.quality.valueSerde().serializer();
      sender =
          new Thread(
              () -> {
                try (producer) {
                  for (int i = 0; running.get() && i < PRODUCTS; i++) {
                    String id = "bench.q" + i;
                    var e =
                        QualityEvent.newBuilder()
                            .setEventId(UUID.randomUUID().toString())
                            .setProductId(id)
                            .setDomain("bench")
                            .setCheckName("completeness")
                            .setDimension(QualityDimension.VALIDITY)
                            .setPassed(true)
                            .setMeasuredValue(0.99)
                            .setThreshold(0.95)
                            .setRecordCount(100L)
                            .setOccurredAt(Instant.now())
                            .build();
                    producer.send(
                        new ProducerRecord<>(topics.quality.name(), id, quality.serialize("", e)));
                    TimeUnit.MILLISECONDS.sleep(50);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "quality-load");
      reader = new Thread(this::read, "quality-reader");
      reader.setDaemon(true);
      reader.start();
      sender.start();
    }

    private void read() {
      var config = new HashMap<String, Object>();
      config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      try (var consumer =
          new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        List<TopicPartition> partitions = new ArrayList<>();
        consumer
            .partitionsFor(topics.qualityStatus.name(), Duration.ofMinutes(1))
            .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        while (running.get()) {
          long now = System.nanoTime();
          for (var r : consumer.poll(Duration.ofMillis(50))) {
            if (r.timestamp() >= markMillis && firstAfter == 0) {
              firstAfter = now;
            }
          }
        }
      } catch (RuntimeException e) {
        if (running.get()) {
          System.out.println("the quality status reader stopped: " + e);
        }
      }
    }

    @Override
    public void mark() {
      firstAfter = 0;
      markNanos = System.nanoTime();
      markMillis = System.currentTimeMillis();
    }

    @Override
    public double awaitResumed(Duration within) throws InterruptedException {
      long deadline = System.nanoTime() + within.toNanos();
      while (firstAfter == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      long t = firstAfter;
      return t == 0 ? Double.NaN : (t - markNanos) / 1e9;
    }

    @Override
    public void close() throws Exception {
      running.set(false);
      if (sender != null) {
        sender.join(10_000);
        reader.join(5_000);
      }
    }
  }
}
