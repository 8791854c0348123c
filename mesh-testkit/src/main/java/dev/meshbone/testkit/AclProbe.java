package dev.meshbone.testkit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Tries one operation on one resource as one principal against a real broker, the way a client
 * would, and says whether the broker allowed it: the proof that an ACL does what a table says. Each
 * operation is tried with the request that needs exactly it:
 *
 * <table>
 *   <caption>what is tried</caption>
 *   <tr><td>topic READ</td><td>a consumer without a group fetches the record the topic must
 *       hold</td></tr>
 *   <tr><td>topic WRITE</td><td>a producer without idempotence sends a record</td></tr>
 *   <tr><td>topic CREATE</td><td>the admin client creates a new topic under the name or
 *       prefix</td></tr>
 *   <tr><td>topic DESCRIBE, DESCRIBE_CONFIGS</td><td>describe the topic, its configs</td></tr>
 *   <tr><td>topic DELETE</td><td>delete records before offset 0</td></tr>
 *   <tr><td>group READ</td><td>commit an offset of {@code readableTopic} in the group</td></tr>
 *   <tr><td>group DESCRIBE</td><td>the admin client lists the group's committed offsets</td></tr>
 *   <tr><td>transactional id WRITE</td><td>a transactional producer's {@code
 *       initTransactions}</td></tr>
 *   <tr><td>transactional id DESCRIBE</td><td>describe the transaction</td></tr>
 *   <tr><td>cluster IDEMPOTENT_WRITE</td><td>an idempotent producer sends to {@code
 *       writableTopic}</td></tr>
 *   <tr><td>cluster ALTER, DESCRIBE</td><td>create (then delete) and list ACLs</td></tr>
 * </table>
 *
 * A prefixed topic is tried on its prefix followed by {@code probe}, the wildcard topic on {@code
 * anyTopic}, other prefixed resources and created topics on new random names. Topics tried for
 * anything but CREATE must exist, and a topic tried for READ must hold a record in partition 0.
 */
