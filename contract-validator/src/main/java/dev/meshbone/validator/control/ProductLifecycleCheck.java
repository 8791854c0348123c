package dev.meshbone.validator.control;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.ViolationCode;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Decides a product event, keyed by its product id, against the product's state in {@value
 * ControlEvents#LIFECYCLE_STORE}:
 *
 * <ol>
 *   <li>an event whose id is among the product's recently accepted ones is a producer's retry: it
 *       is dropped, with no output at all (the first copy's outcome stands);
 *   <li>otherwise every rule runs ({@link ProductEventChecks#check}, then {@link
 *       ProductEventChecks#lifecycle}) and all reasons are collected;
 *   <li>with no reason the event is accepted: the merged, versioned product ({@link
 *       LifecycleState#accept}) is stored and forwarded; else the violation is forwarded and the
 *       state is left as it was.
 * </ol>
 *
 * Outputs carry no headers: neither the producer's nor the validator's source headers belong on
 * {@code mesh.products} or {@code mesh.violations}.
 */
final class ProductLifecycleCheck
    implements FixedKeyProcessor<String, DataProductEvent, Checked<DataProductEvent>> {
  private FixedKeyProcessorContext<String, Checked<DataProductEvent>> context;
  private KeyValueStore<String, LifecycleState> store;
  private final ControlSettings settings;

  ProductLifecycleCheck(ControlSettings settings) {
    this.settings = settings;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Checked<DataProductEvent>> context) {
    this.context = context;
    this.store = context.getStateStore(ControlEvents.LIFECYCLE_STORE);
  }

  @Override
  public void process(FixedKeyRecord<String, DataProductEvent> record) {
    DataProductEvent event = record.value();
    Source source =
        Source.fromHeaders(record.headers())
            .orElseGet(() -> Source.of(context.recordMetadata().orElseThrow()));
    long now = context.currentSystemTimeMs();
    LifecycleState state = store.get(record.key());
    if (state != null && state.hasAccepted(event.getEventId())) {
      return;
    }
    Reasons reasons;
    try {
      reasons = ProductEventChecks.check(event, source, record.timestamp(), now, settings);
      ProductEventChecks.lifecycle(reasons, event, state == null ? null : state.current());
    } catch (RuntimeException e) {
      // A bug in a check must not stop the stream: the event is refused with what went wrong.
      reasons = new Reasons().add(ViolationCode.OTHER, null, "the check failed: " + e);
    }
    if (reasons.isEmpty()) {
      LifecycleState next = LifecycleState.accept(state, event, settings.rememberedEventIds());
      store.put(record.key(), next);
      context.forward(
          record.withValue(Checked.passed(next.current())).withHeaders(new RecordHeaders()));
    } else {
      context.forward(
          record
              .withValue(
                  Checked.<DataProductEvent>refused(
                      Violations.of(source, event.getProductId(), reasons.list(), now)))
              .withHeaders(new RecordHeaders()));
    }
  }
}
