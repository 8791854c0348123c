package dev.meshbone.registry.products.kafka;

import jakarta.inject.Singleton;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The API's producers as the service runs: plain {@link KafkaProducer}s. */
@Singleton
public class KafkaApiProducers implements ApiProducers {
  @Override
  public Producer<byte[], byte[]> create(Map<String, Object> config) {
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
