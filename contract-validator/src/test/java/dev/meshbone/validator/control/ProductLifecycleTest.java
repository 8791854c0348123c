package dev.meshbone.validator.control;

import static dev.meshbone.validator.control.ControlDriver.codes;
import static dev.meshbone.validator.control.Events.DOMAIN;
import static dev.meshbone.validator.control.Events.NOW;
import static dev.meshbone.validator.control.Events.PRODUCT;
import static dev.meshbone.validator.control.Events.created;
import static dev.meshbone.validator.control.Events.deprecated;
import static dev.meshbone.validator.control.Events.descriptor;
import static dev.meshbone.validator.control.Events.retired;
import static dev.meshbone.validator.control.Events.updated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.events.ChangeType;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.ViolationCode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lifecycle rules and how accepted product events are merged onto mesh.products. */
class ProductLifecycleTest {
  private final ControlDriver mesh = new ControlDriver();

  @AfterEach
  void close() {
    mesh.close();
  }

  private DataProductEvent onlyProduct() {
    var all = mesh.products();
    assertThat(all).hasSize(1);
    assertThat(all.get(0).key).isEqualTo(all.get(0).value.getProductId());
    return all.get(0).value;
  }

  @Test
  void shouldAcceptACreatedProductAsVersionOneActive() {
    var event = created(PRODUCT).build();

    mesh.publish(event);

    DataProductEvent product = onlyProduct();
    assertThat(product.getProductId()).isEqualTo(PRODUCT);
    assertThat(product.getEventId()).isEqualTo(event.getEventId());
    assertThat(product.getStatus()).isEqualTo(LifecycleStatus.ACTIVE);
    assertThat(product.getVersion()).isEqualTo(1);
    assertThat(product.getDescriptor()).isEqualTo(event.getDescriptor());
    assertThat(mesh.violations()).isEmpty();
  }

  @Test
  void shouldStoreTheIngestAliasAsTheProductsCanonicalSubject() {
    mesh.publish(
        created(PRODUCT)
            .setDescriptor(descriptor().setContractSubject(PRODUCT + ".ingest-value").build())
            .build());

    assertThat(onlyProduct().getDescriptor().getContractSubject()).isEqualTo(PRODUCT + "-value");
  }

  @Test
  void shouldIgnoreStatusAndVersionSetByTheProducer() {
    mesh.publish(created(PRODUCT).setStatus(LifecycleStatus.RETIRED).setVersion(42).build());

    DataProductEvent product = onlyProduct();
    assertThat(product.getStatus()).isEqualTo(LifecycleStatus.ACTIVE);
    assertThat(product.getVersion()).isEqualTo(1);
  }

  @Test
  void shouldMergeAnUpdateAsTheNextVersionWithItsFullDescriptor() {
    mesh.publish(created(PRODUCT).build());
    mesh.products();
    var update =
        updated(PRODUCT).setDescriptor(descriptor().setName("Enrollments").build()).build();

    mesh.publish(update);

    DataProductEvent product = onlyProduct();
    assertThat(product.getType()).isEqualTo(ChangeType.UPDATED);
    assertThat(product.getVersion()).isEqualTo(2);
    assertThat(product.getStatus()).isEqualTo(LifecycleStatus.ACTIVE);
    assertThat(product.getDescriptor().getName()).isEqualTo("Enrollments");
  }

  @Test
  void shouldKeepTheLastDescriptorWhenADeprecationCarriesNone() {
    var create = created(PRODUCT).build();
    mesh.publish(create);
    mesh.products();

    mesh.publish(deprecated(PRODUCT).build());

    DataProductEvent product = onlyProduct();
    assertThat(product.getStatus()).isEqualTo(LifecycleStatus.DEPRECATED);
    assertThat(product.getVersion()).isEqualTo(2);
    assertThat(product.getDescriptor().getName()).isEqualTo(create.getDescriptor().getName());
    assertThat(product.getDescriptor().getOwner()).isEqualTo(create.getDescriptor().getOwner());
  }

  @Test
  void shouldPutTheEventsSunsetIntoTheDescriptorOnDeprecation() {
    mesh.publish(created(PRODUCT).build());
    mesh.products();
    Instant sunset = NOW.plus(Duration.ofDays(30));

    mesh.publish(deprecated(PRODUCT).setSunsetAt(sunset).build());

    DataProductEvent product = onlyProduct();
    assertThat(product.getSunsetAt()).isEqualTo(sunset);
    assertThat(product.getDescriptor().getSunsetAt()).isEqualTo(sunset);
  }

