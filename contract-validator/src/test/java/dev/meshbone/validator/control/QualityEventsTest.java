package dev.meshbone.validator.control;

import static dev.meshbone.validator.control.ControlDriver.codes;
import static dev.meshbone.validator.control.Events.DOMAIN;
import static dev.meshbone.validator.control.Events.NOW;
import static dev.meshbone.validator.control.Events.OTHER_PRODUCT;
import static dev.meshbone.validator.control.Events.PRODUCT;
import static dev.meshbone.validator.control.Events.created;
import static dev.meshbone.validator.control.Events.deprecated;
import static dev.meshbone.validator.control.Events.quality;
import static dev.meshbone.validator.control.Events.retired;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.events.ContractViolation;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.events.ViolationCode;
import dev.meshbone.events.ViolationReason;
import dev.meshbone.topics.DomainTopics;
import java.time.Duration;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Quality events: to mesh.quality for a live product of the publishing domain, else refused. */
class QualityEventsTest {
  private static final String TOPIC = DomainTopics.qualityEvents(DOMAIN);

  private final ControlDriver mesh = new ControlDriver();

  @AfterEach
  void close() {
    mesh.close();
  }

  private void givenProduct() {
    mesh.publish(created(PRODUCT).build());
    mesh.products();
  }

  private ViolationReason onlyReason(ViolationCode code) {
    ContractViolation violation = mesh.onlyViolation();
    assertThat(codes(violation)).containsExactly(code);
    assertThat(mesh.quality.readValuesToList()).isEmpty();
    return violation.getReasons().get(0);
  }

  @Test
  void shouldPassAQualityEventForAnActiveProductKeyedByProductId() {
    givenProduct();
    QualityEvent event = quality(PRODUCT).build();

    mesh.publish(event);

    var accepted = mesh.quality.readKeyValuesToList();
    assertThat(accepted).hasSize(1);
    assertThat(accepted.get(0).key).isEqualTo(PRODUCT);
    assertThat(accepted.get(0).value).isEqualTo(event);
    assertThat(mesh.violations()).isEmpty();
  }

  @Test
  void shouldPassAQualityEventForADeprecatedProduct() {
    givenProduct();
    mesh.publish(deprecated(PRODUCT).build());

    mesh.publish(quality(PRODUCT).build());

    assertThat(mesh.quality.readValuesToList()).hasSize(1);
  }

  @Test
  void shouldPassAQualityEventUnderAnotherKeyForItsProduct() {
    givenProduct();

    mesh.publish(DOMAIN, "not-the-product", quality(PRODUCT).build());

    var accepted = mesh.quality.readKeyValuesToList();
    assertThat(accepted).hasSize(1);
    assertThat(accepted.get(0).key).isEqualTo(PRODUCT);
  }

  @Test
  void shouldRefuseAQualityEventForAProductNeverCreated() {
    mesh.publish(quality(PRODUCT).build());

    onlyReason(ViolationCode.UNKNOWN_PRODUCT);
  }

  @Test
  void shouldRefuseAQualityEventForARetiredProduct() {
    givenProduct();
    mesh.publish(retired(PRODUCT).build());

    mesh.publish(quality(PRODUCT).build());

    onlyReason(ViolationCode.ILLEGAL_LIFECYCLE);
  }

  @Test
  void shouldRefuseAQualityEventForAnotherDomainsProduct() {
    mesh.publish(created(OTHER_PRODUCT).build());

    mesh.publish(DOMAIN, OTHER_PRODUCT, quality(OTHER_PRODUCT).setDomain(DOMAIN).build());

    var violations = mesh.violations();
    assertThat(violations).hasSize(1);
    assertThat(violations.get(0).key).isEqualTo(OTHER_PRODUCT);
    assertThat(codes(violations.get(0).value)).containsExactly(ViolationCode.WRONG_DOMAIN);
    assertThat(violations.get(0).value.getSourceTopic()).isEqualTo(TOPIC);
  }

  @Test
  void shouldRefuseAQualityEventWhoseDomainIsNotTheTopicsDomain() {
    givenProduct();

    mesh.publish(DOMAIN, PRODUCT, quality(PRODUCT).setDomain("supply-chain").build());

    assertThat(onlyReason(ViolationCode.WRONG_DOMAIN).getField()).isEqualTo("domain");
  }

