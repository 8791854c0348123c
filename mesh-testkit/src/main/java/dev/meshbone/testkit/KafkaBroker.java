package dev.meshbone.testkit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real Kafka broker that a test talks to over the network: the embedded KRaft node of Kafka's own
 * test kit, an external cluster named by {@code KAFKA_BOOTSTRAP_SERVERS}, or a Testcontainers
 * broker. Tests only see its bootstrap servers and a few conveniences, so the same test runs
 * against all three.
 */
public interface KafkaBroker {

  /** The {@code bootstrap.servers} value for clients. */
  String bootstrapServers();

  /** Where the broker comes from, for messages: "embedded", "external" or "testcontainers". */
  String kind();

  /** Client settings every client of this broker needs (security settings on external ones). */
  default Map<String, Object> clientConfig() {
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
  }

  /** A new admin client; the caller closes it. */
  default Admin admin() {
    return Admin.create(clientConfig());
  }

  /**
   * A byte-array producer config: acks=all, idempotent, one request in flight per broker.
   *
   * <p>One in flight because tests produce into topics created a moment before: a first batch can
   * meet a partition its leader has not opened yet (NOT_LEADER_OR_FOLLOWER) while the next batch of
   * the same partition, sent beside it, lands after the partition opened; the broker takes that
   * batch's sequence as the unknown producer's first, and the retried first batch is then refused
   * as out of order on every retry, so the producer never finishes.
   */
  default Map<String, Object> producerConfig() {
    var config = new HashMap<>(clientConfig());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return config;
  }

  /**
   * A byte-array consumer config reading from the earliest offset with {@code read_committed}, so a
   * test only ever sees what a transaction committed.
   */
  default Map<String, Object> consumerConfig(String groupId) {
    var config = new HashMap<>(clientConfig());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return config;
  }

  /** A name no other test uses, for topics, groups and application ids: {@code prefix-<random>}. */
  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Creates topics (replication factor 1) and waits until they exist and their metadata can be
   * described (which lags the create by a moment on a busy machine).
   */
  default void createTopics(int partitions, String... names) {
    try (Admin admin = admin()) {
      admin
          .createTopics(
              List.of(names).stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList())
          .all()
          .get(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (true) {
        try {
          admin.describeTopics(List.of(names)).allTopicNames().get(5, TimeUnit.SECONDS);
          return;
        } catch (java.util.concurrent.ExecutionException notYet) {
          if (System.nanoTime() > deadline) {
            throw notYet;
          }
          Thread.sleep(50);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topics " + List.of(names), e);
    }
  }
}
