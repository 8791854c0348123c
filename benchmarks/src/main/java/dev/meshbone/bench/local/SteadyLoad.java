package dev.meshbone.bench.local;

import dev.meshbone.bench.validator.BenchRecords;
import dev.meshbone.events.ContractEntry;
import dev.meshbone.serde.MeshEventSerde;
import dev.meshbone.topics.DlqHeaders;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.ProductId;
import dev.meshbone.topics.TopicBootstrapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A steady stream of valid orders ({@link BenchRecords}) into the product {@code bench.orders} at a
 * fixed rate, each with its sequence number in a {@code seq} header, and a {@code read_committed}
 * reader of the validator's output that counts every sequence number it reads. After {@link
 * #mark()} (a fault), {@link #resumedAfterMark()} says when every output partition has delivered a
 * record that was sent after the mark: the time to resume output, the producer's own recovery
 * included. The records' timestamps are their send times (the validator keeps them), so "sent after
 * the mark" is read from the record.
 */
final class SteadyLoad implements AutoCloseable {
  static final ProductId PRODUCT = new ProductId("bench", "orders");
  private static final int MAX_SECONDS = 1_200;

  private final String bootstrap;
  private final int rate;
  private final int partitions;
  private final AtomicIntegerArray acked;
  private final AtomicIntegerArray seen;
  private final AtomicLong next = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong outOfOrder = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicBoolean loading = new AtomicBoolean(true);
  private final AtomicLongArray firstAfterMark;
  private final AtomicLongArray ackedAfterMark;
  private volatile long markMillis = Long.MAX_VALUE;
  private volatile long markNanos;
  private final Thread producer;
  private final Thread reader;

  private SteadyLoad(String bootstrap, int rate, int partitions) {
    this.bootstrap = bootstrap;
    this.rate = rate;
    this.partitions = partitions;
    this.acked = new AtomicIntegerArray(rate * MAX_SECONDS);
    this.seen = new AtomicIntegerArray(rate * MAX_SECONDS);
    this.firstAfterMark = new AtomicLongArray(partitions);
    this.ackedAfterMark = new AtomicLongArray(partitions);
    producer = new Thread(this::produce, "steady-load");
    reader = new Thread(this::read, "steady-reader");
    reader.setDaemon(true);
  }

  /**
   * Creates the mesh topics and the product's topics with {@code replicationFactor} and writes its
   * contract, so a contract-validator started against the broker validates the product.
   */
  static void declare(String bootstrap, short replicationFactor, int partitions) throws Exception {
    try (var admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      var bootstrapper = new TopicBootstrapper(admin, replicationFactor, Duration.ofSeconds(60));
      bootstrapper.ensure(MeshTopics.defaults().all());
      bootstrapper.ensure(DomainTopics.productSpecs(PRODUCT, partitions));
    }
    try (var p =
        new KafkaProducer<>(
            producerConfig(bootstrap),
            new StringSerializer(),
            MeshEventSerde.of(ContractEntry.class))) {
      p.send(
              new ProducerRecord<>(
                  MeshTopics.defaults().contracts.name(),
                  BenchRecords.versionKey(),
                  BenchRecords.contract()))
          .get(60, TimeUnit.SECONDS);
    }
  }

  /** Starts sending {@code rate} records a second and reading the output. */
  static SteadyLoad start(String bootstrap, int rate, int partitions) {
    var load = new SteadyLoad(bootstrap, rate, partitions);
    load.reader.start();
    load.producer.start();
    return load;
  }

  /** The sequence number the next record will carry. */
  long nextSeq() {
    return next.get();
  }

  /** Marks a fault: from now on, {@link #resumedAfterMark()} waits for records sent after it. */
  void mark() {
    for (int p = 0; p < partitions; p++) {
      firstAfterMark.set(p, 0);
      ackedAfterMark.set(p, 0);
    }
    markNanos = System.nanoTime();
    markMillis = System.currentTimeMillis();
  }

  /**
   * Seconds from the mark until every output partition delivered a record sent after it, or NaN if
   * that has not happened yet.
   */
  double resumedAfterMark() {
    long latest = 0;
    for (int p = 0; p < partitions; p++) {
      long t = firstAfterMark.get(p);
      if (t == 0) {
        return Double.NaN;
      }
      latest = Math.max(latest, t);
    }
    return (latest - markNanos) / 1e9;
  }

  /**
   * Seconds from the mark until the broker acknowledged, on every ingest partition, a record sent
   * after it (the input side of {@link #resumedAfterMark()}), or NaN if not yet.
   */
  double inputResumedAfterMark() {
    long latest = 0;
    for (int p = 0; p < partitions; p++) {
      long t = ackedAfterMark.get(p);
      if (t == 0) {
        return Double.NaN;
      }
      latest = Math.max(latest, t);
    }
    return (latest - markNanos) / 1e9;
  }

  /** Waits (at most {@code within}) until output resumed after the mark; NaN if it did not. */
  double awaitResumed(Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (Double.isNaN(resumedAfterMark()) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return resumedAfterMark();
  }

  /** Stops sending and waits (at most {@code within}) until every acknowledged record was read. */
  void stopAndSettle(Duration within) throws InterruptedException {
    loading.set(false);
    producer.join();
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline && lost(0, next.get()) > 0) {
      Thread.sleep(200);
    }
  }