  @Test
  void shouldRefuseAQualityEventWithAMalformedProductIdKeyedByTheRawKey() {
    mesh.publish(DOMAIN, "raw", quality(PRODUCT).setProductId("enrollments").build());

    var violations = mesh.violations();
    assertThat(violations).hasSize(1);
    assertThat(violations.get(0).key).isEqualTo("raw");
    assertThat(codes(violations.get(0).value)).containsExactly(ViolationCode.INVALID_PRODUCT_ID);
  }

  @Test
  void shouldRefuseGarbageQualityBytesAsDecodeFailed() {
    mesh.pipe(TOPIC, PRODUCT, new byte[] {0, 1, 2, 3, 4}, new RecordHeaders(), NOW);

    onlyReason(ViolationCode.DECODE_FAILED);
  }

  @Test
  void shouldRefuseANullQualityEvent() {
    mesh.pipe(TOPIC, PRODUCT, null, new RecordHeaders(), NOW);

    onlyReason(ViolationCode.NULL_VALUE);
  }

  @Test
  void shouldRefuseANaNMeasuredValue() {
    givenProduct();

    mesh.publish(quality(PRODUCT).setMeasuredValue(Double.NaN).build());

    assertThat(onlyReason(ViolationCode.INVALID_QUALITY_EVENT).getField())
        .isEqualTo("measuredValue");
  }

  @Test
  void shouldRefuseAnInfiniteThreshold() {
    givenProduct();

    mesh.publish(quality(PRODUCT).setThreshold(Double.NEGATIVE_INFINITY).build());

    assertThat(onlyReason(ViolationCode.INVALID_QUALITY_EVENT).getField()).isEqualTo("threshold");
  }

  @Test
  void shouldRefuseANegativeRecordCount() {
    givenProduct();

    mesh.publish(quality(PRODUCT).setRecordCount(-1L).build());

    assertThat(onlyReason(ViolationCode.INVALID_QUALITY_EVENT).getField()).isEqualTo("recordCount");
  }

  @Test
  void shouldRefuseAnOversizedQualityEvent() {
    givenProduct();

    mesh.publish(quality(PRODUCT).setMessage("x".repeat(300_000)).build());

    onlyReason(ViolationCode.INVALID_QUALITY_EVENT);
  }

  @Test
  void shouldRefuseAnEmptyCheckName() {
    givenProduct();

    mesh.publish(quality(PRODUCT).setCheckName("").build());

    assertThat(onlyReason(ViolationCode.INVALID_QUALITY_EVENT).getField()).isEqualTo("checkName");
  }

  @Test
  void shouldRefuseAnEmptyQualityEventId() {
    givenProduct();

    mesh.publish(quality(PRODUCT).setEventId("").build());

    assertThat(onlyReason(ViolationCode.INVALID_QUALITY_EVENT).getField()).isEqualTo("eventId");
  }

  @Test
  void shouldRefuseAQualityEventFromTheFarFuture() {
    givenProduct();

    mesh.publish(quality(PRODUCT).setOccurredAt(NOW.plus(Duration.ofHours(2))).build());

    assertThat(onlyReason(ViolationCode.INVALID_QUALITY_EVENT).getField()).isEqualTo("occurredAt");
  }

  @Test
  void shouldHonourAConfiguredClockSkew() {
    try (var lenient =
        new ControlDriver(
            new ControlSettings(
                Duration.ofHours(3), ControlSettings.REMEMBERED_EVENT_IDS_DEFAULT))) {
      lenient.publish(created(PRODUCT).build());

      lenient.publish(quality(PRODUCT).setOccurredAt(NOW.plus(Duration.ofHours(2))).build());

      assertThat(lenient.quality.readValuesToList()).hasSize(1);
    }
  }

  @Test
  void shouldAcceptMissingOptionalValues() {
    givenProduct();

    mesh.publish(
        quality(PRODUCT).setMeasuredValue(null).setThreshold(null).setRecordCount(null).build());

    assertThat(mesh.quality.readValuesToList()).hasSize(1);
  }

  @Test
  void shouldCollectEveryReasonOfAQualityEvent() {
    mesh.publish(
        quality(PRODUCT).setMeasuredValue(Double.POSITIVE_INFINITY).setRecordCount(-3L).build());

    assertThat(codes(mesh.onlyViolation()))
        .containsExactly(
            ViolationCode.INVALID_QUALITY_EVENT,
            ViolationCode.INVALID_QUALITY_EVENT,
            ViolationCode.UNKNOWN_PRODUCT);
  }
}