  @Test
  void shouldTakeTheSunsetFromTheDescriptorWhenTheDeprecationHasNoOwn() {
    mesh.publish(created(PRODUCT).build());
    mesh.products();
    Instant sunset = NOW.plus(Duration.ofDays(30));

    mesh.publish(
        deprecated(PRODUCT)
            .setSunsetAt(null)
            .setDescriptor(descriptor().setSunsetAt(sunset).build())
            .build());

    assertThat(onlyProduct().getDescriptor().getSunsetAt()).isEqualTo(sunset);
  }

  @Test
  void shouldLetTheEventsSunsetWinOverTheDescriptors() {
    mesh.publish(created(PRODUCT).build());
    mesh.products();
    Instant sunset = NOW.plus(Duration.ofDays(30));

    mesh.publish(
        deprecated(PRODUCT)
            .setSunsetAt(sunset)
            .setDescriptor(descriptor().setSunsetAt(NOW.plus(Duration.ofDays(5))).build())
            .build());

    assertThat(onlyProduct().getDescriptor().getSunsetAt()).isEqualTo(sunset);
  }

  @Test
  void shouldNotLetACreatedDescriptorSetASunset() {
    mesh.publish(
        created(PRODUCT)
            .setDescriptor(descriptor().setSunsetAt(NOW.plusSeconds(60)).build())
            .build());

    DataProductEvent product = onlyProduct();
    assertThat(product.getDescriptor().getSunsetAt()).isNull();
    assertThat(product.getSunsetAt()).isNull();
  }

  @Test
  void shouldKeepDeprecatedStatusAndSunsetWhenADeprecatedProductIsUpdated() {
    mesh.publish(created(PRODUCT).build());
    var deprecation = deprecated(PRODUCT).build();
    mesh.publish(deprecation);
    mesh.products();

    mesh.publish(updated(PRODUCT).build());

    DataProductEvent product = onlyProduct();
    assertThat(product.getStatus()).isEqualTo(LifecycleStatus.DEPRECATED);
    assertThat(product.getVersion()).isEqualTo(3);
    assertThat(product.getDescriptor().getSunsetAt()).isEqualTo(deprecation.getSunsetAt());
  }

  @Test
  void shouldLetADeprecatedProductMoveItsSunset() {
    mesh.publish(created(PRODUCT).build());
    mesh.publish(deprecated(PRODUCT).build());
    mesh.products();
    Instant later = NOW.plus(Duration.ofDays(180));

    mesh.publish(deprecated(PRODUCT).setSunsetAt(later).build());

    DataProductEvent product = onlyProduct();
    assertThat(product.getVersion()).isEqualTo(3);
    assertThat(product.getSunsetAt()).isEqualTo(later);
  }

  @Test
  void shouldRetireADeprecatedProductKeepingDescriptorAndSunset() {
    mesh.publish(created(PRODUCT).build());
    var deprecation = deprecated(PRODUCT).build();
    mesh.publish(deprecation);
    mesh.products();

    mesh.publish(retired(PRODUCT).build());

    DataProductEvent product = onlyProduct();
    assertThat(product.getStatus()).isEqualTo(LifecycleStatus.RETIRED);
    assertThat(product.getVersion()).isEqualTo(3);
    assertThat(product.getDescriptor().getName()).isEqualTo("Trial enrollments");
    assertThat(product.getDescriptor().getSunsetAt()).isEqualTo(deprecation.getSunsetAt());
  }

  @Test
  void shouldRetireAnActiveProductDirectly() {
    mesh.publish(created(PRODUCT).build());
    mesh.products();

    mesh.publish(retired(PRODUCT).build());

    assertThat(onlyProduct().getStatus()).isEqualTo(LifecycleStatus.RETIRED);
  }

  @Test
  void shouldRefuseASecondCreated() {
    mesh.publish(created(PRODUCT).build());
    mesh.products();

    mesh.publish(created(PRODUCT).build());

    assertThat(mesh.products()).isEmpty();
    var violation = mesh.onlyViolation();
    assertThat(codes(violation)).containsExactly(ViolationCode.DUPLICATE_CREATED);
    assertThat(violation.getReasons().get(0).getMessage()).contains("already CREATED");
  }

