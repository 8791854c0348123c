package dev.meshbone.validator.control;

import dev.meshbone.events.ContractViolation;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.ViolationCode;
import dev.meshbone.events.ViolationReason;
import dev.meshbone.serde.MeshEventSerde;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The control-event section of the validator's topology: the domains' product and quality events.
 *
 * <p>Foundation slice: a domain's product events are accepted onto {@code mesh.products} when the
 * domain that owns the topic is the event's domain and the product's; the rest become {@link
 * ContractViolation}s. Descriptor and lifecycle checks and quality events are built on this.
 */
public final class ControlEvents {
  private ControlEvents() {}

  /** Adds the control-event processing to {@code builder}. */
  public static void addTo(StreamsBuilder builder, MeshTopics topics) {
    var productEvents = MeshEventSerde.of(DataProductEvent.class);

    KStream<String, Checked> checked =
        builder.stream(
                DomainTopics.PRODUCT_EVENTS_PATTERN,
                Consumed.with(Serdes.String(), productEvents).withName("product-events"))
            .processValues(OwnershipCheck::new, Named.as("check-ownership"));

    checked
        .split(Named.as("product-event-"))
        .branch(
            (id, c) -> c.violation() == null,
            Branched.withConsumer(
                s ->
                    s.mapValues(Checked::event, Named.as("accepted-event"))
                        .to(
                            topics.products.name(),
                            Produced.with(topics.products.keySerde(), topics.products.valueSerde())
                                .withName("to-products")),
                "accepted"))
        .defaultBranch(
            Branched.withConsumer(
                s ->
                    s.mapValues(Checked::violation, Named.as("violation"))
                        .to(
                            topics.violations.name(),
                            Produced.with(
                                    topics.violations.keySerde(), topics.violations.valueSerde())
                                .withName("to-violations")),
                "refused"));
  }

  /** An event with the violation it caused, if any. */
  record Checked(DataProductEvent event, ContractViolation violation) {}

  /**
   * Checks that the domain owning the topic speaks for the event's product, and only for its own.
   */
  static final class OwnershipCheck
      implements FixedKeyProcessor<String, DataProductEvent, Checked> {
    private FixedKeyProcessorContext<String, Checked> context;

    @Override
    public void init(FixedKeyProcessorContext<String, Checked> context) {
      this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, DataProductEvent> record) {
      DataProductEvent event = record.value();
      var meta = context.recordMetadata().orElseThrow();
      String topicDomain = DomainTopics.domainOfControlTopic(meta.topic()).orElse("?");
      String expected = topicDomain + ".";
      if (event != null
          && topicDomain.equals(event.getDomain())
          && event.getProductId() != null
          && event.getProductId().startsWith(expected)) {
        context.forward(record.withValue(new Checked(event, null)));
        return;
      }
      var reason =
          ViolationReason.newBuilder()
              .setCode(ViolationCode.WRONG_DOMAIN)
              .setField("productId")
              .setMessage(
                  event == null
                      ? "empty event"
                      : "domain "
                          + topicDomain
                          + " published an event for product "
                          + event.getProductId()
                          + " of domain "
                          + event.getDomain()
                          + "; a domain may only speak for its own products")
              .build();
      var violation =
          ContractViolation.newBuilder()
              .setViolationId(UUID.randomUUID().toString())
              .setProductId(event == null ? null : event.getProductId())
              .setSourceDomain(topicDomain)
              .setSourceTopic(meta.topic())
              .setSourcePartition(meta.partition())
              .setSourceOffset(meta.offset())
              .setReasons(List.of(reason))
              .setDetectedAt(Instant.ofEpochMilli(record.timestamp()))
              .build();
      context.forward(record.withValue(new Checked(event, violation)));
    }
  }
}