public final class AclProbe implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Map<String, Object> client;
  private Admin admin;
  private KafkaProducer<byte[], byte[]> producer;
  private KafkaConsumer<byte[], byte[]> consumer;

  /**
   * @param client the settings of the principal's clients (bootstrap and SASL)
   */
  public AclProbe(Map<String, Object> client) {
    this.client = Map.copyOf(client);
  }

  /** What a probe needs beside the binding: topics the principal may read or write, for groups. */
  public record Context(String anyTopic, String readableTopic, String writableTopic) {}

  /**
   * Whether the broker lets this principal do the binding's operation on the binding's resource.
   *
   * @throws IllegalStateException when the probe itself fails for a reason other than authorization
   *     (a missing topic, a timeout)
   */
  public boolean allowed(AclBinding binding, Context context) {
    ResourcePattern pattern = binding.pattern();
    AclOperation op = binding.entry().operation();
    String name = concrete(pattern, op, context);
    try {
      switch (pattern.resourceType()) {
        case TOPIC -> topic(op, name);
        case GROUP -> {
          if (op == AclOperation.DESCRIBE) {
            describeGroup(name);
          } else {
            group(name, context.readableTopic());
          }
        }
        case TRANSACTIONAL_ID -> transactionalId(op, name);
        case CLUSTER -> cluster(op, context.writableTopic());
        default -> throw new IllegalArgumentException("no probe for " + pattern.resourceType());
      }
      return true;
    } catch (AuthorizationException e) {
      return false;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthorizationException) {
        return false;
      }
      throw new IllegalStateException("probe of " + binding + " failed: " + e.getCause(), e);
    } catch (org.apache.kafka.common.KafkaException e) {
      if (e.getCause() instanceof AuthorizationException) {
        return false;
      }
      throw new IllegalStateException("probe of " + binding + " failed: " + e, e);
    } catch (Exception e) {
      throw new IllegalStateException("probe of " + binding + " failed: " + e, e);
    }
  }

  /**
   * The resource a probe tries: a prefixed pattern's prefix followed by {@code probe} (which must
   * exist for topics), the wildcard topic's {@code anyTopic}; a new random name where the probe
   * creates something.
   */
  private static String concrete(ResourcePattern pattern, AclOperation op, Context context) {
    boolean creates = pattern.resourceType() != ResourceType.TOPIC || op == AclOperation.CREATE;
    String random = UUID.randomUUID().toString().substring(0, 8);
    if (pattern.patternType() == PatternType.PREFIXED) {
      return pattern.name() + (creates ? "probe-" + random : "probe");
    }
    if (pattern.name().equals(ResourcePattern.WILDCARD_RESOURCE)) {
      return context.anyTopic() + (creates ? "-" + random : "");
    }
    return pattern.name();
  }

  private void topic(AclOperation op, String topic) throws Exception {
    switch (op) {
      case READ -> read(topic);
      case WRITE -> write(topic, false);
      case CREATE -> {
        {
          admin()
              .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
              .all()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
      case DESCRIBE -> {
        {
          admin()
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
      case DESCRIBE_CONFIGS -> {
        {
          admin()
              .describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic)))
              .all()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
      case DELETE -> {
        {
          admin()
              .deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(0)))
              .all()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
      default -> throw new IllegalArgumentException("no topic probe for " + op);
    }
  }

  private void read(String topic) {
    if (consumer == null) {
      var config = new HashMap<>(client);
      config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
      consumer =
          new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
    var tp = new TopicPartition(topic, 0);
    try {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        if (!consumer.poll(Duration.ofMillis(100)).isEmpty()) {
          return;
        }
      }
    } finally {
      consumer.unsubscribe();
    }
    throw new IllegalStateException(
        "read no record from " + topic + " within " + TIMEOUT + " (does it hold one?)");
  }

  private void write(String topic, boolean idempotent) throws Exception {
    if (!idempotent) {
      if (producer == null) {
        producer = producer(false);
      }
      producer
          .send(new ProducerRecord<>(topic, 0, "probe".getBytes(), "probe".getBytes()))
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    try (var p = producer(true)) {
      p.send(new ProducerRecord<>(topic, 0, "probe".getBytes(), "probe".getBytes()))
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private KafkaProducer<byte[], byte[]> producer(boolean idempotent) {
    var config = new HashMap<>(client);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotent);
    config.put(ProducerConfig.ACKS_CONFIG, idempotent ? "all" : "1");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() - 1000);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private void group(String group, String readableTopic) {
    var config = new HashMap<>(client);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var tp = new TopicPartition(readableTopic, 0);
      consumer.assign(List.of(tp));
      consumer.commitSync(Map.of(tp, new OffsetAndMetadata(0)), TIMEOUT);
    }
  }

  private void describeGroup(String group) throws Exception {
    try {
      admin()
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
        return; // allowed to ask; there is just no such group
      }
      throw e;
    }
  }

  private void transactionalId(AclOperation op, String id) throws Exception {
    if (op == AclOperation.DESCRIBE) {
      try {
        admin()
            .describeTransactions(List.of(id))
            .all()
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof TransactionalIdNotFoundException) {
          return; // allowed to ask; there is just no such transaction
        }
        throw e;
      }
      return;
    }
    if (op != AclOperation.WRITE) {
      throw new IllegalArgumentException("no transactional id probe for " + op);
    }
    var config = new HashMap<>(client);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
    try (var producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
    }
  }

  private void cluster(AclOperation op, String writableTopic) throws Exception {
    switch (op) {
      case IDEMPOTENT_WRITE -> write(writableTopic, true);
      case DESCRIBE -> {
        {
          admin()
              .describeAcls(AclBindingFilter.ANY)
              .values()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
      case ALTER -> {
        var probe =
            new AclBinding(
                new ResourcePattern(
                    ResourceType.TOPIC, "acl-probe-" + UUID.randomUUID(), PatternType.LITERAL),
                new AccessControlEntry(
                    "User:acl_probe", "*", AclOperation.READ, AclPermissionType.ALLOW));
        {
          admin().createAcls(List.of(probe)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
          admin()
              .deleteAcls(List.of(probe.toFilter()))
              .all()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
      default -> throw new IllegalArgumentException("no cluster probe for " + op);
    }
  }

  private Admin admin() {
    if (admin == null) {
      var config = new HashMap<>(client);
      config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
      config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() - 1000);
      admin = Admin.create(config);
    }
    return admin;
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    if (consumer != null) {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** The operations a probe can try on a resource type. */
  public static Set<AclOperation> probed(ResourceType type) {
    return switch (type) {
      case TOPIC ->
          Set.of(
              AclOperation.READ,
              AclOperation.WRITE,
              AclOperation.CREATE,
              AclOperation.DESCRIBE,
              AclOperation.DESCRIBE_CONFIGS,
              AclOperation.DELETE);
      case GROUP -> Set.of(AclOperation.READ, AclOperation.DESCRIBE);
      case TRANSACTIONAL_ID -> Set.of(AclOperation.WRITE, AclOperation.DESCRIBE);
      case CLUSTER ->
          Set.of(AclOperation.IDEMPOTENT_WRITE, AclOperation.ALTER, AclOperation.DESCRIBE);
      default -> Set.of();
    };
  }
}
