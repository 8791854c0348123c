package dev.meshbone.serde;

import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka Streams serde of {@link GenericRecord}s in the Confluent wire format, a drop-in for
 * Confluent's {@code io.confluent.kafka.streams.serdes.avro.GenericAvroSerde}. Configure it with
 * {@code configure(Map, isKey)} (Kafka Streams does so for {@code default.key.serde}/{@code
 * default.value.serde}; a serde passed to {@code Consumed.with} must be configured by the caller,
 * as with Confluent's). The serializer and deserializer share one registry client.
 *
 * <p>See {@link KafkaAvroSerializer} and {@link KafkaAvroDeserializer} for the semantics and {@link
 * AvroSerdeConfig} for the settings.
 */
public class GenericAvroSerde implements Serde<GenericRecord> {
  private final AvroSerde<GenericRecord> inner;

  public GenericAvroSerde() {
    inner = new AvroSerde<>(null, null, false);
  }

  /** A serde using {@code client} (tests, or one client shared by several serdes). */
  public GenericAvroSerde(SchemaRegistryClient client) {
    inner = new AvroSerde<>(client, null, false);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    inner.configure(configs, isKey);
  }

  @Override
  public Serializer<GenericRecord> serializer() {
    return inner.serializer();
  }

  @Override
  public Deserializer<GenericRecord> deserializer() {
    return inner.deserializer();
  }

  @Override
  public void close() {
    inner.close();
  }
}
