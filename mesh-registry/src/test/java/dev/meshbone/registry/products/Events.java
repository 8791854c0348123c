package dev.meshbone.registry.products;

import dev.meshbone.events.AlertState;
import dev.meshbone.events.ChangeType;
import dev.meshbone.events.Classification;
import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.ContractViolation;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.DecisionOutcome;
import dev.meshbone.events.HealthState;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.Owner;
import dev.meshbone.events.ProductDescriptor;
import dev.meshbone.events.ProductHealth;
import dev.meshbone.events.ProductStats;
import dev.meshbone.events.QualityAlert;
import dev.meshbone.events.Subscription;
import dev.meshbone.events.SubscriptionPolicy;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.events.ViolationCode;
import dev.meshbone.events.ViolationReason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Mesh events as the registry's tests write them to its input topics. */
public final class Events {
  private Events() {}

  public static ProductDescriptor.Builder descriptor(String name) {
    return ProductDescriptor.newBuilder()
        .setName(name)
        .setDescription("the " + name + " of the trial")
        .setOwner(Owner.newBuilder().setTeam("enrollment-platform").setContact("#enroll").build())
        .setTags(List.of("trial"))
        .setGlossaryTerms(List.of("enrollment"))
        .setClassification(Classification.INTERNAL)
        .setSubscriptionPolicy(SubscriptionPolicy.AUTO_APPROVE)
        .setProperties(Map.of());
  }

  public static DataProductEvent created(String productId, ProductDescriptor descriptor) {
    return event(productId, ChangeType.CREATED, LifecycleStatus.ACTIVE, 1, descriptor);
  }

  public static DataProductEvent event(
      String productId,
      ChangeType type,
      LifecycleStatus status,
      long version,
      ProductDescriptor descriptor) {
    return DataProductEvent.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setProductId(productId)
        .setDomain(productId.substring(0, productId.indexOf('.')))
        .setType(type)
        .setOccurredAt(Instant.parse("2026-05-01T10:00:00Z"))
        .setDescriptor(descriptor)
        .setStatus(status)
        .setVersion(version)
        .build();
  }

  public static DataProductEvent deprecated(
      String productId, long version, ProductDescriptor descriptor, Instant sunset) {
    return DataProductEvent.newBuilder(
            event(
                productId, ChangeType.DEPRECATED, LifecycleStatus.DEPRECATED, version, descriptor))
        .setSunsetAt(sunset)
        .setReason("replaced by enrollments-v2")
        .build();
  }

  public static Subscription subscription(
      String productId, String consumer, SubscriptionState state, long updatedAtMillis) {
    return Subscription.newBuilder()
        .setProductId(productId)
        .setConsumerDomain(consumer)
        .setState(state)
        .setPurpose("signal detection")
        .setPrincipal("User:" + consumer)
        .setRequestedAt(Instant.ofEpochMilli(1_000))
        .setUpdatedAt(Instant.ofEpochMilli(updatedAtMillis))
        .build();
  }

  public static String subscriptionKey(String productId, String consumer) {
    return productId + "|" + consumer;
  }

  public static ProductHealth health(String productId, HealthState state) {
    return ProductHealth.newBuilder()
        .setProductId(productId)
        .setState(state)
        .setEvaluatedAt(Instant.parse("2026-05-01T10:05:00Z"))
        .setPassRate(0.97)
        .setReasons(List.of())
        .setPassRateByCheck(Map.of())
        .build();
  }

  public static ProductStats stats(String productId, long valid, long invalid) {
    return ProductStats.newBuilder()
        .setProductId(productId)
        .setValid(valid)
        .setInvalid(invalid)
        .setInvalidByReason(invalid == 0 ? Map.of() : Map.of("RULE_VIOLATION", invalid))
        .setLastRecordAt(Instant.parse("2026-05-01T10:04:00Z"))
        .setLastValidAt(Instant.parse("2026-05-01T10:03:00Z"))
        .setUpdatedAt(Instant.parse("2026-05-01T10:04:01Z"))
        .build();
  }

  public static QualityAlert alert(String productId, String alertId, AlertState state) {
    return QualityAlert.newBuilder()
        .setAlertId(alertId)
        .setProductId(productId)
        .setSlo("passRate")
        .setState(state)
        .setHealth(state == AlertState.RAISED ? HealthState.BREACHED : HealthState.HEALTHY)
        .setObserved(0.8)
        .setThreshold(0.95)
        .setMessage("passRate 0.80 < minPassRate 0.95")
        .setAt(Instant.parse("2026-05-01T10:06:00Z"))
        .build();
  }

  public static ContractDecision accepted(String subject, int version, int schemaId) {
    return ContractDecision.newBuilder()
        .setRequestId(UUID.randomUUID().toString())
        .setOutcome(DecisionOutcome.ACCEPTED)
        .setSubject(subject)
        .setVersion(version)
        .setSchemaId(schemaId)
        .setDecidedAt(Instant.parse("2026-05-01T10:07:00Z"))
        .build();
  }

  public static ContractViolation violation(String productId, String sourceDomain) {
    return ContractViolation.newBuilder()
        .setViolationId(UUID.randomUUID().toString())
        .setProductId(productId)
        .setSourceDomain(sourceDomain)
        .setSourceTopic(sourceDomain + ".mesh.product-events")
        .setSourcePartition(0)
        .setSourceOffset(7)
        .setReasons(
            List.of(
                ViolationReason.newBuilder()
                    .setCode(ViolationCode.MISSING_OWNER)
                    .setField("descriptor.owner")
                    .setMessage("a product needs an owner")
                    .build()))
        .setDetectedAt(Instant.parse("2026-05-01T10:08:00Z"))
        .build();
  }
}
