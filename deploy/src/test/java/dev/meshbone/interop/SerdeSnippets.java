package dev.meshbone.interop;

import java.util.Properties;

/**
 * The serde configuration docs/serde.md shows, region by region ({@code // tag::name[]} to {@code
 * // end::name[]}): {@code ReadmeSnippetsTest} checks that the page holds each region verbatim, and
 * {@code MeshRegistrySerdeIT} sends and reads records with these exact settings through a real
 * broker and meshbone's registry.
 */
final class SerdeSnippets {
  private SerdeSnippets() {}

  static Properties producer(String bootstrapServers, String registryUrl) {
    // tag::producer[]
    var props = new Properties();
    props.put("bootstrap.servers", bootstrapServers); // localhost:9092 on the local mesh
    props.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    props.put("value.serializer", "dev.meshbone.serde.KafkaAvroSerializer");
    props.put("schema.registry.url", registryUrl); // http://localhost:8081
    // end::producer[]
    return props;
  }

  static Properties consumer(String bootstrapServers, String registryUrl) {
    // tag::consumer[]
    var props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("group.id", "order-reports");
    props.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    props.put("value.deserializer", "dev.meshbone.serde.KafkaAvroDeserializer");
    props.put("schema.registry.url", registryUrl);
    props.put("specific.avro.reader", "true"); // generated classes; without it, GenericRecord
    // end::consumer[]
    return props;
  }
}
