package dev.meshbone.validator.control;

import dev.meshbone.events.ChangeType;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.Owner;
import dev.meshbone.events.ProductDescriptor;
import dev.meshbone.events.QualityDimension;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.events.ServiceLevels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Well-formed control events to start each test from; a test changes the one thing it tests. */
final class Events {
  /** The validator's clock in the tests. */
  static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");

  static final String DOMAIN = "clinical-trials";
  static final String PRODUCT = "clinical-trials.enrollments";
  static final String OTHER_DOMAIN = "supply-chain";
  static final String OTHER_PRODUCT = "supply-chain.shipments";

  private static final AtomicInteger IDS = new AtomicInteger();

  private Events() {}

  static String newEventId() {
    return "evt-" + IDS.incrementAndGet();
  }

  static ProductDescriptor.Builder descriptor() {
    return ProductDescriptor.newBuilder()
        .setName("Trial enrollments")
        .setDescription("One record per patient enrolled in a trial")
        .setOwner(
            Owner.newBuilder().setTeam("enrollment-platform").setContact("#enrollments").build())
        .setTags(List.of("trials"))
        .setSlos(
            ServiceLevels.newBuilder()
                .setMaxStalenessMs(Duration.ofHours(1).toMillis())
                .setMinPassRate(0.95)
                .setMinVolume(10L)
                .setVolumeWindowMs(Duration.ofHours(1).toMillis())
                .setMaxRejectionRate(0.01)
                .build())
        .setInputs(List.of("pharmacovigilance.adverse-events"));
  }

  static DataProductEvent.Builder event(String productId, ChangeType type) {
    return DataProductEvent.newBuilder()
        .setEventId(newEventId())
        .setProductId(productId)
        .setDomain(productId.substring(0, productId.indexOf('.')))
        .setType(type)
        .setOccurredAt(NOW.minusSeconds(60))
        .setActor("alice");
  }

  static DataProductEvent.Builder created(String productId) {
    return event(productId, ChangeType.CREATED).setDescriptor(descriptor().build());
  }

  static DataProductEvent.Builder updated(String productId) {
    return event(productId, ChangeType.UPDATED)
        .setDescriptor(descriptor().setDescription("Now with site ids").build());
  }

  /** A deprecation without descriptor, sunset 90 days after the event. */
  static DataProductEvent.Builder deprecated(String productId) {
    return event(productId, ChangeType.DEPRECATED)
        .setSunsetAt(NOW.plus(Duration.ofDays(90)))
        .setReason("replaced by enrollments-v2");
  }

  /** A retirement without descriptor. */
  static DataProductEvent.Builder retired(String productId) {
    return event(productId, ChangeType.RETIRED);
  }

  static QualityEvent.Builder quality(String productId) {
    return QualityEvent.newBuilder()
        .setEventId(newEventId())
        .setProductId(productId)
        .setDomain(productId.substring(0, productId.indexOf('.')))
        .setCheckName("site-not-null")
        .setDimension(QualityDimension.COMPLETENESS)
        .setPassed(true)
        .setMeasuredValue(0.99)
        .setThreshold(0.95)
        .setRecordCount(1200L)
        .setOccurredAt(NOW.minusSeconds(30));
  }
}
