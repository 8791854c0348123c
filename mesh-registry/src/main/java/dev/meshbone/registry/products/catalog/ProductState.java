package dev.meshbone.registry.products.catalog;

import dev.meshbone.contracts.Subjects;
import dev.meshbone.events.ChangeType;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.ProductDescriptor;
import dev.meshbone.topics.ProductId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;

/**
 * How the registry reads a product's latest event. contract-validator merges events and sets their
 * {@code status} and {@code version}; the registry still fills the gaps of an event that lacks them
 * (an older validator, a producer writing {@code mesh.products} by hand) so a product never loses
 * its descriptor or shows an UNKNOWN status.
 */
public final class ProductState {
  private ProductState() {}

  /**
   * The event as the registry keeps it: the previous descriptor carried over when the event has
   * none, the status derived from the change type when the event does not say, the version counted
   * when the event has none.
   */
  public static DataProductEvent normalize(DataProductEvent previous, DataProductEvent event) {
    ProductDescriptor descriptor = event.getDescriptor();
    if (descriptor == null && previous != null) {
      descriptor = previous.getDescriptor();
    }
    LifecycleStatus status = event.getStatus();
    if (status == null || status == LifecycleStatus.UNKNOWN) {
      status = derivedStatus(previous == null ? null : previous.getStatus(), event.getType());
    }
    long version = event.getVersion();
    if (version <= 0) {
      version = previous == null ? 1 : previous.getVersion() + 1;
    }
    if (descriptor == event.getDescriptor()
        && status == event.getStatus()
        && version == event.getVersion()) {
      return event;
    }
    return DataProductEvent.newBuilder(event)
        .setDescriptor(descriptor)
        .setStatus(status)
        .setVersion(version)
        .build();
  }

  private static LifecycleStatus derivedStatus(LifecycleStatus before, ChangeType type) {
    if (type == null) {
      type = ChangeType.UNKNOWN;
    }
    return switch (type) {
      case CREATED -> LifecycleStatus.ACTIVE;
      case DEPRECATED -> LifecycleStatus.DEPRECATED;
      case RETIRED -> LifecycleStatus.RETIRED;
      case UPDATED, UNKNOWN ->
          before == null || before == LifecycleStatus.UNKNOWN ? LifecycleStatus.ACTIVE : before;
    };
  }

  /** The subject of the product's record contract: the descriptor's, or {@code <id>-value}. */
  public static String contractSubject(String productId, DataProductEvent event) {
    ProductDescriptor d = event == null ? null : event.getDescriptor();
    if (d != null && d.getContractSubject() != null && !d.getContractSubject().isBlank()) {
      return d.getContractSubject();
    }
    return Subjects.ofTopic(productId, false);
  }

  /** When a deprecated product will be retired: the event's date, else the descriptor's. */
  public static Instant sunsetAt(DataProductEvent event) {
    if (event.getSunsetAt() != null) {
      return event.getSunsetAt();
    }
    return event.getDescriptor() == null ? null : event.getDescriptor().getSunsetAt();
  }

  /**
   * The product the descriptor names as its successor, when it is a well-formed product id other
   * than the product itself; else null.
   */
  public static String successor(DataProductEvent event) {
    if (event == null || event.getDescriptor() == null) {
      return null;
    }
    String s = event.getDescriptor().getSuccessor();
    return s != null && ProductId.isValid(s) && !s.equals(event.getProductId()) ? s : null;
  }

  /** The descriptor's input products that are well-formed product ids, without duplicates. */
  public static List<String> inputs(DataProductEvent event) {
    if (event == null || event.getDescriptor() == null) {
      return List.of();
    }
    return event.getDescriptor().getInputs().stream()
        .filter(ProductId::isValid)
        .distinct()
        .sorted()
        .toList();
  }

  /** The names of the descriptor fields that differ, in schema order. */
  public static List<String> changedFields(ProductDescriptor before, ProductDescriptor after) {
    var changed = new ArrayList<String>();
    if (before == null || after == null) {
      if (before != after) {
        changed.add("descriptor");
      }
      return changed;
    }
    for (Schema.Field f : ProductDescriptor.getClassSchema().getFields()) {
      if (!Objects.equals(before.get(f.pos()), after.get(f.pos()))) {
        changed.add(f.name());
      }
    }
    return changed;
  }
}
