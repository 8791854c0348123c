package dev.meshbone.bench.quality;

import dev.meshbone.events.AlertState;
import dev.meshbone.events.ChangeType;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.Owner;
import dev.meshbone.events.ProductDescriptor;
import dev.meshbone.events.QualityAlert;
import dev.meshbone.events.QualityDimension;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.events.ServiceLevels;
import dev.meshbone.quality.MonitorListener;
import dev.meshbone.quality.QualitySettings;
import dev.meshbone.quality.QualityTopology;
import dev.meshbone.testkit.EmbeddedKafkaBroker;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.TopicBootstrapper;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * End-to-end harness of quality-monitor against an embedded broker (in this JVM), with the real
 * topology under the service's own Streams settings (exactly-once v2, 100 ms commits):
 *
 * <ol>
 *   <li><b>Throughput</b>: {@code --events} quality events (all passing, spread over {@code
 *       --products} products) are written to {@code mesh.quality} first; then the monitor starts
 *       and the time from RUNNING until its committed offsets reach the end of the topic gives
 *       events per second through the monitor (decode, state, evaluation, status on change).
 *   <li><b>Alert latency</b>: with a background load of {@code --background-rate} events/s, one
 *       failing check is sent to each of {@code --samples} fresh products (minPassRate 0.9), and
 *       the time from its send to the RAISED alert read ({@code read_committed}) from {@code
 *       mesh.quality.alerts} is recorded; p50, p99 and max.
 * </ol>
 *
 * <p>Run: {@code mvn -B -q -pl benchmarks -am package -DskipTests && java -cp
 * benchmarks/target/benchmarks.jar dev.meshbone.bench.quality.QualityMonitorBench [--events N]
 * [--products N] [--samples N] [--background-rate N] [--threads N]}
 */
public final class QualityMonitorBench {
  private final Map<String, String> options;
  private final MeshTopics topics = MeshTopics.defaults();
  private final java.util.concurrent.atomic.AtomicLong refused =
      new java.util.concurrent.atomic.AtomicLong();
  private final MonitorListener counting =
      new MonitorListener() {
        @Override
        public void refused(
            String topic, dev.meshbone.quality.Refusal reason, String productId, String detail) {
          refused.incrementAndGet();
        }
      };

  private QualityMonitorBench(Map<String, String> options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    var options = new HashMap<String, String>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    new QualityMonitorBench(options).run();
    System.exit(0);
  }

  private int option(String name, int fallback) {
    return Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
  }

