package dev.meshbone.bench.validator;

import dev.meshbone.contracts.ContractKeys;
import dev.meshbone.events.ContractEntry;
import dev.meshbone.events.ContractVersion;
import dev.meshbone.serde.MeshEventSerde;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.ProductId;
import dev.meshbone.topics.TopicBootstrapper;
import dev.meshbone.validator.records.ContractCatalog;
import dev.meshbone.validator.records.OutputTopics;
import dev.meshbone.validator.records.RecordLoop;
import dev.meshbone.validator.records.RecordValidation;
import dev.meshbone.validator.records.RecordValidationSettings;
import dev.meshbone.validator.records.StatsCommits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * Ingest-to-product latency at a fixed rate, exactly once: a producer writes {@code --rate}
 * records/s (each stamped with its send time) to a product's ingest topic, the app under test
 * validates (or passes) them to the product topic, and a read_committed consumer of the product
 * topic records now - record timestamp for every record after {@code --warmup-seconds}, for {@code
 * --seconds}. Producer, app and consumer share this JVM's clock; the broker runs in a child JVM.
 * The validator on each record path (VALIDATOR: Kafka Streams; VALIDATOR_LOOP: the record loop) and
 * the pass-through run in turn ({@code --variants}), each {@code --rounds} times, each run on a
 * fresh product.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.meshbone.bench.validator.ValidatorLatency \
 *   --rate 5000 --seconds 30 --rounds 2
 * </pre>
 */
