package dev.meshbone.client.internal;

import dev.meshbone.client.ContractNotRegisteredException;
import dev.meshbone.client.DataProduct;
import dev.meshbone.client.MeshClientException;
import dev.meshbone.client.MeshClientSettings;
import dev.meshbone.client.MeshRequestException;
import dev.meshbone.client.PublishResult;
import dev.meshbone.client.RecordEncodingException;
import dev.meshbone.client.RegistryUnavailableException;
import dev.meshbone.client.UnknownProductException;
import dev.meshbone.contracts.Subjects;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.serde.AvroSerdeConfig;
import dev.meshbone.serde.ConfluentWireFormat;
import dev.meshbone.serde.KafkaAvroSerializer;
import dev.meshbone.serde.SchemaRegistryClient;
import dev.meshbone.serde.SchemaRegistryClientConfig;
import dev.meshbone.serde.SchemaRegistryException;
import dev.meshbone.serde.SubjectNameStrategy;
import dev.meshbone.serde.internal.AvroSchemas;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.ProductId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes product records to their ingest topics: Confluent wire format by the serde's {@link
 * KafkaAvroSerializer} (schemas looked up, never registered), one idempotent {@code acks=all}
 * producer for the whole client, created on the first publish.
 */
public final class RecordPublisher implements AutoCloseable {
  private static final int LINGER_MS = 5;

  private final MeshClientSettings settings;
  private final ProductRegistry registry;
  private final KafkaClients kafka;
  private final KafkaAvroSerializer serializer;
  private final Map<ProductId, Boolean> ready = new ConcurrentHashMap<>();
  private KafkaProducer<byte[], byte[]> producer;
  private boolean closed;

  public RecordPublisher(
      MeshClientSettings settings,
      ProductRegistry registry,
      KafkaClients kafka,
      SchemaRegistryClient schemas) {
    this.settings = settings;
    this.registry = registry;
    this.kafka = kafka;
    Map<String, Object> serde = new HashMap<>(settings.registryProperties());
    serde.put(
        SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG, settings.registryUrl().toString());
    // A producer never changes the contract: the schema must be registered on purpose first.
    serde.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false);
    serde.put(AvroSerdeConfig.USE_LATEST_VERSION_CONFIG, false);
    serde.put(AvroSerdeConfig.VALUE_SUBJECT_NAME_STRATEGY_CONFIG, PRODUCT_SUBJECT);
    this.serializer = new KafkaAvroSerializer(schemas, serde);
  }

  /** {@code <domain>.<product>.ingest} → the product's contract subject, {@code <id>-value}. */
  static final SubjectNameStrategy PRODUCT_SUBJECT =
      (topic, isKey, schema) ->
          DomainTopics.productOfIngest(topic)
              .map(id -> isKey ? Subjects.keySubject(id) : Subjects.valueSubject(id))
              .orElse(Subjects.ofTopic(topic, isKey));

  private synchronized KafkaProducer<byte[], byte[]> producer() {
    if (closed) {
      throw new MeshClientException("the mesh client is closed");
    }
    if (producer == null) {
      Map<String, Object> config = kafka.common("producer");
      long delivery = settings.deliveryTimeout().toMillis();
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
      config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.brokerTimeout().toMillis());
      config.put(
          ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, delivery));
      // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
      config.put(
          ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
          (int) Math.max(1, Math.min(30_000, delivery - LINGER_MS)));
      producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  /**
   * Sends {@code value} under {@code key} to the product's ingest topic. Never throws for a failure
   * of this record: the future fails instead.
   */
  public CompletableFuture<PublishResult> publish(ProductId id, String key, Object value) {
    var result = new CompletableFuture<PublishResult>();
    try {
      String topic = DomainTopics.ingest(id);
      ensureReady(id, topic);
      byte[] bytes = serialize(id, topic, value);
      int schemaId = ConfluentWireFormat.schemaId(bytes);
      byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
      producer()
          .send(
              new ProducerRecord<>(topic, keyBytes, bytes),
              (metadata, error) -> {
                if (error != null) {
                  result.completeExceptionally(kafka.translate(error, "publish a record to " + id));
                } else {
                  result.complete(
                      new PublishResult(
                          id.toString(),
                          metadata.topic(),
                          metadata.partition(),
                          metadata.offset(),
                          Instant.ofEpochMilli(metadata.timestamp()),
                          schemaId));
                }
              });
    } catch (RuntimeException e) {
      result.completeExceptionally(kafka.translate(e, "publish a record to " + id));
    }
    return result;
  }

  /**
   * The first record of a product checks that the registry knows it and that it is not retired, and
   * waits for its ingest topic; later records go straight to the producer.
   */
  private void ensureReady(ProductId id, String topic) {
    if (ready.containsKey(id)) {
      return;
    }
    DataProduct product = registry.find(id);
    if (product == null) {
      throw UnknownProductException.of(id.toString(), "take records");
    }
    if (product.status() == LifecycleStatus.RETIRED) {
      throw new MeshRequestException(
          409,
          "PRODUCT_RETIRED",
          id + " is retired: it takes no more records (they would go to its dead-letter topic)");
    }
    kafka.awaitTopic(topic, id.toString());
    ready.put(id, Boolean.TRUE);
  }

  private byte[] serialize(ProductId id, String topic, Object value) {
    if (value == null) {
      throw new RecordEncodingException(
          "a product record needs a value: null would be a tombstone, which a product topic does"
              + " not take",
          null);
    }
    Schema schema = AvroSchemas.schemaOf(value);
    if (schema == null || schema.getType() != Schema.Type.RECORD) {
      throw new RecordEncodingException(
          "a product record is an Avro record (a GenericRecord or a generated class), not a "
              + value.getClass().getName(),
          null);
    }
    try {
      return serializer.serialize(topic, value);
    } catch (SerializationException e) {
      if (e.getCause() instanceof SchemaRegistryException registryError) {
        if (registryError.isNotFound()) {
          throw new ContractNotRegisteredException(
              id.toString(), id.defaultValueSubject(), schema.getFullName(), e);
        }
        if (registryError.isTransient()) {
          throw new RegistryUnavailableException(
              "the schema registry at "
                  + settings.registryUrl()
                  + " could not be asked for the schema of "
                  + schema.getFullName()
                  + " ("
                  + registryError.getMessage()
                  + "): the record was not sent; try again",
              e);
        }
        throw new MeshRequestException(
            registryError.status(),
            Integer.toString(registryError.errorCode()),
            "the schema registry refused to look up the schema of "
                + schema.getFullName()
                + " for "
                + id
                + ": "
                + registryError.getMessage());
      }
      throw new RecordEncodingException(
          "the record for " + id + " does not match its own schema: " + e.getMessage(), e);
    }
  }

  /** Waits until every record sent so far is acknowledged or failed. */
  public void flush() {
    KafkaProducer<byte[], byte[]> p;
    synchronized (this) {
      p = producer;
    }
    if (p != null) {
      p.flush();
    }
  }

  @Override
  public void close() {
    KafkaProducer<byte[], byte[]> p;
    synchronized (this) {
      closed = true;
      p = producer;
      producer = null;
    }
    if (p != null) {
      p.close(settings.deliveryTimeout());
    }
    serializer.close();
  }
}