  @Test
  void shouldRefuseAnUpdateOfAProductNeverCreated() {
    mesh.publish(updated(PRODUCT).build());

    assertThat(mesh.products()).isEmpty();
    assertThat(codes(mesh.onlyViolation())).containsExactly(ViolationCode.UNKNOWN_PRODUCT);
  }

  @Test
  void shouldRefuseADeprecationOfAProductNeverCreated() {
    mesh.publish(deprecated(PRODUCT).build());

    assertThat(codes(mesh.onlyViolation())).containsExactly(ViolationCode.UNKNOWN_PRODUCT);
  }

  @Test
  void shouldRefuseARetirementOfAProductNeverCreated() {
    mesh.publish(retired(PRODUCT).build());

    assertThat(codes(mesh.onlyViolation())).containsExactly(ViolationCode.UNKNOWN_PRODUCT);
  }

  @Test
  void shouldRefuseAnUpdateAfterRetired() {
    mesh.publish(created(PRODUCT).build());
    mesh.publish(retired(PRODUCT).build());
    mesh.products();

    mesh.publish(updated(PRODUCT).build());

    assertThat(mesh.products()).isEmpty();
    assertThat(codes(mesh.onlyViolation())).containsExactly(ViolationCode.ILLEGAL_LIFECYCLE);
  }

  @Test
  void shouldRefuseADeprecationAfterRetired() {
    mesh.publish(created(PRODUCT).build());
    mesh.publish(retired(PRODUCT).build());

    mesh.publish(deprecated(PRODUCT).build());

    assertThat(codes(mesh.onlyViolation())).containsExactly(ViolationCode.ILLEGAL_LIFECYCLE);
  }

  @Test
  void shouldRefuseASecondRetirement() {
    mesh.publish(created(PRODUCT).build());
    mesh.publish(retired(PRODUCT).build());

    mesh.publish(retired(PRODUCT).build());

    assertThat(codes(mesh.onlyViolation())).containsExactly(ViolationCode.ILLEGAL_LIFECYCLE);
  }

  @Test
  void shouldRefuseRecreatingARetiredProductForBothReasons() {
    mesh.publish(created(PRODUCT).build());
    mesh.publish(retired(PRODUCT).build());

    mesh.publish(created(PRODUCT).build());

    assertThat(codes(mesh.onlyViolation()))
        .containsExactly(ViolationCode.DUPLICATE_CREATED, ViolationCode.ILLEGAL_LIFECYCLE);
  }

  @Test
  void shouldRefuseADeprecationWithoutSunset() {
    mesh.publish(created(PRODUCT).build());

    mesh.publish(deprecated(PRODUCT).setSunsetAt(null).build());

    var violation = mesh.onlyViolation();
    assertThat(codes(violation)).containsExactly(ViolationCode.SUNSET_NOT_IN_FUTURE);
    assertThat(violation.getReasons().get(0).getField()).isEqualTo("sunsetAt");
  }

  @Test
  void shouldRefuseADeprecationWhoseSunsetIsNotAfterTheEvent() {
    mesh.publish(created(PRODUCT).build());
    var deprecation = deprecated(PRODUCT).build();

    mesh.publish(
        DataProductEvent.newBuilder(deprecation).setSunsetAt(deprecation.getOccurredAt()).build());

    assertThat(codes(mesh.onlyViolation())).containsExactly(ViolationCode.SUNSET_NOT_IN_FUTURE);
  }

  @Test
  void shouldJudgeTheSunsetAgainstTheRecordTimestampWhenOccurredAtIsBackdated() {
    mesh.publish(created(PRODUCT).build());
    mesh.products();
    // occurredAt claims last year, so a sunset last month would look "in the future"; the record
    // was produced now, and the later of the two times counts.
    var backdated =
        deprecated(PRODUCT)
            .setOccurredAt(NOW.minus(Duration.ofDays(365)))
            .setSunsetAt(NOW.minus(Duration.ofDays(30)))
            .build();

    mesh.publish(DOMAIN, PRODUCT, backdated, NOW);

    assertThat(mesh.products()).isEmpty();
    assertThat(codes(mesh.onlyViolation())).containsExactly(ViolationCode.SUNSET_NOT_IN_FUTURE);
  }