public final class ValidatorLatency {
  private ValidatorLatency() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = ValidatorThroughput.options(args);
    System.out.println(ValidatorThroughput.machine());
    try (var broker = ChildBroker.start()) {
      List<Run> runs = measure(broker.bootstrapServers(), opts, System.out::println);
      System.out.println();
      System.out.println("| app | round | records | p50 ms | p90 ms | p99 ms | max ms |");
      System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
      runs.stream().filter(r -> !r.warmUp()).map(Run::row).forEach(System.out::println);
    }
  }

  /**
   * One app's run: ingest-to-product latencies of the records measured, in ms.
   *
   * @param app VALIDATOR, VALIDATOR_LOOP or PASS_THROUGH
   * @param round the round (warm-up rounds first)
   * @param warmUp whether it is a warm-up round, not to be reported
   * @param records how many records were measured
   */
  public record Run(
      String app,
      int round,
      boolean warmUp,
      int records,
      double p50,
      double p90,
      double p99,
      double max) {
    public String row() {
      return String.format(
          "| %s | %s | %,d | %.1f | %.1f | %.1f | %.1f |",
          app,
          warmUp ? round + " (warm-up)" : Integer.toString(round),
          records,
          p50,
          p90,
          p99,
          max);
    }
  }

  /**
   * Runs the validator and the pass-through in turn, each round on a fresh product. Options as the
   * command line's, without dashes: rate, seconds, warmup-seconds, rounds, warmup-rounds,
   * commit-ms, partitions, invalid.
   */
  public static List<Run> measure(
      String bootstrap, Map<String, String> opts, java.util.function.Consumer<String> log)
      throws Exception {
    int rate = Integer.parseInt(opts.getOrDefault("rate", "5000"));
    int seconds = Integer.parseInt(opts.getOrDefault("seconds", "30"));
    int warmupSeconds = Integer.parseInt(opts.getOrDefault("warmup-seconds", "5"));
    int rounds = Integer.parseInt(opts.getOrDefault("rounds", "2"));
    int warmupRounds = Integer.parseInt(opts.getOrDefault("warmup-rounds", "1"));
    int commitMs = Integer.parseInt(opts.getOrDefault("commit-ms", "20"));
    int partitions = Integer.parseInt(opts.getOrDefault("partitions", "2"));
    double invalid = Double.parseDouble(opts.getOrDefault("invalid", "0.01"));
    List<String> variants =
        List.of(opts.getOrDefault("variants", "VALIDATOR,VALIDATOR_LOOP,PASS_THROUGH").split(","));
    log.accept(
        String.format(
            "rate %d records/s, %d s measured after %d s warm-up, commit.interval.ms=%d, %d"
                + " partitions, %.0f%% to the DLQ",
            rate, seconds, warmupSeconds, commitMs, partitions, invalid * 100));
    var cluster = new BenchCluster(bootstrap);
    try {
      cluster.setUp(partitions);
      List<Run> runs = new ArrayList<>();
      String prefix = "lat" + Long.toString(System.currentTimeMillis() % 100_000, 36);
      int n = 0;
      for (int round = 0; round < warmupRounds + rounds; round++) {
        for (String variant : variants) {
          var product = new ProductId(prefix + (n++), "orders");
          prepare(cluster, product, partitions);
          StatsCommits commits = variant.equals("VALIDATOR") ? new StatsCommits() : null;
          long[] latencies =
              run(
                  cluster,
                  variant,
                  commits,
                  product,
                  rate,
                  seconds,
                  warmupSeconds,
                  commitMs,
                  invalid);
          var r =
              new Run(
                  variant,
                  round,
                  round < warmupRounds,
                  latencies.length,
                  pct(latencies, 50),
                  pct(latencies, 90),
                  pct(latencies, 99),
                  pct(latencies, 100));
          log.accept(r.row());
          runs.add(r);
        }
      }
      return runs;
    } finally {
      cluster.admin.close();
    }
  }

  private static void prepare(BenchCluster cluster, ProductId product, int partitions)
      throws Exception {
    new TopicBootstrapper(cluster.admin, (short) 1, Duration.ofSeconds(30))
        .ensure(DomainTopics.productSpecs(product, partitions));
    ContractVersion v = BenchRecords.contract().getVersion();
    var entry =
        ContractEntry.newBuilder()
            .setVersion(
                ContractVersion.newBuilder(v).setSubject(product.defaultValueSubject()).build())
            .build();
    try (var producer =
        new KafkaProducer<>(
            cluster.producerConfig(),
            new StringSerializer(),
            MeshEventSerde.of(ContractEntry.class))) {
      producer
          .send(
              new ProducerRecord<>(
                  MeshTopics.defaults().contracts.name(),
                  ContractKeys.version(product.defaultValueSubject(), 1),
                  entry))
          .get();
    }
  }

  private static long[] run(
      BenchCluster cluster,
      String variant,
      StatsCommits commits,
      ProductId product,
      int rate,
      int seconds,
      int warmupSeconds,
      int commitMs,
      double invalid)
      throws Exception {
    Properties props = new Properties();
    String appId = "lat-" + UUID.randomUUID().toString().substring(0, 8);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
    // As the validator service runs: an idle thread polls 10 ms before it commits, and a task
    // takes what it has fetched (max.task.idle.ms=-1).
    props.put(StreamsConfig.POLL_MS_CONFIG, 10);
    props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    props.put(
        StreamsConfig.STATE_DIR_CONFIG, java.nio.file.Files.createTempDirectory("lat").toString());
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    // Only what is produced from now on: earlier runs' ingest topics match the pattern too.
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "latest");
    RecordLoop loop = null;
    ContractCatalog catalog = null;
    RecordValidationSettings settings =
        RecordValidationSettings.defaults().withOutputTopics(OutputTopics.ASSUME_PRESENT);
    Topology topology;
    switch (variant) {
      case "VALIDATOR" -> topology = ValidatorThroughput.validator(commits);
      case "PASS_THROUGH" -> topology = ValidatorThroughput.passThrough(true);
      case "VALIDATOR_LOOP" -> {
        // The service's record loop beside a Streams app with the catalog and the sums.
        new TopicBootstrapper(cluster.admin, (short) 1, Duration.ofSeconds(30))
            .ensure(List.of(RecordLoop.countsTopicSpec(appId, BenchCluster.TOPICS.productStats)));
        var builder = new StreamsBuilder();
        catalog =
            RecordValidation.addForLoop(
                builder, BenchCluster.TOPICS, settings, RecordLoop.countsTopic(appId));
        topology = builder.build();
      }
      default -> throw new IllegalArgumentException("no latency variant " + variant);
    }
    var streams =
        commits == null
            ? new KafkaStreams(topology, props)
            : new KafkaStreams(topology, props, commits.clientSupplier(appId));
    var running = new java.util.concurrent.CountDownLatch(1);
    streams.setStateListener(
        (now, before) -> {
          if (now == KafkaStreams.State.RUNNING) {
            running.countDown();
          }
        });
    streams.start();
    running.await();
    if (catalog != null) {
      loop = ValidatorThroughput.recordLoop(appId, props, catalog, settings);
      loop.start();
      // Its offsets reset to the end: assigned before the load starts, or it would skip some.
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (loop.assignedPartitions() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    }

    var consumerConfig = new HashMap<String, Object>();
    consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap);
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "lat-reader-" + UUID.randomUUID());
    var out = new ArrayList<TopicPartition>();
    for (var p :
        cluster.partitions(DomainTopics.validated(product), partitionsOf(cluster, product))) {
      out.add(p);
    }
    AtomicBoolean producing = new AtomicBoolean(true);
    long start = System.currentTimeMillis();
    long measureFrom = start + warmupSeconds * 1000L;
    long measureTo = measureFrom + seconds * 1000L;
    Thread load =
        new Thread(
            () -> produce(cluster, product, rate, invalid, producing, measureTo + 2_000),
            "latency-load");
    load.start();
    long[] lat = new long[rate * (seconds + 1)];
    long[] worst = new long[seconds];
    int count = 0;
    try (var consumer =
        new KafkaConsumer<>(
            consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(out);
      consumer.seekToEnd(out);
      consumer.position(out.get(0));
      while (System.currentTimeMillis() < measureTo + 3_000) {
        for (var r : consumer.poll(Duration.ofMillis(50))) {
          long now = System.currentTimeMillis();
          if (r.timestamp() >= measureFrom && r.timestamp() < measureTo && count < lat.length) {
            lat[count++] = now - r.timestamp();
            int second = (int) ((r.timestamp() - measureFrom) / 1000);
            if (second < worst.length) {
              worst[second] = Math.max(worst[second], now - r.timestamp());
            }
          }
        }
      }
    } finally {
      producing.set(false);
      load.join();
      if (loop != null) {
        loop.close();
      }
      streams.close(Duration.ofSeconds(30));
      streams.cleanUp();
    }
    if (Boolean.getBoolean("latency.perSecond")) {
      System.out.println("worst latency per second (ms): " + Arrays.toString(worst));
    }
    long[] result = Arrays.copyOf(lat, count);
    Arrays.sort(result);
    return result;
  }

  private static int partitionsOf(BenchCluster cluster, ProductId product) throws Exception {
    return cluster
        .admin
        .describeTopics(List.of(DomainTopics.validated(product)))
        .allTopicNames()
        .get()
        .get(DomainTopics.validated(product))
        .partitions()
        .size();
  }

  /** Sends at a fixed rate, each record stamped with its send time, until {@code until}. */
  private static void produce(
      BenchCluster cluster,
      ProductId product,
      int rate,
      double invalid,
      AtomicBoolean producing,
      long until) {
    var config = cluster.producerConfig();
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    var records = new BenchRecords(11);
    // Made in advance so the pacing loop only sends.
    byte[][] values = new byte[4096][];
    for (int i = 0; i < values.length; i++) {
      values[i] = records.next(invalid);
    }
    String topic = DomainTopics.ingest(product);
    long intervalNanos = 1_000_000_000L / rate;
    try (var producer = new KafkaProducer<byte[], byte[]>(config)) {
      long next = System.nanoTime();
      long i = 0;
      while (producing.get() && System.currentTimeMillis() < until) {
        long now = System.nanoTime();
        if (now < next) {
          LockSupport.parkNanos(next - now);
          continue;
        }
        byte[] key = ("k" + i).getBytes(StandardCharsets.UTF_8);
        producer.send(
            new ProducerRecord<>(
                topic, null, System.currentTimeMillis(), key, values[(int) (i % values.length)]));
        i++;
        next += intervalNanos;
      }
    }
  }

  private static double pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
