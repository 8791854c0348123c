package dev.meshbone.validator.records;

import dev.meshbone.events.ProductStats;
import dev.meshbone.runtime.StreamsCompanion;
import dev.meshbone.topics.CleanupPolicy;
import dev.meshbone.topics.TopicSpec;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Record validation as a plain transactional consume-check-produce loop, beside the validator's
 * Kafka Streams topology (which keeps the contract decisions, the control events, the catalog's
 * global stores and the sums of the counts). Every {@code <domain>.<product>.ingest} record goes to
 * {@code <domain>.<product>}, or to {@code <domain>.<product>.dlq} with its reason, in the
 * partition it came from, exactly once:
 *
 * <ul>
 *   <li>One {@code read_committed} consumer in its own group ({@code <application.id>-records}),
 *       subscribed to the ingest pattern, and one transactional producer. Each transaction holds
 *       the records, their source offsets ({@code sendOffsetsToTransaction} with the consumer's
 *       group metadata, so a member the group has moved on from is fenced by the broker, KIP-447)
 *       and one count delta per product to {@link #countsTopic(String)}, which the topology sums
 *       into {@code mesh.products.stats}: the counts commit or abort with the records they count.
 *   <li>A transaction commits every {@code commit.interval.ms} of the Streams config, and before
 *       partitions are taken away in a rebalance; lost partitions abort it.
 *   <li>A commit the broker refuses because the group moved on (a rebalance) aborts, and each
 *       partition still this member's is read again from the transaction's first record. Any other
 *       failure aborts what is open and starts again with new clients from the committed offsets (a
 *       second later if the last attempt failed at once): nothing is skipped, nothing is written
 *       twice.
 *   <li>Order per partition: one thread, each record to the same partition number of its product
 *       topic or dead-letter topic.
 *   <li>New products: the same pattern subscription and {@link NewProductPickup} as the topology's
 *       consumers, so a declared product's ingest topic is read at once, any other at the next
 *       metadata refresh.
 * </ul>
 *
 * <p>Why not Kafka Streams: the validator's own work is a fraction of a microsecond a record; Kafka
 * Streams' per-record machinery costs the record path about half its throughput against the same
 * loop (docs/benchmarks-notes.md).
 */
public final class RecordLoop implements StreamsCompanion {
  private static final Logger LOG = LoggerFactory.getLogger(RecordLoop.class);

  /** The suffix of the loop's consumer group and transactional id after the application id. */
  static final String SUFFIX = "-records";

  /** The topic suffix, after the application id, of the count deltas the loop commits. */
  static final String COUNTS_SUFFIX = "-record-counts";

  /** How long the count deltas are kept: the topology sums them within moments of their commit. */
  static final Duration COUNTS_RETENTION = Duration.ofDays(1);

  private final Map<String, Object> consumerConfig;
  private final Map<String, Object> producerConfig;
  private final Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers;
  private final TopicSpec<String, ProductStats> stats;
  private final String countsTopic;
  private final ContractCatalog catalog;
  private final RecordValidationSettings settings;
  private final Duration commitInterval;
  private final Duration pollTimeout;
  private final BooleanSupplier catalogLive;
  private final Runnable beforeFirstSession;
  private final Thread thread;
  private volatile boolean closing;
  private volatile boolean failing;
  private volatile boolean stopped;
  private volatile Consumer<byte[], byte[]> current;
  private volatile Producer<byte[], byte[]> currentProducer;
  private volatile int assigned;

  /**
   * @param consumerConfig the loop's consumer config (group, isolation, offsets reset...)
   * @param producerConfig the loop's producer config, with its transactional id
   * @param consumers makes the consumer (for {@link NewProductPickup}'s)
   * @param stats the statistics topic, whose serdes the count deltas use
   * @param countsTopic where the count deltas go
   * @param catalog the contracts, as the topology's global stores load them
   * @param settings record validation's settings
   * @param commitInterval how often a transaction commits while records come
   * @param pollTimeout how long an idle poll waits
   * @param catalogLive false once the catalog stops being kept up to date (Kafka Streams stopped)
   * @param beforeFirstSession runs on the loop's thread before its first consumer joins
   */
  RecordLoop(
      Map<String, Object> consumerConfig,
      Map<String, Object> producerConfig,
      Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers,
      TopicSpec<String, ProductStats> stats,
      String countsTopic,
      ContractCatalog catalog,
      RecordValidationSettings settings,
      Duration commitInterval,
      Duration pollTimeout,
      BooleanSupplier catalogLive,
      Runnable beforeFirstSession) {
    this.consumerConfig = Map.copyOf(consumerConfig);
    this.producerConfig = Map.copyOf(producerConfig);
    this.consumers = consumers;
    this.stats = stats;
    this.countsTopic = countsTopic;
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.settings = settings;
    this.commitInterval = commitInterval;
    this.pollTimeout = pollTimeout;
    this.catalogLive = catalogLive;
    this.beforeFirstSession = beforeFirstSession;
    this.thread =
        new Thread(this::run, consumerConfig.get(CommonClientConfigs.CLIENT_ID_CONFIG) + "");
    // A daemon: a JVM that exits without closing the loop leaves an open transaction, which the
    // broker aborts, as after a crash.
    this.thread.setDaemon(true);
  }

  /**
   * The loop of the validator whose Kafka Streams runs with {@code streamsConfig}: its clients take
   * the Streams config's client settings ({@code consumer.}, {@code main.consumer.}, {@code
   * producer.} prefixes and unprefixed), exactly-once as Streams' own, with the loop's group and
   * transactional id; with a {@code group.instance.id} (static membership) the transactional id is
   * stable across restarts, so a restarted instance fences its crashed self at once.
   */
  public static RecordLoop forStreams(
      String applicationId,
      Properties streamsConfig,
      Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers,
      TopicSpec<String, ProductStats> stats,
      ContractCatalog catalog,
      RecordValidationSettings settings,
      BooleanSupplier catalogLive) {
    var config = new StreamsConfig(streamsConfig);
    String name = applicationId + SUFFIX;
    Map<String, Object> consumer = config.getMainConsumerConfigs(name, name + "-consumer", 0);
    // Only the consumer's own settings: not the Streams assignor and its internal settings.
    consumer.keySet().retainAll(ConsumerConfig.configNames());
    // Sticky and balanced over all the partitions: the default range assignor would give partition
    // 0 of every one-partition ingest topic to the same instance. Cooperative: a rebalance moves
    // only the partitions that change hands, the others go on.
    consumer.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Map<String, Object> producer = config.getProducerConfigs(name + "-producer");
    producer.keySet().retainAll(ProducerConfig.configNames());
    Object instance = consumer.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    producer.put(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
        name + "-" + (instance != null ? instance : UUID.randomUUID()));
    producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    Map<String, Object> admin = config.getAdminConfigs(name + "-admin");
    admin.keySet().retainAll(AdminClientConfig.configNames());
    return new RecordLoop(
        consumer,
        producer,
        consumers,
        stats,
        countsTopic(applicationId),
        catalog,
        settings,
        Duration.ofMillis(config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)),
        Duration.ofMillis(config.getLong(StreamsConfig.POLL_MS_CONFIG)),
        catalogLive,
        () -> takeOverStreamsOffsets(admin, applicationId, name));
  }

  /**
   * When an application that ran the record path in Kafka Streams ({@code record-path=streams})
   * first runs the loop, the loop's group starts each ingest partition where the Streams group (the
   * application id) left it, so moving a deployment to the loop routes no record twice. Only while
   * the loop's group has no committed offset at all; run every instance on the same path (stop the
   * old ones first), or both would route the same records.
   */
  static void takeOverStreamsOffsets(
      Map<String, Object> adminConfig, String streamsGroup, String loopGroup) {
    var stable = new ListConsumerGroupOffsetsOptions().requireStable(true);
    try (Admin admin = Admin.create(adminConfig)) {
      // Whether the loop's group has offsets at all: not "stable" offsets, which the admin client
      // leaves out (UNSTABLE_OFFSET_COMMIT) while a crashed loop's transaction is still open, and
      // would make a group with offsets look empty.
      if (!admin
          .listConsumerGroupOffsets(loopGroup, new ListConsumerGroupOffsetsOptions())
          .partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS)
          .isEmpty()) {
        return;
      }
      Map<TopicPartition, OffsetAndMetadata> left = new HashMap<>();
      admin
          .listConsumerGroupOffsets(streamsGroup, stable)
          .partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS)
          .forEach(
              (partition, offset) -> {
                if (offset != null
                    && RecordValidation.SOURCE_PATTERN.matcher(partition.topic()).matches()) {
                  left.put(partition, new OffsetAndMetadata(offset.offset()));
                }
              });
      if (left.isEmpty()) {
        return;
      }
      admin.alterConsumerGroupOffsets(loopGroup, left).all().get(30, TimeUnit.SECONDS);
      LOG.info(
          "record loop: took over where the Kafka Streams path left {} ingest partitions (group {})",
          left.size(),
          streamsGroup);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      // Most likely another instance's loop joined first (its group is no longer empty): it has
      // taken them over, or has offsets of its own.
      LOG.warn("record loop: did not take over the Kafka Streams path's offsets: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The topic the loop of app {@code applicationId} sends its count deltas to. */
  public static String countsTopic(String applicationId) {
    return applicationId + COUNTS_SUFFIX;
  }

  /** The count deltas' topic as the validator makes it: one partition, a day's retention. */
  public static TopicSpec<String, ProductStats> countsTopicSpec(
      String applicationId, TopicSpec<String, ProductStats> stats) {
    return new TopicSpec<>(
        countsTopic(applicationId),
        1,
        false,
        CleanupPolicy.DELETE,
        Optional.of(COUNTS_RETENTION),
        stats.keySerde(),
        stats.valueSerde(),
        Map.of());
  }

  @Override
  public void start() {
    LOG.info("record loop starting: group {}", consumerConfig.get(ConsumerConfig.GROUP_ID_CONFIG));
    thread.start();
  }

  @Override
  public boolean healthy() {
    return !failing && !stopped;
  }

  @Override
  public String describe() {
    String state = stopped ? "stopped" : failing ? "failing, retrying" : "running";
    return "record loop " + state + ", " + assigned + " ingest partitions";
  }

  Map<String, Object> consumerConfig() {
    return consumerConfig;
  }

  Map<String, Object> producerConfig() {
    return producerConfig;
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    Consumer<byte[], byte[]> consumer = current;
    Producer<byte[], byte[]> producer = currentProducer;
    Map<MetricName, Metric> all = new HashMap<>();
    if (consumer != null) {
      all.putAll(consumer.metrics());
    }
    if (producer != null) {
      all.putAll(producer.metrics());
    }
    return all;
  }

  /** How many ingest partitions the loop's consumer has now. */
  public int assignedPartitions() {
    return assigned;
  }

  @Override
  public void close() {
    closing = true;
    Consumer<byte[], byte[]> consumer = current;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (thread.isAlive() && Thread.currentThread() != thread) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    try {
      beforeFirstSession.run();
      while (!closing) {
        long started = System.nanoTime();
        try {
          new Session().run();
          failing = false;
        } catch (RuntimeException e) {
          if (closing) {
            break;
          }
          failing = true;
          LOG.warn("record loop failed; starting again from the committed offsets", e);
          if (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1)) {
            sleep(Duration.ofSeconds(1));
          }
        }
        if (!catalogLive.getAsBoolean()) {
          LOG.error("record loop stopping: Kafka Streams, which keeps its contracts, has stopped");
          break;
        }
      }
    } finally {
      stopped = true;
      LOG.info("record loop stopped");
    }
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closing = true;
    }
  }

  /** One consumer and one producer, from the committed offsets until a failure or the close. */
  private final class Session implements ConsumerRebalanceListener {
    private final StatsCounts counts = new StatsCounts();
    private final RecordValidator validator =
        new RecordValidator(catalog, settings.maxRecordBytes());
    private final IngestRoute.Routes routes =
        new IngestRoute.Routes(counts, settings.outputTopics());
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    // The offset of each partition's first record in the open transaction.
    private final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    private Consumer<byte[], byte[]> consumer;
    private Producer<byte[], byte[]> producer;
    private boolean open;
    private long openedAt;

    void run() {
      producer =
          new StatsCommittingProducer(
              new KafkaProducer<>(
                  producerConfig, new ByteArraySerializer(), new ByteArraySerializer()),
              counts,
              countsTopic,
              stats.keySerde().serializer(),
              stats.valueSerde().serializer(),
              settings.listener(),
              true,
              System::currentTimeMillis);
      currentProducer = producer;
      try {
        producer.initTransactions();
        consumer = consumers.apply(consumerConfig);
        current = consumer;
        try {
          consumer.subscribe(RecordValidation.SOURCE_PATTERN, this);
          loop();
        } catch (RuntimeException e) {
          // Before the consumer's close, whose revocation would otherwise commit what is open.
          abortQuietly();
          throw e;
        } finally {
          current = null;
          assigned = 0;
          // A clean stop leaves the group even as a static member, so its partitions move at once
          // (as MeshStreams closes Kafka Streams); after a failure the next session's consumer
          // takes the same member's place.
          consumer.close(
              closing
                  ? CloseOptions.timeout(Duration.ofSeconds(10))
                      .withGroupMembershipOperation(
                          CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                  : CloseOptions.timeout(Duration.ofSeconds(10)));
        }
      } catch (RuntimeException e) {
        abortQuietly();
        throw e;
      } finally {
        currentProducer = null;
        producer.close(Duration.ofSeconds(10));
      }
    }

    private void loop() {
      long interval = commitInterval.toNanos();
      long liveCheckedAt = System.nanoTime();
      while (!closing) {
        ConsumerRecords<byte[], byte[]> batch;
        try {
          batch = consumer.poll(pollTimeout);
        } catch (WakeupException e) {
          break;
        }
        if (!batch.isEmpty()) {
          if (!open) {
            producer.beginTransaction();
            open = true;
            openedAt = System.nanoTime();
          }
          for (TopicPartition partition : batch.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> records = batch.records(partition);
            for (ConsumerRecord<byte[], byte[]> record : records) {
              check(record);
            }
            firstOffsets.putIfAbsent(partition, records.get(0).offset());
            offsets.put(
                partition, new OffsetAndMetadata(records.get(records.size() - 1).offset() + 1));
          }
        }
        long now = System.nanoTime();
        if (open && now - openedAt >= interval) {
          commit();
        }
        if (now - liveCheckedAt >= TimeUnit.SECONDS.toNanos(1)) {
          liveCheckedAt = now;
          if (!catalogLive.getAsBoolean()) {
            break;
          }
        }
      }
      if (open) {
        commit();
      }
    }

    private void check(ConsumerRecord<byte[], byte[]> record) {
      String topic = record.topic();
      IngestRoute route = routes.of(topic);
      RejectReason reason = validator.check(record.key(), record.value(), route.contracts(catalog));
      // Counted once sent: the record is then in the open transaction, and so is its count.
      if (reason == null) {
        producer.send(
            new ProducerRecord<>(
                route.productTopic,
                partition(route.productTopic, record.partition()),
                record.timestamp(),
                record.key(),
                record.value(),
                record.headers()));
        route.counts.valid(record.timestamp());
      } else {
        DeadLetter letter =
            DeadLetter.of(
                record.key(),
                record.value(),
                record.headers(),
                reason,
                validator,
                topic,
                record.partition(),
                record.offset(),
                settings.maxRecordBytes());
        producer.send(
            new ProducerRecord<>(
                route.dlqTopic,
                partition(route.dlqTopic, record.partition()),
                record.timestamp(),
                letter.key(),
                letter.value(),
                letter.headers()));
        route.counts.invalid(reason, record.timestamp());
      }
    }

    /** The source partition, or, where the output has fewer, as the topology's sink maps it. */
    private int partition(String topic, int source) {
      return source % producer.partitionsFor(topic).size();
    }

    private void commit() {
      try {
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
      } catch (KafkaException e) {
        if (fatal(e)) {
          throw e;
        }
        // Most often the group moved on while this transaction was open (a rebalance for a new
        // product: "generation id is not valid"): this member may not commit these offsets.
        LOG.info(
            "record loop: commit refused ({}); aborted, reading those records again", e.toString());
        abortAndRewind();
        return;
      }
      closeTransaction();
      failing = false;
    }

    /** Forgets the transaction just committed or aborted: nothing is open. */
    private void closeTransaction() {
      open = false;
      offsets.clear();
      firstOffsets.clear();
    }

    /**
     * Aborts the open transaction and puts each partition it read from, if this member still has
     * it, back to its first record in the transaction: the next transaction reads them again. A
     * partition gone to another member is read from its committed offset there.
     */
    private void abortAndRewind() {
      Map<TopicPartition, Long> rewind = Map.copyOf(firstOffsets);
      closeTransaction();
      producer.abortTransaction();
      Set<TopicPartition> assignment = consumer.assignment();
      rewind.forEach(
          (partition, offset) -> {
            if (assignment.contains(partition)) {
              consumer.seek(partition, offset);
            }
          });
    }

    /** Whether the producer cannot go on after {@code e}: only new clients can. */
    private static boolean fatal(KafkaException e) {
      return e instanceof ProducerFencedException
          || e instanceof InvalidProducerEpochException
          || e instanceof OutOfOrderSequenceException
          || e instanceof FencedInstanceIdException
          || e instanceof AuthorizationException
          || e instanceof UnsupportedVersionException;
    }

    private void abortQuietly() {
      if (!open) {
        return;
      }
      closeTransaction();
      try {
        producer.abortTransaction();
      } catch (RuntimeException e) {
        // Fenced or broken: closing the producer drops the transaction, and the broker aborts it.
        LOG.debug("record loop: abort failed", e);
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // Commit what was read from them before another member reads on.
      if (open) {
        commit();
      }
      assigned = consumer.assignment().size() - partitions.size();
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // Another member may already own them: what is open must not commit. (The classic protocol
      // loses every partition at once: nothing is left to read again here.)
      abortQuietly();
      assigned = 0;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      assigned = consumer.assignment().size();
      failing = false;
    }
  }
}
