package dev.meshbone.quality.internal;

import dev.meshbone.quality.Refusal;
import dev.meshbone.topics.ProductId;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The first step of every input of the monitor: a record must have a key, a value (unless its input
 * takes a tombstone to mean something), bytes that decode under the input's contract, and a valid
 * product id equal to its key. Anything else is refused with a counted {@link Refusal}, and the
 * stream goes on; what passes goes to the input's {@link Input#onEvent}.
 *
 * <p>Values arrive as bytes and are decoded here rather than by the source's serde, so a record
 * that does not decode is one more counted refusal, not a deserialization failure that depends on
 * the application's exception-handler configuration.
 */
final class MonitorIntake<E> {
  /** What differs between the inputs. */
  interface Input<E> {
    /** What a record is, for refusal messages: {@code quality event}, {@code stats}, ... */
    String what();

    Deserializer<E> decoder();

    String productId(E event);

    /** A record without a value (a tombstone); refused as NULL_VALUE unless overridden. */
    default void onTombstone(MonitorTask task, String key, long now) {
      task.refuse(Refusal.NULL_VALUE, key, what() + " without a value");
    }

    /** A record that passed the intake, keyed by its product id. */
    void onEvent(String key, E event, long now);
  }

  private final Input<E> input;
  private final MonitorTask task;

  MonitorIntake(Input<E> input, MonitorTask task) {
    this.input = input;
    this.task = task;
  }

  void process(Record<String, byte[]> record) {
    String key = record.key();
    if (key == null) {
      task.refuse(Refusal.NULL_KEY, null, input.what() + " without a key");
      return;
    }
    long now = task.now();
    if (record.value() == null) {
      input.onTombstone(task, key, now);
      return;
    }
    E event;
    try {
      event = input.decoder().deserialize(task.topic(), record.value());
    } catch (RuntimeException e) {
      task.refuse(Refusal.UNDECODABLE, key, e.getMessage());
      return;
    }
    String productId = input.productId(event);
    if (!ProductId.isValid(productId)) {
      task.refuse(Refusal.INVALID_PRODUCT_ID, key, "product id '" + productId + "' is not valid");
      return;
    }
    if (!key.equals(productId)) {
      task.refuse(
          Refusal.KEY_MISMATCH, key, "key '" + key + "' but product id '" + productId + "'");
      return;
    }
    input.onEvent(key, event, now);
  }
}