  @Test
  void shouldJudgeTheSunsetAgainstOccurredAtWhenTheRecordTimestampIsOlder() {
    mesh.publish(created(PRODUCT).build());
    // The sunset lies after the record timestamp but before occurredAt, the later of the two.
    var deprecation =
        deprecated(PRODUCT)
            .setOccurredAt(NOW.minusSeconds(60))
            .setSunsetAt(NOW.minusSeconds(120))
            .build();

    mesh.publish(DOMAIN, PRODUCT, deprecation, NOW.minus(Duration.ofDays(1)));

    assertThat(codes(mesh.onlyViolation())).containsExactly(ViolationCode.SUNSET_NOT_IN_FUTURE);
  }

  @Test
  void shouldAcceptADeprecationReadLongAfterItWasPublished() {
    mesh.publish(created(PRODUCT).build());
    mesh.products();
    // The validator was down: its clock is past the sunset by the time it reads the event, but
    // the sunset was in the future when the deprecation was published, which is what counts.
    mesh.driver.advanceWallClockTime(Duration.ofDays(100));

    mesh.publish(deprecated(PRODUCT).setSunsetAt(NOW.plus(Duration.ofDays(90))).build());

    assertThat(onlyProduct().getStatus()).isEqualTo(LifecycleStatus.DEPRECATED);
    assertThat(mesh.violations()).isEmpty();
  }

  @Test
  void shouldDropARetriedEventWithTheSameEventIdWithoutAViolation() {
    var update = updated(PRODUCT).build();
    mesh.publish(created(PRODUCT).build());
    mesh.publish(update);
    mesh.products();

    mesh.publish(update);

    assertThat(mesh.products()).isEmpty();
    assertThat(mesh.violations()).isEmpty();
    assertThat(mesh.lifecycleStore().get(PRODUCT).current().getVersion()).isEqualTo(2);
  }

  @Test
  void shouldDropARetriedCreatedInsteadOfReportingASecondCreated() {
    var create = created(PRODUCT).build();
    mesh.publish(create);
    mesh.products();

    mesh.publish(create);

    assertThat(mesh.products()).isEmpty();
    assertThat(mesh.violations()).isEmpty();
  }

  @Test
  void shouldCheckARetryOfARefusedEventAgain() {
    var update = updated(PRODUCT).build();
    mesh.publish(update);
    mesh.violations();

    mesh.publish(update);

    assertThat(codes(mesh.onlyViolation())).containsExactly(ViolationCode.UNKNOWN_PRODUCT);
  }

  @Test
  void shouldCheckAnEventUnderAnotherKeyAgainstItsProductsState() {
    mesh.publish(created(PRODUCT).build());
    mesh.products();

    mesh.publish(DOMAIN, "some-other-key", created(PRODUCT).build());
    mesh.publish(DOMAIN, null, updated(PRODUCT).build());

    assertThat(codes(mesh.onlyViolation())).containsExactly(ViolationCode.DUPLICATE_CREATED);
    var accepted = mesh.products();
    assertThat(accepted).hasSize(1);
    assertThat(accepted.get(0).key).isEqualTo(PRODUCT);
    assertThat(accepted.get(0).value.getVersion()).isEqualTo(2);
  }

  @Test
  void shouldLeaveTheStateAsItWasAfterARefusal() {
    mesh.publish(created(PRODUCT).build());
    mesh.publish(updated(PRODUCT).setDescriptor(null).build());
    mesh.products();
    mesh.violations();

    mesh.publish(updated(PRODUCT).build());

    assertThat(onlyProduct().getVersion()).isEqualTo(2);
  }

  @Test
  void shouldKeepEachProductsLifecycleApart() {
    String other = DOMAIN + ".visits";
    mesh.publish(created(PRODUCT).build());
    mesh.publish(retired(PRODUCT).build());
    mesh.products();

    mesh.publish(created(other).build());

    assertThat(onlyProduct().getProductId()).isEqualTo(other);
    assertThat(mesh.violations()).isEmpty();
  }

  @Test
  void shouldKeepTheLifecycleInTheNamedStore() {
    var create = created(PRODUCT).build();

    mesh.publish(create);

    LifecycleState state = mesh.lifecycleStore().get(PRODUCT);
    assertThat(state.current().getVersion()).isEqualTo(1);
    assertThat(state.current().getStatus()).isEqualTo(LifecycleStatus.ACTIVE);
    assertThat(state.acceptedEventIds()).containsExactly(create.getEventId());
  }
}
