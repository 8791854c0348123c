package dev.meshbone.bench.validator;

import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.TopicBootstrapper;
import dev.meshbone.validator.records.ContractCatalog;
import dev.meshbone.validator.records.OutputTopics;
import dev.meshbone.validator.records.RecordLoop;
import dev.meshbone.validator.records.RecordValidation;
import dev.meshbone.validator.records.RecordValidationSettings;
import dev.meshbone.validator.records.StatsCommits;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Validator throughput against a Kafka Streams pass-through of the same shape and a hand-written
 * transactional copy loop, over the same pre-made records and broker in one run.
 *
 * <p>The broker runs in a child JVM. {@code --records} Confluent-format orders (about 200 bytes,
 * {@code --invalid} of them breaking a rule) are written once to {@code bench.orders.ingest}
 * ({@code --partitions}); then each variant, with its own group, reads all of them from the start
 * and writes them to {@code bench.orders} (and the validator its dead letters to {@code
 * bench.orders.dlq}), exactly once, {@code commit.interval.ms} as the validator service has it. A
 * run's rate is its steady rate: the last 90% of the records over the time from the commit that
 * passed 10% (the group's committed input offsets, polled every 10 ms) to the one that reached the
 * end. Variants run in rotating order; {@code --warmup} rounds are discarded and the median of
 * {@code --rounds} is reported, with the harness JVM's CPU time per record.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.meshbone.bench.validator.ValidatorThroughput \
 *   --records 1000000 --rounds 5 --warmup 2
 * </pre>
 */
public final class ValidatorThroughput {
  /** What runs over the records. */
  public enum Variant {
    /** The same shape: pattern source, each record to its product topic, its source partition. */
    PASS_THROUGH,
    /** As above but partitioned by the producer's key hash (keeps order only for keyed records). */
    PASS_THROUGH_HASHED,
    VALIDATOR,
    /**
     * The validator without its producer hook: each task sends its counts on a punctuation every
     * second (not exactly once), as before the counts committed with their records. Not in the
     * suite; it tells what the hook costs.
     */
    VALIDATOR_PUNCTUATED,
    COPY_LOOP,
    /**
     * The validator's record loop ({@code meshbone.validator.record-path=loop}) as the service runs
     * it: {@code RecordLoop} beside a Kafka Streams app that holds the catalog's global stores and
     * sums the loop's count deltas. Its check must refuse some and not all of the records.
     */
    VALIDATOR_LOOP
  }

  private final BenchCluster cluster;
  private final int records;
  private final int partitions;
  private final int commitMs;
  private final int threads;

  private ValidatorThroughput(BenchCluster cluster, Map<String, String> opts) {
    this.cluster = cluster;
    this.records = Integer.parseInt(opts.getOrDefault("records", "1000000"));
    this.partitions = Integer.parseInt(opts.getOrDefault("partitions", "2"));
    this.commitMs = Integer.parseInt(opts.getOrDefault("commit-ms", "20"));
    this.threads = Integer.parseInt(opts.getOrDefault("threads", "1"));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    System.out.println(machine());
    try (var broker = ChildBroker.start()) {
      Summary summary = measure(broker.bootstrapServers(), opts, System.out::println);
      System.out.println();
      System.out.println(
          "| variant | median records/s | median CPU us/record (harness JVM) | runs (records/s) |");
      System.out.println("| --- | --- | --- | --- |");
      for (Variant v : summary.order()) {
        System.out.printf(
            "| %s | %,.0f | %.2f | %s |%n",
            v,
            summary.medianRate(v),
            median(summary.cpus().get(v)),
            summary.rates().get(v).stream().map(r -> String.format("%,.0f", r)).toList());
      }
      // Each validator (the record loop, the service's path; the Streams path) over every other
      // variant, as a ratio of medians and as the median of each round's own ratio: runs of one
      // round are minutes apart at most, so a change in the machine's background load weighs on
      // both sides of it.
      for (Variant validator : List.of(Variant.VALIDATOR_LOOP, Variant.VALIDATOR)) {
        if (!summary.rates().containsKey(validator)) {
          continue;
        }
        double val = summary.medianRate(validator);
        System.out.println();
        for (Variant v : summary.order()) {
          if (v != validator) {
            List<Double> paired = summary.pairedRatios(validator, v);
            System.out.printf(
                "%s / %s = %.2f (ratio of medians), %.2f (median of per-round ratios %s)%n",
                validator,
                v,
                val / summary.medianRate(v),
                median(paired),
                paired.stream().map(x -> String.format("%.2f", x)).toList());
          }
        }
      }
    }
  }

  /**
   * What {@link #measure} found: per variant, the measured rounds' rates (records/s) and harness
   * CPU time per record (µs), and each round's rates for per-round ratios.
   */
  public record Summary(
      List<Variant> order,
      Map<Variant, List<Double>> rates,
      Map<Variant, List<Double>> cpus,
      List<Map<Variant, Double>> byRound,
      int records) {
    public double medianRate(Variant v) {
      return median(rates.get(v));
    }

    /** The validator's rate over {@code v}'s, round by round. */
    public List<Double> pairedRatios(Variant v) {
      return pairedRatios(Variant.VALIDATOR, v);
    }

    /** {@code of}'s rate over {@code over}'s, round by round. */
    public List<Double> pairedRatios(Variant of, Variant over) {
      return byRound.stream().map(m -> m.get(of) / m.get(over)).toList();
    }
  }

  /**
   * Writes the records to a broker that has none yet and runs every variant in rotating order.
   * Options as the command line's, without dashes: records, partitions, commit-ms, threads, rounds,
   * warmup, invalid, variants.
   */
  public static Summary measure(
      String bootstrap, Map<String, String> opts, java.util.function.Consumer<String> log)
      throws Exception {
    int rounds = Integer.parseInt(opts.getOrDefault("rounds", "5"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "2"));
    double invalid = Double.parseDouble(opts.getOrDefault("invalid", "0.01"));
    var cluster = new BenchCluster(bootstrap);
    try {
      var bench = new ValidatorThroughput(cluster, opts);
      cluster.setUp(bench.partitions);
      long t0 = System.nanoTime();
      cluster.produce(bench.records, invalid, 7);
      log.accept(
          String.format(
              "wrote %,d records in %d ms (%.0f B each on the wire)",
              bench.records,
              (System.nanoTime() - t0) / 1_000_000,
              (double) new BenchRecords(7).next(0).length));

      Map<Variant, List<Double>> rates = new LinkedHashMap<>();
      List<Map<Variant, Double>> byRound = new ArrayList<>();
      Map<Variant, List<Double>> cpus = new LinkedHashMap<>();
      Variant[] order =
          java.util.Arrays.stream(
                  opts.getOrDefault(
                          "variants", "PASS_THROUGH,VALIDATOR,COPY_LOOP,PASS_THROUGH_HASHED")
                      .split(","))
              .map(Variant::valueOf)
              .toArray(Variant[]::new);
      for (int round = 0; round < warmup + rounds; round++) {
        Map<Variant, Double> thisRound = new LinkedHashMap<>();
        if (round >= warmup) {
          byRound.add(thisRound);
        }
        for (int k = 0; k < order.length; k++) {
          Variant v = order[(round + k) % order.length];
          Result r = bench.run(v);
          boolean counted = round >= warmup;
          log.accept(
              String.format(
                  "round %d %-12s %,10.0f records/s %6.2f us CPU/record%s",
                  round, v, r.rate(), r.cpuMicrosPerRecord(), counted ? "" : " (warm-up)"));
          if (counted) {
            thisRound.put(v, r.rate());
            rates.computeIfAbsent(v, x -> new ArrayList<>()).add(r.rate());
            cpus.computeIfAbsent(v, x -> new ArrayList<>()).add(r.cpuMicrosPerRecord());
          }
        }
      }
      return new Summary(List.of(order), rates, cpus, byRound, bench.records);
    } finally {
      cluster.admin.close();
    }
  }

  /** One run: its rate, and the harness JVM's CPU time per record while it ran. */
  record Result(double rate, double cpuMicrosPerRecord) {}

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  Result run(Variant v) throws Exception {
    return switch (v) {
      case PASS_THROUGH -> runStreams(passThrough(true), "bench-pass-");
      case PASS_THROUGH_HASHED -> runStreams(passThrough(false), "bench-hashed-");
      case VALIDATOR -> {
        var commits = new StatsCommits();
        yield runStreams(validator(commits), "bench-validator-", commits);
      }
      case VALIDATOR_PUNCTUATED -> runStreams(validator(StatsCommits.NONE), "bench-punct-");
      case COPY_LOOP -> runCopyLoop();
      case VALIDATOR_LOOP -> runRecordLoop();
    };
  }

  /**
   * The validator's record-validation section, alone, its counts committed with its records by the
   * producers of {@code commits.clientSupplier(...)}, as the service runs it.
   */
  static Topology validator(StatsCommits commits) {
    var builder = new StreamsBuilder();
    RecordValidation.addTo(
        builder,
        BenchCluster.TOPICS,
        RecordValidationSettings.defaults()
            .withOutputTopics(OutputTopics.ASSUME_PRESENT)
            .withStatsCommits(commits));
    return builder.build();
  }

  /**
   * The same shape without the check: the same pattern source, each record to its product topic, in
   * the partition it came from. With {@code sourcePartition} false, the sink partitions by key hash
   * instead, which keeps the partitions here only because every benchmark record has a key hashed
   * the same way by its producer (a null-keyed record would land anywhere).
   */
  static Topology passThrough(boolean sourcePartition) {
    var builder = new StreamsBuilder();
    Map<String, String> products = new ConcurrentHashMap<>();
    var records =
        builder.stream(
            RecordValidation.SOURCE_PATTERN,
            Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("ingest-records"));
    if (sourcePartition) {
      // The partitioner cannot see the record's source partition: carry it beside the value, as
      // the validator does.
      KStream<byte[], PassThroughRoute.Out> routed =
          records.process(PassThroughRoute::new, Named.as("route"));
      routed.to(
          (key, value, context) -> value.topic(),
          Produced.with(Serdes.ByteArray(), PassThroughRoute.SERDE)
              .withStreamPartitioner(
                  (topic, key, value, n) -> Optional.of(Set.of(value.partition() % n)))
              .withName("to-product"));
    } else {
      records.to(
          (key, value, context) ->
              products.computeIfAbsent(
                  context.topic(),
                  t -> DomainTopics.validated(DomainTopics.productOfIngest(t).orElseThrow())),
          Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("to-product"));
    }
    return builder.build();
  }

  Properties streamsConfig(String appId) throws Exception {
    var props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
    // As the validator service runs: an idle thread polls 10 ms before it commits, and a task
    // takes what it has fetched (max.task.idle.ms=-1).
    props.put(StreamsConfig.POLL_MS_CONFIG, 10);
    props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
    props.put(
        StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("bench-streams").toString());
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    return props;
  }

  private Result runStreams(Topology topology, String prefix) throws Exception {
    return runStreams(topology, prefix, null);
  }

  private Result runStreams(Topology topology, String prefix, StatsCommits commits)
      throws Exception {
    String appId = prefix + UUID.randomUUID().toString().substring(0, 8);
    String ingest = DomainTopics.ingest(BenchCluster.PRODUCT);
    var streams =
        commits == null
            ? new KafkaStreams(topology, streamsConfig(appId))
            : new KafkaStreams(topology, streamsConfig(appId), commits.clientSupplier(appId));
    streams.start();
    try {
      return untilCommitted(appId, ingest);
    } finally {
      streams.close(Duration.ofSeconds(30));
      streams.cleanUp();
    }
  }

  /** Waits until {@code group} has committed every record of {@code ingest}; the steady rate. */
  private Result untilCommitted(String group, String ingest) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    long from = 0;
    long cpuFrom = 0;
    long committed;
    while ((committed = cluster.committed(group, ingest)) < records) {
      if (from == 0 && committed >= records / 10) {
        from = System.nanoTime();
        cpuFrom = cpuNanos();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(group + " did not finish in 5 minutes");
      }
      Thread.sleep(10);
    }
    return steady(from, cpuFrom);
  }

  /**
   * The service's record loop ({@link Variant#VALIDATOR_LOOP}): Kafka Streams with the catalog and
   * the sums, started first; the loop once it is RUNNING, as the service starts them.
   */
  private Result runRecordLoop() throws Exception {
    String appId = "bench-loop-" + UUID.randomUUID().toString().substring(0, 8);
    String ingest = DomainTopics.ingest(BenchCluster.PRODUCT);
    var stats = BenchCluster.TOPICS.productStats;
    new TopicBootstrapper(cluster.admin, (short) 1, Duration.ofSeconds(30))
        .ensure(List.of(RecordLoop.countsTopicSpec(appId, stats)));
    var valid = new LongAdder();
    var invalid = new LongAdder();
    var settings =
        RecordValidationSettings.defaults()
            .withOutputTopics(OutputTopics.ASSUME_PRESENT)
            .withListener(
                (product, delta) -> {
                  valid.add(delta.getValid());
                  invalid.add(delta.getInvalid());
                });
    var builder = new StreamsBuilder();
    ContractCatalog catalog =
        RecordValidation.addForLoop(
            builder, BenchCluster.TOPICS, settings, RecordLoop.countsTopic(appId));
    Properties props = streamsConfig(appId);
    var streams = new KafkaStreams(builder.build(), props);
    streams.start();
    RecordLoop loop = null;
    try {
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (streams.state() != KafkaStreams.State.RUNNING) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(appId + " not RUNNING after a minute");
        }
        Thread.sleep(10);
      }
      loop = recordLoop(appId, props, catalog, settings);
      loop.start();
      Result result = untilCommitted(appId + "-records", ingest);
      loop.close();
      if (invalid.sum() == 0 || valid.sum() == 0) {
        // The benchmark orders break a rule 1% of the time: a check that refuses none or all of
        // them is not checking them.
        throw new IllegalStateException(
            "the record loop counted " + valid.sum() + " valid, " + invalid.sum() + " invalid");
      }
      return result;
    } finally {
      if (loop != null) {
        loop.close();
      }
      streams.close(Duration.ofSeconds(30));
      streams.cleanUp();
    }
  }

  /**
   * The service's record loop for the app {@code appId} running with {@code props}, reading {@code
   * catalog} (its topology's global stores), not started.
   */
  static RecordLoop recordLoop(
      String appId, Properties props, ContractCatalog catalog, RecordValidationSettings settings) {
    return RecordLoop.forStreams(
        appId,
        props,
        config ->
            new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
        BenchCluster.TOPICS.productStats,
        catalog,
        settings,
        () -> true);
  }

  /**
   * The steady rate: the last 90% of the records, from the moment the first 10% were committed, so
   * start-up and ramp-up (fetch sessions, JIT, first transaction) weigh on no variant.
   */
  private Result steady(long from, long cpuFrom) {
    double n = records - records / 10;
    return new Result(n / ((System.nanoTime() - from) / 1e9), (cpuNanos() - cpuFrom) / 1e3 / n);
  }

  /**
   * A read_committed consumer and a transactional producer, committing offsets in the transaction
   * every {@code commitMs}: each record to the product topic, in its source partition.
   */
  private Result runCopyLoop() throws Exception {
    String group = "bench-copy-" + UUID.randomUUID().toString().substring(0, 8);
    String ingest = DomainTopics.ingest(BenchCluster.PRODUCT);
    String out = DomainTopics.validated(BenchCluster.PRODUCT);
    var consumerConfig = new HashMap<String, Object>();
    consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap);
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
    var producerConfig = cluster.producerConfig();
    producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, group);
    // The producer's default, as the Streams variants' producers have it (the product topic has
    // long been open by now; BenchCluster's one in flight is for topics just created).
    producerConfig.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 100);
    try (var consumer =
            new KafkaConsumer<>(
                consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        var producer = new KafkaProducer<byte[], byte[]>(producerConfig)) {
      producer.initTransactions();
      var parts = cluster.partitions(ingest, partitions);
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long from = 0;
      long cpuFrom = 0;
      long copied = 0;
      long txnStart = 0;
      boolean open = false;
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      while (copied < records || open) {
        var batch = consumer.poll(Duration.ofMillis(100));
        for (ConsumerRecord<byte[], byte[]> r : batch) {
          if (!open) {
            producer.beginTransaction();
            open = true;
            txnStart = System.nanoTime();
          }
          producer.send(
              new ProducerRecord<>(
                  out, r.partition(), r.timestamp(), r.key(), r.value(), r.headers()));
          offsets.put(
              new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
          copied++;
        }
        if (open && (System.nanoTime() - txnStart >= commitMs * 1_000_000L || copied >= records)) {
          producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
          producer.commitTransaction();
          open = false;
          if (from == 0 && copied >= records / 10) {
            from = System.nanoTime();
            cpuFrom = cpuNanos();
          }
        }
      }
      return steady(from, cpuFrom);
    }
  }

  static double median(List<Double> values) {
    var sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static Map<String, String> options(String[] args) {
    var opts = new HashMap<String, String>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    return opts;
  }

  static String machine() {
    return String.format(
        "machine: %d cores, %d MiB max heap, %s %s (%s)",
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"));
  }
}