  private void run() throws Exception {
    int events = option("events", 300_000);
    int products = option("products", 200);
    int samples = option("samples", 300);
    int backgroundRate = option("background-rate", 2_000);
    int threads = option("threads", 1);

    try (var broker = EmbeddedKafkaBroker.start();
        Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(30)).ensure(topics.all());
      var producer = producer(broker.bootstrapServers());

      // Products: the load products and the latency products.
      var healthy = ServiceLevels.newBuilder().setMinPassRate(0.5).build();
      var strict = ServiceLevels.newBuilder().setMinPassRate(0.9).build();
      for (int p = 0; p < products; p++) {
        sendProduct(producer, "bench.load-" + p, healthy);
      }
      for (int s = 0; s < samples; s++) {
        sendProduct(producer, "bench.latency-" + s, strict);
      }

      // Throughput: the events are there before the monitor starts.
      var serde = topics.quality.valueSerde().serializer();
      long base = System.currentTimeMillis();
      for (int i = 0; i < events; i++) {
        String id = "bench.load-" + (i % products);
        QualityEvent e = event(id, "check-" + (i % 5), true, Instant.ofEpochMilli(base + i / 100));
        producer.send(new ProducerRecord<>(topics.quality.name(), id, serde.serialize("", e)));
      }
      producer.flush();

      String appId = "bench-quality-" + UUID.randomUUID().toString().substring(0, 8);
      var streams = startMonitor(broker.bootstrapServers(), appId, threads);
      long running = awaitRunning(streams);
      long done = awaitConsumed(admin, appId, topics.quality.name());
      double seconds = (done - running) / 1e9;
      System.out.printf(
          "%nthroughput: %,.0f quality events/s through the monitor (%,d events, %,d products,"
              + " %d partitions, %d stream thread(s), exactly-once, %.2f s)%n",
          events / seconds, events, products, topics.quality.partitions(), threads, seconds);

      // Latency: failing check -> RAISED alert, under background load.
      var latencies =
          latency(broker.bootstrapServers(), producer, samples, backgroundRate, products);
      Arrays.sort(latencies);
      System.out.printf(
          "alert latency (failing check sent -> RAISED alert read, read_committed), %d samples at"
              + " %,d events/s background: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n%n",
          latencies.length,
          backgroundRate,
          percentile(latencies, 0.50),
          percentile(latencies, 0.99),
          latencies[latencies.length - 1]);

      System.out.printf("refused input records: %d (expected 0)%n", refused.get());
      streams.close(Duration.ofSeconds(30));
      producer.close();
    }
  }

  private double[] latency(
      String bootstrap,
      KafkaProducer<String, byte[]> producer,
      int samples,
      int backgroundRate,
      int products)
      throws Exception {
    var serde = topics.quality.valueSerde().serializer();
    var sentAt = new ConcurrentHashMap<String, Long>();
    var receivedAt = new ConcurrentHashMap<String, Long>();
    var stop = new AtomicBoolean();

    var consumerProps = new Properties();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    var alertSerde = topics.qualityAlerts.valueSerde().deserializer();
    Thread reader =
        new Thread(
            () -> {
              try (var consumer =
                  new KafkaConsumer<>(
                      consumerProps, new StringDeserializer(), new ByteArrayDeserializer())) {
                var partitions =
                    consumer.partitionsFor(topics.qualityAlerts.name()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                sentAt.put("ready", 0L);
                while (!stop.get()) {
                  for (var r : consumer.poll(Duration.ofMillis(50))) {
                    QualityAlert alert = alertSerde.deserialize(r.topic(), r.value());
                    if (alert.getState() == AlertState.RAISED) {
                      receivedAt.putIfAbsent(alert.getProductId(), System.nanoTime());
                    }
                  }
                }
              }
            },
            "alert-reader");
    reader.start();
    while (!sentAt.containsKey("ready")) {
      Thread.sleep(10);
    }
    sentAt.remove("ready");

    Thread background =
        new Thread(
            () -> {
              long interval = 1_000_000_000L / Math.max(1, backgroundRate);
              long next = System.nanoTime();
              int i = 0;
              while (!stop.get()) {
                String id = "bench.load-" + (i % products);
                QualityEvent e = event(id, "check-" + (i % 5), true, Instant.now());
                producer.send(
                    new ProducerRecord<>(topics.quality.name(), id, serde.serialize("", e)));
                i++;
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                  java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
              }
            },
            "background-load");
    background.start();
    Thread.sleep(2_000); // let the background load settle

    for (int s = 0; s < samples; s++) {
      String id = "bench.latency-" + s;
      byte[] value = serde.serialize("", event(id, "must-pass", false, Instant.now()));
      sentAt.put(id, System.nanoTime());
      producer.send(new ProducerRecord<>(topics.quality.name(), id, value));
      Thread.sleep(20);
    }
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (receivedAt.size() < samples && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    stop.set(true);
    background.join();
    reader.join();
    if (receivedAt.size() < samples) {
      System.out.printf("warning: only %d of %d alerts arrived%n", receivedAt.size(), samples);
    }
    List<Double> result = new ArrayList<>();
    sentAt.forEach(
        (id, t) -> {
          Long r = receivedAt.get(id);
          if (r != null) {
            result.add((r - t) / 1e6);
          }
        });
    return result.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private KafkaStreams startMonitor(String bootstrap, String appId, int threads) throws Exception {
    var props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    props.put(
        StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("bench-quality").toString());
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    var streams =
        new KafkaStreams(
            QualityTopology.build(topics, QualitySettings.defaults(), counting), props);
    streams.start();
    return streams;
  }

  private static long awaitRunning(KafkaStreams streams) throws InterruptedException {
    while (streams.state() != KafkaStreams.State.RUNNING) {
      Thread.sleep(5);
    }
    return System.nanoTime();
  }

  private static long awaitConsumed(Admin admin, String group, String topic) throws Exception {
    var partitions =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    Map<TopicPartition, Long> end =
        admin
            .listOffsets(
                partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
            .all()
            .get()
            .entrySet()
            .stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    while (true) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      boolean all =
          end.entrySet().stream()
              .allMatch(
                  e -> {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    return c != null && c.offset() >= e.getValue();
                  });
      if (all) {
        return System.nanoTime();
      }
      Thread.sleep(20);
    }
  }

  private KafkaProducer<String, byte[]> producer(String bootstrap) {
    var props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 65_536);
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  private void sendProduct(KafkaProducer<String, byte[]> producer, String id, ServiceLevels slos) {
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
                    .setSlos(slos)
                    .build())
            .setStatus(LifecycleStatus.ACTIVE)
            .setVersion(1)
            .build();
    producer.send(
        new ProducerRecord<>(
            topics.products.name(),
            id,
            topics.products.valueSerde().serializer().serialize("", event)));
  }

  private static QualityEvent event(String id, String check, boolean passed, Instant at) {
    return QualityEvent.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setProductId(id)
        .setDomain("bench")
        .setCheckName(check)
        .setDimension(QualityDimension.VALIDITY)
        .setPassed(passed)
        .setMeasuredValue(0.99)
        .setThreshold(0.95)
        .setRecordCount(100L)
        .setOccurredAt(at)
        .build();
  }

  private static double percentile(double[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
