package dev.meshbone.registry.products.kafka;

import java.util.Map;
import org.apache.kafka.clients.producer.Producer;

/**
 * Makes the producer through which the registry API writes ({@link MeshClients}), from its config.
 * A bean so that a test can put a producer it can make fail in its place (around a real one).
 */
@FunctionalInterface
public interface ApiProducers {
  Producer<byte[], byte[]> create(Map<String, Object> config);
}
