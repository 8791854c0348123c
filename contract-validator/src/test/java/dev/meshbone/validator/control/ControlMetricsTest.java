package dev.meshbone.validator.control;

import static dev.meshbone.validator.control.Events.DOMAIN;
import static dev.meshbone.validator.control.Events.NOW;
import static dev.meshbone.validator.control.Events.PRODUCT;
import static dev.meshbone.validator.control.Events.created;
import static dev.meshbone.validator.control.Events.quality;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.topics.DomainTopics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The control section counts each event's outcome in {@link ControlMetrics}. */
class ControlMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private ControlDriver mesh;

  @BeforeEach
  void start() {
    mesh = new ControlDriver(ControlSettings.defaults().withListener(new ControlMetrics(registry)));
  }

  @AfterEach
  void close() {
    mesh.close();
  }

  private double events(String kind, String outcome, String reason) {
    Counter counter =
        registry
            .find(ControlMetrics.EVENTS)
            .tags("kind", kind, "outcome", outcome, "reason", reason)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private double reasons(String kind, String reason) {
    Counter counter =
        registry.find(ControlMetrics.REASONS).tags("kind", kind, "reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void shouldCountAcceptedProductAndQualityEvents() {
    mesh.publish(created(PRODUCT).build());
    mesh.publish(quality(PRODUCT).build());

    assertThat(events(ControlEvents.PRODUCT_EVENTS_KIND, "accepted", "NONE")).isEqualTo(1);
    assertThat(events(ControlEvents.QUALITY_EVENTS_KIND, "accepted", "NONE")).isEqualTo(1);
  }

  @Test
  void shouldCountARefusalAfterTheStatefulCheckByReason() {
    mesh.publish(created(PRODUCT).build());

    mesh.publish(created(PRODUCT).build());

    assertThat(events(ControlEvents.PRODUCT_EVENTS_KIND, "refused", "DUPLICATE_CREATED"))
        .isEqualTo(1);
    assertThat(reasons(ControlEvents.PRODUCT_EVENTS_KIND, "DUPLICATE_CREATED")).isEqualTo(1);
  }

  @Test
  void shouldCountARecordThatDoesNotDecodeAtIntake() {
    mesh.pipe(
        DomainTopics.qualityEvents(DOMAIN),
        PRODUCT,
        "not avro".getBytes(StandardCharsets.UTF_8),
        new RecordHeaders(),
        NOW);

    assertThat(events(ControlEvents.QUALITY_EVENTS_KIND, "refused", "DECODE_FAILED")).isEqualTo(1);
  }

  @Test
  void shouldCountEveryReasonOfARefusedEventAndTheEventOnce() {
    var descriptor =
        Events.descriptor().setOwner(null).setInputs(java.util.List.of("not a product id"));

    mesh.publish(created(PRODUCT).setDescriptor(descriptor.build()).build());

    assertThat(reasons(ControlEvents.PRODUCT_EVENTS_KIND, "MISSING_OWNER")).isEqualTo(1);
    assertThat(reasons(ControlEvents.PRODUCT_EVENTS_KIND, "INVALID_INPUT")).isEqualTo(1);
    double refused =
        registry.find(ControlMetrics.EVENTS).tag("outcome", "refused").counters().stream()
            .mapToDouble(Counter::count)
            .sum();
    assertThat(refused).isEqualTo(1);
  }

  @Test
  void shouldNotCountAProducersRetry() {
    var event = created(PRODUCT).build();
    mesh.publish(event);

    mesh.publish(event);

    assertThat(events(ControlEvents.PRODUCT_EVENTS_KIND, "accepted", "NONE")).isEqualTo(1);
    assertThat(registry.find(ControlMetrics.EVENTS).tag("outcome", "refused").counters()).isEmpty();
  }
}
