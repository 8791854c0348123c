package dev.meshbone.serde;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka Streams serde of generated Avro classes in the Confluent wire format, a drop-in for
 * Confluent's {@code io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde}: reads with {@code
 * specific.avro.reader=true} whatever the settings say. {@link #SpecificAvroSerde(Class)} also
 * fixes the class records are read into (whatever the writer schema's name) and trusts its package,
 * the usual need with Avro 1.12's trusted packages.
 *
 * <p>See {@link KafkaAvroSerializer} and {@link KafkaAvroDeserializer} for the semantics and {@link
 * AvroSerdeConfig} for the settings.
 */
public class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {
  private final AvroSerde<T> inner;

  /** Reads into the class the writer schema names (its package must be trusted). */
  public SpecificAvroSerde() {
    inner = new AvroSerde<>(null, null, true);
  }

  /** Reads into {@code type}; its package is trusted. */
  public SpecificAvroSerde(Class<T> type) {
    inner = new AvroSerde<>(null, type, true);
  }

  /** A serde using {@code client}, reading into the class the writer schema names. */
  public SpecificAvroSerde(SchemaRegistryClient client) {
    inner = new AvroSerde<>(client, null, true);
  }

  /** A serde using {@code client}, reading into {@code type}. */
  public SpecificAvroSerde(SchemaRegistryClient client, Class<T> type) {
    inner = new AvroSerde<>(client, type, true);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    inner.configure(configs, isKey);
  }

  @Override
  public Serializer<T> serializer() {
    return inner.serializer();
  }

  @Override
  public Deserializer<T> deserializer() {
    return inner.deserializer();
  }

  @Override
  public void close() {
    inner.close();
  }
}
