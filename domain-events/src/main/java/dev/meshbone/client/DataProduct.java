package dev.meshbone.client;

import dev.meshbone.events.HealthState;
import dev.meshbone.events.LifecycleStatus;
import java.time.Instant;
import java.util.List;

/**
 * A data product as the registry holds it after a write or a lookup.
 *
 * @param id {@code <domain>.<product>}
 * @param status ACTIVE, DEPRECATED or RETIRED
 * @param version 1 when created, +1 per accepted change
 * @param lastEventId the id of the last accepted change
 * @param sunsetAt when a deprecated product will be retired, or null
 * @param health quality-monitor's verdict (UNKNOWN when not known, or not asked)
 * @param healthReasons one line per service level not met
 * @param contractVersion the latest version of the product's contract, or null without one
 */
public record DataProduct(
    String id,
    LifecycleStatus status,
    long version,
    String lastEventId,
    Instant sunsetAt,
    HealthState health,
    List<String> healthReasons,
    Integer contractVersion) {
  public DataProduct {
    healthReasons = healthReasons == null ? List.of() : List.copyOf(healthReasons);
    health = health == null ? HealthState.UNKNOWN : health;
  }
}
