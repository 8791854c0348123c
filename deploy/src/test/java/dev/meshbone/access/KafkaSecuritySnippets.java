package dev.meshbone.access;

import dev.meshbone.client.MeshClient;
import dev.meshbone.client.MeshClientSettings;
import dev.meshbone.serde.KafkaAvroSerializer;
import java.util.Properties;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The examples of docs/security-kafka.md, run by {@link KafkaAccessEndToEndIT} against a broker
 * that takes only SASL/SCRAM-SHA-512; {@link KafkaSecurityDocTest} checks the document shows each
 * region verbatim.
 */
final class KafkaSecuritySnippets {
  private KafkaSecuritySnippets() {}

  /** A domain's SDK client on a SCRAM cluster. */
  static MeshClient connect(String bootstrapServers, String registryUrl, String password) {
    // tag::scram-connect[]
    MeshClient mesh =
        MeshClient.create(
            MeshClientSettings.builder()
                .domain("clinical-trials")
                .bootstrapServers(bootstrapServers)
                .registryUrl(registryUrl)
                // Kafka: the domain's own SCRAM user, by Kafka's setting names
                // (SASL_SSL and ssl.truststore.* on a TLS listener)
                .kafka("security.protocol", "SASL_PLAINTEXT")
                .kafka("sasl.mechanism", "SCRAM-SHA-512")
                .kafka(
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"clinical-trials\" password=\""
                        + password
                        + "\";")
                // the registry: the same domain, by Confluent's setting names
                .registry("basic.auth.credentials.source", "USER_INFO")
                .registry("basic.auth.user.info", "clinical-trials:" + password)
                .build());
    // end::scram-connect[]
    return mesh;
  }

  /** A plain Kafka producer with meshbone's serializer on a SCRAM cluster. */
  static RecordMetadata produce(
      String bootstrapServers, String registryUrl, String password, GenericRecord enrollment)
      throws Exception {
    // tag::scram-serde[]
    var props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("security.protocol", "SASL_PLAINTEXT");
    props.put("sasl.mechanism", "SCRAM-SHA-512");
    props.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"clinical-trials\" password=\""
            + password
            + "\";");
    props.put("key.serializer", StringSerializer.class.getName());
    props.put("value.serializer", KafkaAvroSerializer.class.getName());
    props.put("schema.registry.url", registryUrl);
    props.put("basic.auth.credentials.source", "USER_INFO");
    props.put("basic.auth.user.info", "clinical-trials:" + password);
    try (var producer = new KafkaProducer<String, GenericRecord>(props)) {
      return producer
          .send(new ProducerRecord<>("clinical-trials.enrollments.ingest", "ENR-1", enrollment))
          .get();
    }
    // end::scram-serde[]
  }
}
