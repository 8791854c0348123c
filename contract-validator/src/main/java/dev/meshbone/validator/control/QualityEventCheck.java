package dev.meshbone.validator.control;

import dev.meshbone.events.QualityEvent;
import dev.meshbone.events.ViolationCode;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Decides a quality event, keyed by its product id: every rule of {@link QualityEventChecks}, with
 * the product's lifecycle read from the same {@value ControlEvents#LIFECYCLE_STORE} store the
 * product events write (it only reads it). Accepted events are forwarded unchanged, refused ones as
 * a violation; outputs carry no headers.
 */
final class QualityEventCheck
    implements FixedKeyProcessor<String, QualityEvent, Checked<QualityEvent>> {
  private FixedKeyProcessorContext<String, Checked<QualityEvent>> context;
  private KeyValueStore<String, LifecycleState> store;
  private final ControlSettings settings;

  QualityEventCheck(ControlSettings settings) {
    this.settings = settings;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Checked<QualityEvent>> context) {
    this.context = context;
    this.store = context.getStateStore(ControlEvents.LIFECYCLE_STORE);
  }

  @Override
  public void process(FixedKeyRecord<String, QualityEvent> record) {
    QualityEvent event = record.value();
    Source source =
        Source.fromHeaders(record.headers())
            .orElseGet(() -> Source.of(context.recordMetadata().orElseThrow()));
    long now = context.currentSystemTimeMs();
    LifecycleState state = store.get(record.key());
    Reasons reasons;
    try {
      reasons = QualityEventChecks.check(event, source, now, settings);
      QualityEventChecks.product(reasons, event, state == null ? null : state.current());
    } catch (RuntimeException e) {
      // A bug in a check must not stop the stream: the event is refused with what went wrong.
      reasons = new Reasons().add(ViolationCode.OTHER, null, "the check failed: " + e);
    }
    Checked<QualityEvent> outcome =
        reasons.isEmpty()
            ? Checked.passed(event)
            : Checked.refused(Violations.of(source, event.getProductId(), reasons.list(), now));
    context.forward(record.withValue(outcome).withHeaders(new RecordHeaders()));
  }
}
