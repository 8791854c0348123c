package dev.meshbone.registry.products.view;

import dev.meshbone.events.ContractVersion;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.HealthState;
import dev.meshbone.events.Notification;
import dev.meshbone.events.ProductDescriptor;
import dev.meshbone.events.ProductHealth;
import dev.meshbone.events.ProductStats;
import dev.meshbone.events.ServiceLevels;
import dev.meshbone.events.Subscription;
import dev.meshbone.events.ViolationReason;
import dev.meshbone.registry.products.catalog.HealthTrail;
import dev.meshbone.registry.products.catalog.ProductState;
import dev.meshbone.registry.products.view.Dto.ContractVersionDto;
import dev.meshbone.registry.products.view.Dto.DescriptorDto;
import dev.meshbone.registry.products.view.Dto.HealthDto;
import dev.meshbone.registry.products.view.Dto.HealthPointDto;
import dev.meshbone.registry.products.view.Dto.HealthTrailDto;
import dev.meshbone.registry.products.view.Dto.LifecycleDto;
import dev.meshbone.registry.products.view.Dto.NotificationDto;
import dev.meshbone.registry.products.view.Dto.OwnerDto;
import dev.meshbone.registry.products.view.Dto.ProductSummary;
import dev.meshbone.registry.products.view.Dto.ReasonDto;
import dev.meshbone.registry.products.view.Dto.SlosDto;
import dev.meshbone.registry.products.view.Dto.StatsDto;
import dev.meshbone.registry.products.view.Dto.SubscriptionDto;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The mesh's Avro records as the API shows them. */
public final class Views {
  private Views() {}

  public static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  public static ProductSummary summary(DataProductEvent e) {
    return summary(e, null);
  }

  /** A list's line for a product, with its health state (UNKNOWN when it has none). */
  public static ProductSummary summary(DataProductEvent e, HealthState health) {
    ProductDescriptor d = e.getDescriptor();
    return new ProductSummary(
        e.getProductId(),
        e.getDomain(),
        d == null ? null : d.getName(),
        d == null ? null : d.getDescription(),
        d == null || d.getOwner() == null ? null : d.getOwner().getTeam(),
        d == null ? List.of() : List.copyOf(d.getTags()),
        d == null ? null : d.getClassification().name(),
        e.getStatus().name(),
        e.getVersion(),
        d == null ? null : d.getSubscriptionPolicy().name(),
        time(e.getOccurredAt()),
        health == null ? HealthState.UNKNOWN.name() : health.name());
  }

  public static DescriptorDto descriptor(ProductDescriptor d) {
    if (d == null) {
      return null;
    }
    ServiceLevels s = d.getSlos();
    return new DescriptorDto(
        d.getName(),
        d.getDescription(),
        d.getOwner() == null
            ? null
            : new OwnerDto(d.getOwner().getTeam(), d.getOwner().getContact()),
        List.copyOf(d.getTags()),
        List.copyOf(d.getGlossaryTerms()),
        d.getClassification().name(),
        s == null
            ? null
            : new SlosDto(
                s.getMaxStalenessMs(),
                s.getMinPassRate(),
                s.getMinVolume(),
                s.getVolumeWindowMs(),
                s.getMaxRejectionRate()),
        List.copyOf(d.getInputs()),
        d.getContractSubject(),
        d.getSubscriptionPolicy().name(),
        time(d.getSunsetAt()),
        new TreeMap<>(d.getProperties()),
        d.getSuccessor());
  }

  public static LifecycleDto lifecycle(DataProductEvent e) {
    return new LifecycleDto(
        e.getStatus().name(),
        e.getVersion(),
        e.getType().name(),
        e.getEventId(),
        time(e.getOccurredAt()),
        time(ProductState.sunsetAt(e)),
        e.getReason(),
        e.getActor());
  }

  public static ContractVersionDto contractVersion(ContractVersion v) {
    return new ContractVersionDto(
        v.getVersion(),
        v.getSchemaId(),
        v.getSchemaType(),
        v.getSchema$(),
        time(v.getRegisteredAt()),
        v.getRegisteredBy());
  }

  public static HealthTrailDto healthTrail(
      String productId, ProductHealth current, HealthTrail trail) {
    var points =
        (trail == null ? HealthTrail.EMPTY : trail)
            .points().stream()
                .map(
                    p ->
                        new HealthPointDto(
                            Instant.ofEpochMilli(p.at()).toString(),
                            p.state().name(),
                            p.passRate(),
                            p.rejectionRate(),
                            p.volume()))
                .toList();
    return new HealthTrailDto(
        productId,
        current == null ? HealthState.UNKNOWN.name() : current.getState().name(),
        HealthTrail.SPACING.toSeconds(),
        points);
  }

  public static HealthDto health(ProductHealth h) {
    if (h == null) {
      return null;
    }
    return new HealthDto(
        h.getState().name(),
        time(h.getEvaluatedAt()),
        time(h.getWindowStart()),
        time(h.getWindowEnd()),
        h.getPassRate(),
        new TreeMap<>(h.getPassRateByCheck()),
        h.getVolume(),
        h.getRejectionRate(),
        time(h.getLastUpdateAt()),
        h.getStalenessMs(),
        List.copyOf(h.getReasons()));
  }

  public static StatsDto stats(String productId, ProductStats s) {
    if (s == null) {
      return new StatsDto(productId, 0, 0, Map.of(), null, null, null, null);
    }
    long total = s.getValid() + s.getInvalid();
    return new StatsDto(
        productId,
        s.getValid(),
        s.getInvalid(),
        new TreeMap<>(s.getInvalidByReason()),
        total == 0 ? null : (double) s.getInvalid() / total,
        time(s.getLastRecordAt()),
        time(s.getLastValidAt()),
        time(s.getUpdatedAt()));
  }

  public static SubscriptionDto subscription(Subscription s) {
    return new SubscriptionDto(
        s.getProductId(),
        s.getConsumerDomain(),
        s.getState().name(),
        s.getPurpose(),
        s.getPrincipal(),
        time(s.getRequestedAt()),
        time(s.getUpdatedAt()),
        s.getDecidedBy(),
        List.copyOf(s.getFields()));
  }

  public static NotificationDto notification(Notification n) {
    return new NotificationDto(
        n.getNotificationId(),
        n.getRecipientDomain(),
        n.getType().name(),
        n.getProductId(),
        n.getSummary(),
        n.getDetail(),
        new TreeMap<>(n.getAttributes()),
        time(n.getCreatedAt()));
  }

  public static ReasonDto reason(ViolationReason r) {
    return new ReasonDto(r.getCode().name(), r.getField(), r.getMessage());
  }
}
