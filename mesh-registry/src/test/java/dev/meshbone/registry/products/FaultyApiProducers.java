package dev.meshbone.registry.products;

import dev.meshbone.registry.products.kafka.ApiProducers;
import dev.meshbone.registry.products.kafka.KafkaApiProducers;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The registry API's producers as real {@link KafkaProducer}s to the test's broker, whose next send
 * a test can make fail the two ways an idempotent producer gets stuck: the record is written but
 * its acknowledgement never comes back (as when the client retries a batch the broker keeps
 * refusing as out of order), or the send fails with {@link OutOfOrderSequenceException}. Only in a
 * registry started with {@code meshbone.test.faulty-api-producer=true}.
 */
@Singleton
@Replaces(KafkaApiProducers.class)
@Requires(property = "meshbone.test.faulty-api-producer", value = "true")
public class FaultyApiProducers implements ApiProducers {
  /** What becomes of the next send, whichever producer makes it. */
  public enum Fault {
    NONE,
    NO_ACKNOWLEDGEMENT,
    OUT_OF_ORDER_SEQUENCE
  }

  private final AtomicReference<Fault> next = new AtomicReference<>(Fault.NONE);

  /** Makes the next send fail so. */
  public void failNextSend(Fault fault) {
    next.set(fault);
  }

  @Override
  public Producer<byte[], byte[]> create(Map<String, Object> config) {
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()) {
      @Override
      public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
        switch (next.getAndSet(Fault.NONE)) {
          case NO_ACKNOWLEDGEMENT -> {
            super.send(record, null);
            return new CompletableFuture<>();
          }
          case OUT_OF_ORDER_SEQUENCE -> {
            var error =
                new OutOfOrderSequenceException(
                    "the broker received an out of order sequence number (test)");
            callback.onCompletion(null, error);
            return CompletableFuture.failedFuture(error);
          }
          default -> {
            return super.send(record, callback);
          }
        }
      }
    };
  }
}
