package dev.meshbone.validator.control;

import dev.meshbone.events.ContractViolation;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.events.ViolationCode;
import dev.meshbone.serde.MeshEventSerde;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.TopicSpec;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control-event section of the validator's topology: every domain's {@code
 * <domain>.mesh.product-events} and {@code <domain>.mesh.quality-events}, checked, to {@code
 * mesh.products} (merged and versioned), {@code mesh.quality} and {@code mesh.violations}.
 *
 * <pre>
 * &lt;d&gt;.mesh.product-events ─ intake ─┬─ refused ─────────────────────────────────────▶ mesh.violations
 *   (pattern, bytes)           └─ by product id ─▶ lifecycle check ─┬─ accepted ▶ mesh.products
 *                                 (repartition)     (store)         └─ refused  ▶ mesh.violations
 * &lt;d&gt;.mesh.quality-events ─ intake ─┬─ refused ─────────────────────────────────────▶ mesh.violations
 *   (pattern, bytes)           └─ by product id ─▶ quality check  ─┬─ accepted ▶ mesh.quality
 *                                 (repartition)   (same store, read) └─ refused  ▶ mesh.violations
 * </pre>
 *
 * <h2>Sources</h2>
 *
 * Both topics are read by pattern, so a new domain's topics are picked up without a restart, at the
 * consumer's next metadata refresh ({@code metadata.max.age.ms}, which the validator sets to 10 s).
 * Values are read as bytes and decoded by {@link ControlIntake}, so a record that does not decode,
 * or a null, becomes a violation with the reason instead of reaching the deserialization handler:
 * no record is lost and none stops the stream. See {@link ControlIntake} for what is refused before
 * any state is consulted.
 *
 * <h2>Why repartition by product id</h2>
 *
 * A product's lifecycle state must live in exactly one task, or two tasks could each accept a
 * CREATED for it. The control topics are keyed by product id, but the validator cannot make
 * producers honour that: a plain Kafka client may key by something else, pick partitions itself, or
 * a domain may create its topics with another partition count. Checking {@code key == productId}
 * and refusing otherwise would not be enough either: a record with the right key sent to another
 * partition (a custom partitioner) would still reach the wrong task's state. So the intake re-keys
 * every event with standing by its product id and repartitions it through a named repartition topic
 * ({@value #PRODUCT_REPARTITION}, {@value #QUALITY_REPARTITION}) with the default partitioner and
 * the partition count of {@code mesh.products}: the product's events then meet its state whatever
 * key or partition they arrived with, and a key that is not the product id is not a violation. The
 * cost is one more write and read per control event; control events are lifecycle changes and check
 * results, not the records of a product, so it is small. Order is kept: a product's events from one
 * source partition reach its repartition partition in that order.
 *
 * <h2>Why quality events share the lifecycle store</h2>
 *
 * A quality event is accepted only for a product that exists and is not RETIRED. It reads that from
 * the same {@value #LIFECYCLE_STORE} store the product events write, rather than from a view of
 * {@code mesh.products}: the view would see the validator's own decisions only after their
 * transaction commits and is read back, so a quality result sent right after its product's CREATED
 * could be refused as an unknown product, and a GlobalKTable is not synchronised with the stream at
 * all. Sharing the store puts both repartitioned streams in one sub-topology, whose task {@code p}
 * reads partition {@code p} of both repartition topics: that is why both are declared with the same
 * partition count and the same (default) partitioner over the same key, which co-partitions them.
 * Within a task, Kafka Streams takes the record with the lowest timestamp among what it has fetched
 * from the two, so a quality result stamped after its product's CREATED is normally judged after
 * it. That is best effort, not a guarantee: the two streams reach the task through two repartition
 * topics, fed by two intake sub-topologies that keep no order between them, and the validator runs
 * with {@code max.task.idle.ms=-1} (a task takes what it has fetched rather than wait for a
 * partition with records still on the broker; see {@code ValidatorStreamsApp}): a domain that must
 * not have its very first results refused waits until the product shows on {@code mesh.products}
 * (or in the registry) before publishing them. A refused result is never silent: it is on {@code
 * mesh.violations} as UNKNOWN_PRODUCT.
 *
 * <h2>State</h2>
 *
 * {@value #LIFECYCLE_STORE}: product id to {@link LifecycleState} (the product as last written to
 * {@code mesh.products}, plus the ids of its recently accepted events), a persistent store with a
 * changelog, so exactly-once processing makes the state, the outputs and the input offsets commit
 * together.
 *
 * <h2>Settings</h2>
 *
 * {@link ControlSettings}, given by the topology function (in the service: {@code
 * meshbone.validator.control.*}).
 */
public final class ControlEvents {
  private static final Logger LOG = LoggerFactory.getLogger(ControlEvents.class);

  /** Product id to {@link LifecycleState}. */
  public static final String LIFECYCLE_STORE = "control-product-lifecycle";

  /**
   * The repartition of product events by product id (topic {@code <app id>-<name>-repartition}).
   */
  public static final String PRODUCT_REPARTITION = "control-product-events-by-product";

  /** The repartition of quality events by product id. */
  public static final String QUALITY_REPARTITION = "control-quality-events-by-product";

  /** The {@link ControlListener} kind of product events. */
  public static final String PRODUCT_EVENTS_KIND = "product-events";

  /** The {@link ControlListener} kind of quality events. */
  public static final String QUALITY_EVENTS_KIND = "quality-events";

  private ControlEvents() {}

  /** Adds the control-event processing to {@code builder}, with the default settings. */
  public static void addTo(StreamsBuilder builder, MeshTopics topics) {
    addTo(builder, topics, ControlSettings.defaults());
  }

  /** Adds the control-event processing to {@code builder}. */
  public static void addTo(StreamsBuilder builder, MeshTopics topics, ControlSettings settings) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(LIFECYCLE_STORE),
            Serdes.String(),
            new LifecycleStateSerde()));
    int partitions = topics.products.partitions();

    section(
        builder,
        topics,
        "control-product-events",
        PRODUCT_EVENTS_KIND,
        DomainTopics.PRODUCT_EVENTS_PATTERN,
        PRODUCTS,
        PRODUCT_REPARTITION,
        partitions,
        settings,
        () -> new ProductLifecycleCheck(settings),
        topics.products);
    section(
        builder,
        topics,
        "control-quality-events",
        QUALITY_EVENTS_KIND,
        DomainTopics.QUALITY_EVENTS_PATTERN,
        QUALITY,
        QUALITY_REPARTITION,
        partitions,
        settings,
        () -> new QualityEventCheck(settings),
        topics.quality);
  }

  /** One control topic pattern: intake, repartition, stateful check, routing. */
  private static <E> void section(
      StreamsBuilder builder,
      MeshTopics topics,
      String name,
      String kindName,
      Pattern pattern,
      EventKind<E> kind,
      String repartition,
      int partitions,
      ControlSettings settings,
      FixedKeyProcessorSupplier<String, E, Checked<E>> check,
      TopicSpec<String, E> accepted) {
    KStream<String, Checked<E>> intake =
        builder.stream(pattern, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(name))
            .process(() -> new ControlIntake<>(kind, settings), Named.as(name + "-intake"));

    KStream<String, E> standing =
        intake
            .split(Named.as(name + "-intake-"))
            .branch(
                (key, checked) -> checked.isRefused(),
                Branched.withConsumer(
                    s -> toViolations(s, topics, name + "-intake", kindName, settings.listener()),
                    "refused"))
            .defaultBranch(Branched.as("standing"))
            .get(name + "-intake-standing")
            .mapValues(Checked::event, Named.as(name + "-standing"));

    standing
        .repartition(
            Repartitioned.<String, E>as(repartition)
                .withKeySerde(Serdes.String())
                .withValueSerde(kind.serde())
                .withNumberOfPartitions(partitions))
        .processValues(check, Named.as(name + "-check"), LIFECYCLE_STORE)
        .split(Named.as(name + "-check-"))
        .branch(
            (key, checked) -> checked.isRefused(),
            Branched.withConsumer(
                s -> toViolations(s, topics, name + "-check", kindName, settings.listener()),
                "refused"))
        .defaultBranch(
            Branched.withConsumer(
                s ->
                    s.mapValues(Checked::event, Named.as(name + "-accepted"))
                        .peek(
                            (key, event) -> tell(() -> settings.listener().onAccepted(kindName)),
                            Named.as(name + "-count-accepted"))
                        .to(
                            accepted.name(),
                            Produced.with(accepted.keySerde(), accepted.valueSerde())
                                .withName(name + "-to-" + accepted.name())),
                "accepted"));
  }

  private static <E> void toViolations(
      KStream<String, Checked<E>> refused,
      MeshTopics topics,
      String step,
      String kindName,
      ControlListener listener) {
    TopicSpec<String, ContractViolation> violations = topics.violations;
    refused
        .mapValues(Checked::violation, Named.as(step + "-violation"))
        .peek(
            (key, violation) -> tell(() -> listener.onRefused(kindName, violation)),
            Named.as(step + "-count-refused"))
        .to(
            violations.name(),
            Produced.with(violations.keySerde(), violations.valueSerde())
                .withName(step + "-to-" + violations.name()));
  }

  /** Calls a listener; a failing one is logged, never a reason to stop the stream. */
  private static void tell(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("control listener failed", e);
    }
  }

  /** A kind of control event with its serde, for the intake and the repartition topic. */
  private interface EventKind<E> extends ControlIntake.Kind<E> {
    Serde<E> serde();

    @Override
    default Deserializer<E> deserializer() {
      return serde().deserializer();
    }
  }

  private static final EventKind<DataProductEvent> PRODUCTS =
      new EventKind<>() {
        private final MeshEventSerde<DataProductEvent> serde =
            MeshEventSerde.of(DataProductEvent.class);

        @Override
        public String contract() {
          return "DataProductEvent";
        }

        @Override
        public ViolationCode invalidEventCode() {
          return ViolationCode.INVALID_EVENT;
        }

        @Override
        public Serde<DataProductEvent> serde() {
          return serde;
        }

        @Override
        public String productId(DataProductEvent event) {
          return event.getProductId();
        }

        @Override
        public Reasons check(
            DataProductEvent event,
            Source source,
            long recordTimestamp,
            long now,
            ControlSettings settings) {
          return ProductEventChecks.check(event, source, recordTimestamp, now, settings);
        }
      };

  private static final EventKind<QualityEvent> QUALITY =
      new EventKind<>() {
        private final MeshEventSerde<QualityEvent> serde = MeshEventSerde.of(QualityEvent.class);

        @Override
        public String contract() {
          return "QualityEvent";
        }

        @Override
        public ViolationCode invalidEventCode() {
          return ViolationCode.INVALID_QUALITY_EVENT;
        }

        @Override
        public Serde<QualityEvent> serde() {
          return serde;
        }

        @Override
        public String productId(QualityEvent event) {
          return event.getProductId();
        }

        @Override
        public Reasons check(
            QualityEvent event,
            Source source,
            long recordTimestamp,
            long now,
            ControlSettings settings) {
          return QualityEventChecks.check(event, source, now, settings);
        }
      };
}
