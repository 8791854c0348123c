package dev.meshbone.validator.control;

import dev.meshbone.events.ViolationCode;
import dev.meshbone.topics.ProductId;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The first step of a control topic's events: decode the bytes under the mesh's contract and find
 * the product whose state the event is checked against.
 *
 * <ul>
 *   <li>An event that decodes and names a well-formed product of the topic's own domain goes on
 *       keyed by that product id, whatever key the producer gave it, with its {@link Source} in
 *       headers (and no other headers): the next step repartitions it by product id.
 *   <li>Everything else is refused here, keyed by the product id if it is well formed, else by the
 *       producer's raw key: a null value (NULL_VALUE), bytes that do not decode (DECODE_FAILED),
 *       events over {@value #MAX_EVENT_BYTES} bytes, and events with no standing (a malformed or
 *       foreign product id, or a topic of no valid domain), each with every reason the event alone
 *       shows. Their product's state is never consulted: an event for another domain's product has
 *       no business learning or changing that product's state.
 * </ul>
 *
 * Decoding here rather than in the source's serde keeps an undecodable record a violation with the
 * reason, instead of a deserialization-handler log line: nothing is lost and nothing stalls.
 */
final class ControlIntake<E> implements Processor<String, byte[], String, Checked<E>> {
  /**
   * Larger events are refused before they reach the validator's own topics: the product's state
   * (the event plus its remembered ids) must still fit in one changelog record, or the task could
   * not commit and the stream would stall on it. A descriptor is metadata; 256 KiB is plenty.
   */
  static final int MAX_EVENT_BYTES = 256 * 1024;

  /** What differs between product and quality events. */
  interface Kind<E> {
    /** The contract's name, for messages. */
    String contract();

    Deserializer<E> deserializer();

    String productId(E event);

    /** The code for a problem with the event's own fields, such as its size. */
    ViolationCode invalidEventCode();

    /** Every reason the event alone shows. */
    Reasons check(E event, Source source, long recordTimestamp, long now, ControlSettings settings);
  }

  private final Kind<E> kind;
  private ProcessorContext<String, Checked<E>> context;
  private final ControlSettings settings;

  ControlIntake(Kind<E> kind, ControlSettings settings) {
    this.kind = kind;
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<String, Checked<E>> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    Source source = Source.of(context.recordMetadata().orElseThrow());
    long now = context.currentSystemTimeMs();
    if (record.value() == null) {
      refuse(
          record,
          record.key(),
          null,
          source,
          new Reasons()
              .add(
                  ViolationCode.NULL_VALUE,
                  null,
                  "the record has no value (a tombstone); every record on "
                      + source.topic()
                      + " must be a "
                      + kind.contract()),
          now);
      return;
    }
    E event;
    try {
      event = kind.deserializer().deserialize(source.topic(), record.value());
    } catch (RuntimeException e) {
      refuse(
          record,
          record.key(),
          null,
          source,
          new Reasons()
              .add(
                  ViolationCode.DECODE_FAILED,
                  null,
                  "the value ("
                      + record.value().length
                      + " bytes) is not a "
                      + kind.contract()
                      + " in the mesh's single-object encoding (C3 01, schema fingerprint, Avro"
                      + " binary): "
                      + Reasons.cut(String.valueOf(e.getMessage()), 300)),
          now);
      return;
    }
    String productId = kind.productId(event);
    boolean oversized = record.value().length > MAX_EVENT_BYTES;
    Optional<ProductId> standing = Ownership.standing(source, productId);
    if (standing.isPresent() && !oversized) {
      context.forward(
          record
              .withKey(standing.get().toString())
              .withValue(Checked.passed(event))
              .withHeaders(source.toHeaders()));
      return;
    }
    Reasons reasons;
    try {
      reasons = kind.check(event, source, record.timestamp(), now, settings);
      if (oversized) {
        reasons.add(
            kind.invalidEventCode(),
            null,
            "the event is "
                + record.value().length
                + " bytes; a control event may have at most "
                + MAX_EVENT_BYTES);
      }
    } catch (RuntimeException e) {
      // A bug in a check must not stop the stream: the event is refused with what went wrong.
      reasons = new Reasons().add(ViolationCode.OTHER, null, "the check failed: " + e);
    }
    String key = ProductId.isValid(productId) ? productId : record.key();
    refuse(record, key, productId, source, reasons, now);
  }

  /**
   * Forwards the violation keyed by {@code key} (cut if oversized), without the producer's headers.
   */
  private void refuse(
      Record<String, byte[]> record,
      String key,
      String productId,
      Source source,
      Reasons reasons,
      long now) {
    context.forward(
        record
            .withKey(Violations.key(key))
            .withValue(Checked.<E>refused(Violations.of(source, productId, reasons.list(), now)))
            .withHeaders(new RecordHeaders()));
  }
}
