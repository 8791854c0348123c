package dev.meshbone.validator.control;

import dev.meshbone.contracts.Subjects;
import dev.meshbone.events.ChangeType;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.ProductDescriptor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the validator knows of one product, the value of the {@value ControlEvents#LIFECYCLE_STORE}
 * store: the product as last accepted (exactly what was written to {@code mesh.products}) and the
 * ids of its most recently accepted events, oldest first, to drop a producer's retry.
 *
 * @param current the merged, versioned product; never null
 * @param acceptedEventIds at most {@link ControlSettings#rememberedEventIds()} ids
 */
record LifecycleState(DataProductEvent current, List<String> acceptedEventIds) {

  LifecycleState {
    Objects.requireNonNull(current, "current");
    acceptedEventIds = List.copyOf(acceptedEventIds);
  }

  boolean hasAccepted(String eventId) {
    return eventId != null && acceptedEventIds.contains(eventId);
  }

  /**
   * The state after accepting {@code event}, which the checks have passed. The new current product
   * is the event with:
   *
   * <ul>
   *   <li>{@code descriptor}: the event's, or the last one when a DEPRECATED or RETIRED event
   *       carries none (CREATED and UPDATED always carry one);
   *   <li>{@code sunsetAt} (top level and in the descriptor): the lifecycle's sunset, set by a
   *       DEPRECATED event (its {@code sunsetAt}, else its descriptor's), kept by later UPDATED and
   *       RETIRED events, and null while the product is ACTIVE; a sunset in a CREATED or UPDATED
   *       descriptor is not the producer's to set and is replaced;
   *   <li>{@code status}: ACTIVE on CREATED, DEPRECATED, RETIRED on those events, unchanged on
   *       UPDATED (a deprecated product can still correct its descriptor);
   *   <li>{@code version}: 1 on CREATED, one more on every accepted event.
   * </ul>
   *
   * @param previous the state before, or null for CREATED
   */
  static LifecycleState accept(LifecycleState previous, DataProductEvent event, int rememberIds) {
    DataProductEvent last = previous == null ? null : previous.current();
    ChangeType type = event.getType();
    LifecycleStatus status =
        switch (type) {
          case CREATED -> LifecycleStatus.ACTIVE;
          case DEPRECATED -> LifecycleStatus.DEPRECATED;
          case RETIRED -> LifecycleStatus.RETIRED;
          default -> last.getStatus();
        };
    Instant sunset =
        switch (type) {
          case CREATED -> null;
          case DEPRECATED -> ProductEventChecks.sunsetOf(event);
          default -> last.getSunsetAt();
        };
    ProductDescriptor source =
        event.getDescriptor() != null ? event.getDescriptor() : last.getDescriptor();
    ProductDescriptor descriptor =
        ProductDescriptor.newBuilder(source)
            .setSunsetAt(sunset)
            // The registry stores the ingest alias (<id>.ingest-value) under the canonical subject,
            // so readers of mesh.products find the contract where mesh.contracts has it.
            .setContractSubject(Subjects.canonical(source.getContractSubject()))
            .build();
    DataProductEvent merged =
        DataProductEvent.newBuilder(event)
            .setDescriptor(descriptor)
            .setSunsetAt(sunset)
            .setStatus(status)
            .setVersion(last == null ? 1 : last.getVersion() + 1)
            .build();

    List<String> ids = new ArrayList<>(previous == null ? List.of() : previous.acceptedEventIds());
    ids.add(event.getEventId());
    while (ids.size() > rememberIds) {
      ids.remove(0);
    }
    return new LifecycleState(merged, ids);
  }
}
