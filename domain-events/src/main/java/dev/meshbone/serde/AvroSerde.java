package dev.meshbone.serde;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** The shared inside of {@link GenericAvroSerde} and {@link SpecificAvroSerde}. */
final class AvroSerde<T> {
  private final Class<?> readerType;
  private final boolean specific;
  private SchemaRegistryClient client;
  private boolean ownsClient;
  private KafkaAvroSerializer serializer;
  private KafkaAvroDeserializer deserializer;

  AvroSerde(SchemaRegistryClient client, Class<?> readerType, boolean specific) {
    this.client = client;
    this.readerType = readerType;
    this.specific = specific;
    if (client != null) {
      build();
    }
  }

  private void build() {
    serializer = new KafkaAvroSerializer(client);
    deserializer = new KafkaAvroDeserializer(client);
    // Usable unconfigured (with an explicit client): the serde's kind still decides.
    deserializer.configure(Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, specific), false);
    if (readerType != null) {
      deserializer.useReaderType(readerType);
    }
  }

  synchronized void configure(Map<String, ?> configs, boolean isKey) {
    Map<String, Object> props = new HashMap<>(configs);
    // As Confluent's serdes: the serde's kind decides, whatever the settings say.
    props.put(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, specific);
    if (!specific) {
      props.remove(AvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE_CONFIG);
      props.remove(AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE_CONFIG);
    }
    if (client == null) {
      client = RestSchemaRegistryClient.fromConfig(props);
      ownsClient = true;
      build();
    }
    serializer.configure(props, isKey);
    deserializer.configure(props, isKey);
    if (readerType != null) {
      deserializer.useReaderType(readerType);
    }
  }

  private void requireConfigured() {
    if (serializer == null) {
      throw new IllegalStateException(
          "the Avro serde is not configured: call configure(Map.of(\"schema.registry.url\", ...),"
              + " isKey) first (Kafka Streams only does so for default.key.serde and"
              + " default.value.serde)");
    }
  }

  Serializer<T> serializer() {
    return new Serializer<>() {
      @Override
      public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerde.this.configure(configs, isKey);
      }

      @Override
      public byte[] serialize(String topic, T data) {
        requireConfigured();
        return serializer.serialize(topic, data);
      }

      @Override
      public byte[] serialize(String topic, Headers headers, T data) {
        return serialize(topic, data);
      }
    };
  }

  @SuppressWarnings("unchecked")
  Deserializer<T> deserializer() {
    return new Deserializer<>() {
      @Override
      public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerde.this.configure(configs, isKey);
      }

      @Override
      public T deserialize(String topic, byte[] data) {
        requireConfigured();
        return (T) deserializer.deserialize(topic, data);
      }

      @Override
      public T deserialize(String topic, Headers headers, byte[] data) {
        return deserialize(topic, data);
      }
    };
  }

  synchronized void close() {
    if (serializer != null) {
      serializer.close();
      deserializer.close();
    }
    if (ownsClient && client != null) {
      client.close();
    }
  }
}