  /** Acknowledged records in [from, to) that were never read. */
  long lost(long from, long to) {
    long n = 0;
    for (long s = from; s < to && s < acked.length(); s++) {
      if (acked.get((int) s) > 0 && seen.get((int) s) == 0) {
        n++;
      }
    }
    return n;
  }

  /**
   * Where the first few records lost in [from, to) are: for each, its offset in the ingest topic
   * (read uncommitted: what the broker kept) and its dead letter's reason, if any; "nowhere" where
   * the broker kept no trace of an acknowledged record. Reads both topics from their start.
   */
  List<String> whereLost(long from, long to) {
    Map<Long, String> where = new java.util.TreeMap<>();
    for (long s = from; s < to && s < acked.length() && where.size() < 10; s++) {
      if (acked.get((int) s) > 0 && seen.get((int) s) == 0) {
        where.put(s, "");
      }
    }
    if (where.isEmpty()) {
      return List.of();
    }
    scan(DomainTopics.ingest(PRODUCT), where, r -> "ingest " + r.partition() + "@" + r.offset());
    scan(
        DomainTopics.dlq(PRODUCT),
        where,
        r -> {
          var reason = r.headers().lastHeader(DlqHeaders.REASON);
          return "dead-lettered ("
              + (reason == null ? "?" : new String(reason.value(), StandardCharsets.UTF_8))
              + ")";
        });
    List<String> lines = new ArrayList<>();
    where.forEach((s, w) -> lines.add("seq " + s + ": " + (w.isEmpty() ? "nowhere" : w.strip())));
    return lines;
  }

  private void scan(
      String topic,
      Map<Long, String> where,
      java.util.function.Function<ConsumerRecord<byte[], byte[]>, String> describe) {
    var config = new HashMap<String, Object>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> all = new ArrayList<>();
      consumer.partitionsFor(topic).forEach(i -> all.add(new TopicPartition(topic, i.partition())));
      consumer.assign(all);
      consumer.seekToBeginning(all);
      Map<TopicPartition, Long> end = consumer.endOffsets(all);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline
          && all.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (var r : consumer.poll(Duration.ofMillis(200))) {
          var h = r.headers().lastHeader("seq");
          if (h != null) {
            where.computeIfPresent(
                ByteBuffer.wrap(h.value()).getLong(), (s, w) -> w + " " + describe.apply(r));
          }
        }
      }
    }
  }

  /** Records in [from, to) read more than once. */
  long duplicated(long from, long to) {
    long n = 0;
    for (long s = from; s < to && s < seen.length(); s++) {
      if (seen.get((int) s) > 1) {
        n++;
      }
    }
    return n;
  }

  long refused() {
    return refused.get();
  }

  long outOfOrder() {
    return outOfOrder.get();
  }

  private static Map<String, Object> producerConfig(String bootstrap) {
    var config = new HashMap<String, Object>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return config;
  }

  private void produce() {
    var config = producerConfig(bootstrap);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // A broker may be gone for a while: keep every record until it is written.
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000);
    var records = new BenchRecords(7);
    byte[][] values = new byte[1024][];
    for (int i = 0; i < values.length; i++) {
      values[i] = records.next(0);
    }
    String topic = DomainTopics.ingest(PRODUCT);
    try (var p =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      long t0 = System.nanoTime();
      while (loading.get() && next.get() < acked.length()) {
        long s = next.get();
        long wait = t0 + s * 1_000_000_000L / rate - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        var record =
            new ProducerRecord<>(
                topic,
                ("k" + (s % 64)).getBytes(StandardCharsets.UTF_8),
                values[(int) (s % values.length)]);
        record.headers().add("seq", ByteBuffer.allocate(8).putLong(s).array());
        long sentAt = System.currentTimeMillis();
        p.send(
            record,
            (metadata, e) -> {
              if (e == null) {
                acked.set((int) s, 1);
                if (sentAt >= markMillis && ackedAfterMark.get(metadata.partition()) == 0) {
                  ackedAfterMark.set(metadata.partition(), System.nanoTime());
                }
              } else {
                refused.incrementAndGet();
              }
            });
        next.incrementAndGet();
      }
      p.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void read() {
    var config = new HashMap<String, Object>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    String topic = DomainTopics.validated(PRODUCT);
    List<TopicPartition> assigned = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      assigned.add(new TopicPartition(topic, p));
    }
    long[] last = new long[partitions];
    java.util.Arrays.fill(last, -1);
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(assigned);
      consumer.seekToBeginning(assigned);
      while (running.get()) {
        var batch = consumer.poll(Duration.ofMillis(50));
        long now = System.nanoTime();
        long mark = markMillis;
        for (var r : batch) {
          var h = r.headers().lastHeader("seq");
          if (h == null) {
            continue;
          }
          long s = ByteBuffer.wrap(h.value()).getLong();
          if (s < seen.length()) {
            seen.incrementAndGet((int) s);
          }
          int p = r.partition();
          if (s <= last[p]) {
            outOfOrder.incrementAndGet();
          }
          last[p] = s;
          if (r.timestamp() >= mark && firstAfterMark.get(p) == 0) {
            firstAfterMark.set(p, now);
          }
        }
      }
    } catch (RuntimeException e) {
      if (running.get()) {
        System.out.println("the output reader stopped: " + e);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    loading.set(false);
    producer.join();
    running.set(false);
    reader.join(5_000);
  }
}
