package dev.meshbone.bench.validator;

import dev.meshbone.events.ContractEntry;
import dev.meshbone.serde.MeshEventSerde;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.ProductId;
import dev.meshbone.topics.TopicBootstrapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The broker side of the validator benchmarks: topics, the contract, the pre-made records. */
final class BenchCluster {
  static final ProductId PRODUCT = new ProductId("bench", "orders");
  static final MeshTopics TOPICS = MeshTopics.defaults();

  final String bootstrap;
  final Admin admin;

  BenchCluster(String bootstrap) {
    this.bootstrap = bootstrap;
    this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
  }

  /** Creates the mesh topics and the product's three topics, and registers the contract. */
  void setUp(int partitions) throws Exception {
    var bootstrapper = new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(30));
    bootstrapper.ensure(TOPICS.all());
    bootstrapper.ensure(DomainTopics.productSpecs(PRODUCT, partitions));
    try (var producer =
        new KafkaProducer<>(
            producerConfig(), new StringSerializer(), MeshEventSerde.of(ContractEntry.class))) {
      producer
          .send(
              new ProducerRecord<>(
                  TOPICS.contracts.name(), BenchRecords.versionKey(), BenchRecords.contract()))
          .get();
    }
  }

  /**
   * Writes {@code n} records to the ingest topic.
   *
   * @throws IllegalStateException if any record was not written (the variants would wait for it)
   */
  void produce(int n, double invalidShare, long seed) throws Exception {
    var records = new BenchRecords(seed);
    var config = producerConfig();
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    var failure = new java.util.concurrent.atomic.AtomicReference<Exception>();
    try (var producer = new KafkaProducer<byte[], byte[]>(config)) {
      for (int i = 0; i < n; i++) {
        byte[] value = records.next(invalidShare);
        byte[] key = ("k" + i).getBytes(StandardCharsets.UTF_8);
        producer.send(
            new ProducerRecord<>(DomainTopics.ingest(PRODUCT), key, value),
            (metadata, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              }
            });
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("writing the benchmark records failed", failure.get());
    }
  }

  /**
   * acks=all, idempotent, one request in flight: the topics are created a moment before, and with
   * more in flight a first batch refused with NOT_LEADER_OR_FOLLOWER can be overtaken by the next
   * one, after which the broker refuses the retried first batch as out of order until the delivery
   * timeout (the testkit's producers do the same for the same reason).
   */
  Map<String, Object> producerConfig() {
    var config = new HashMap<String, Object>();
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return config;
  }

  /** The sum of the group's committed offsets on the topic. */
  long committed(String group, String topic)
      throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS);
    long sum = 0;
    for (var e : offsets.entrySet()) {
      if (e.getKey().topic().equals(topic) && e.getValue() != null) {
        sum += e.getValue().offset();
      }
    }
    return sum;
  }

  /** The sum of the end offsets of the topic's partitions. */
  long endOffsets(String topic, int partitions) throws Exception {
    var request = new HashMap<TopicPartition, OffsetSpec>();
    for (int p = 0; p < partitions; p++) {
      request.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    long sum = 0;
    for (var info : admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).values()) {
      sum += info.offset();
    }
    return sum;
  }

  List<TopicPartition> partitions(String topic, int n) {
    return java.util.stream.IntStream.range(0, n)
        .mapToObj(p -> new TopicPartition(topic, p))
        .toList();
  }
}
