package dev.meshbone.validator.control;

import dev.meshbone.contracts.Subjects;
import dev.meshbone.events.ChangeType;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.ProductDescriptor;
import dev.meshbone.events.ServiceLevels;
import dev.meshbone.events.ViolationCode;
import dev.meshbone.topics.ProductId;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules a {@link DataProductEvent} must keep, as pure functions: {@link #check} for what the
 * event alone shows, {@link #lifecycle} for what needs the product's current state.
 *
 * <h2>Which time "the future" is measured from</h2>
 *
 * A DEPRECATED event's sunset must lie after the event's time, which is the <b>later of the event's
 * {@code occurredAt} and the Kafka record's timestamp</b>:
 *
 * <ul>
 *   <li>Not the validator's clock: the decision must be a function of the log alone, so that a
 *       validator that was down for an hour, or a replay after an application reset, reaches the
 *       same decision as a prompt one; otherwise a deprecation valid when published could be
 *       refused because the validator read it late, and {@code mesh.products} would depend on when
 *       it was computed.
 *   <li>{@code occurredAt} is when the domain says the deprecation was decided, the event time the
 *       rest of the mesh uses. The record timestamp is stamped by the producer's Kafka client when
 *       it sends. Taking the later one means a back-dated {@code occurredAt} alone (or a back-dated
 *       record timestamp alone) cannot make a past sunset pass.
 * </ul>
 *
 * Separately, an {@code occurredAt} more than {@link ControlSettings#maxClockSkew()} ahead of the
 * validator's clock is refused (INVALID_EVENT): "in the future" can only mean ahead of now, and
 * both event times are the producer's to set.
 */
final class ProductEventChecks {
  /** Longer event ids are refused: they are kept per product to recognise retries. */
  static final int MAX_EVENT_ID_LENGTH = 200;

  private ProductEventChecks() {}

  /**
   * The reasons found in the event alone: its own fields, ownership, the descriptor and, for
   * DEPRECATED, the sunset.
   *
   * @param recordTimestamp the Kafka record's timestamp, epoch ms
   * @param now the validator's clock, epoch ms
   */
  static Reasons check(
      DataProductEvent event,
      Source source,
      long recordTimestamp,
      long now,
      ControlSettings settings) {
    var reasons = new Reasons();
    checkEventId(reasons, event.getEventId(), ViolationCode.INVALID_EVENT);
    Ownership.check(reasons, source, event.getDomain(), event.getProductId());
    checkNotFromTheFuture(
        reasons, event.getOccurredAt(), now, settings, ViolationCode.INVALID_EVENT);

    ChangeType type = event.getType();
    if (type == null || type == ChangeType.UNKNOWN) {
      reasons.add(
          ViolationCode.INVALID_EVENT,
          "type",
          "change type "
              + type
              + " is not one the validator knows; use CREATED, UPDATED, DEPRECATED or RETIRED");
    }
    ProductDescriptor descriptor = event.getDescriptor();
    if (descriptor == null) {
      if (type == ChangeType.CREATED || type == ChangeType.UPDATED) {
        reasons.add(
            ViolationCode.MISSING_DESCRIPTOR,
            "descriptor",
            "a " + type + " event carries the product's full descriptor; it has none");
      }
    } else {
      checkDescriptor(reasons, descriptor, event.getProductId(), source.domain());
    }
    if (type == ChangeType.DEPRECATED) {
      checkSunset(reasons, event, recordTimestamp);
    }
    return reasons;
  }

  /**
   * The reasons the event cannot follow the product's current state: no second CREATED, no change
   * to a product never CREATED, nothing after RETIRED.
   *
   * @param current the product as last accepted, or null if it was never CREATED
   */
  static void lifecycle(Reasons reasons, DataProductEvent event, DataProductEvent current) {
    ChangeType type = event.getType();
    if (type == null || type == ChangeType.UNKNOWN) {
      return; // already refused by check(): no lifecycle rule applies to an unknown change
    }
    String id = event.getProductId();
    if (type == ChangeType.CREATED && current != null) {
      reasons.add(
          ViolationCode.DUPLICATE_CREATED,
          "type",
          "product "
              + id
              + " was already CREATED (now "
              + current.getStatus()
              + ", version "
              + current.getVersion()
              + "); publish UPDATED to change it");
    }
    if (type != ChangeType.CREATED && current == null) {
      reasons.add(
          ViolationCode.UNKNOWN_PRODUCT,
          "productId",
          "product "
              + id
              + " was never CREATED, so it cannot be "
              + type
              + "; publish CREATED first");
    }
    if (current != null && current.getStatus() == LifecycleStatus.RETIRED) {
      reasons.add(
          ViolationCode.ILLEGAL_LIFECYCLE,
          "type",
          "product "
              + id
              + " is RETIRED (version "
              + current.getVersion()
              + "); nothing may follow RETIRED, so "
              + type
              + " is refused");
    }
  }

  /** The time a DEPRECATED event's sunset must be after: see the class comment. */
  static Instant eventTime(DataProductEvent event, long recordTimestamp) {
    Instant occurred = event.getOccurredAt();
    Instant recorded = Instant.ofEpochMilli(recordTimestamp);
    return occurred == null || recorded.isAfter(occurred) ? recorded : occurred;
  }

  /** The sunset a DEPRECATED event sets: its own {@code sunsetAt}, else its descriptor's. */
  static Instant sunsetOf(DataProductEvent event) {
    if (event.getSunsetAt() != null) {
      return event.getSunsetAt();
    }
    return event.getDescriptor() == null ? null : event.getDescriptor().getSunsetAt();
  }

  private static void checkSunset(Reasons reasons, DataProductEvent event, long recordTimestamp) {
    Instant sunset = sunsetOf(event);
    if (sunset == null) {
      reasons.add(
          ViolationCode.SUNSET_NOT_IN_FUTURE,
          "sunsetAt",
          "a DEPRECATED event needs a sunset date (sunsetAt, or descriptor.sunsetAt) so"
              + " subscribers know until when the product is served");
      return;
    }
    Instant eventTime = eventTime(event, recordTimestamp);
    if (!sunset.isAfter(eventTime)) {
      reasons.add(
          ViolationCode.SUNSET_NOT_IN_FUTURE,
          event.getSunsetAt() != null ? "sunsetAt" : "descriptor.sunsetAt",
          "sunset "
              + sunset
              + " is not after the event's time "
              + eventTime
              + " (the later of occurredAt and the record timestamp); a deprecation must give"
              + " subscribers time before the sunset");
    }
  }

  static void checkEventId(Reasons reasons, String eventId, ViolationCode code) {
    if (Reasons.isBlank(eventId)) {
      reasons.add(
          code,
          "eventId",
          "the eventId is empty; every event needs a unique id, which a retry reuses");
    } else if (eventId.length() > MAX_EVENT_ID_LENGTH) {
      reasons.add(
          code,
          "eventId",
          "the eventId is "
              + eventId.length()
              + " characters long; at most "
              + MAX_EVENT_ID_LENGTH
              + " are allowed");
    }
  }

  static void checkNotFromTheFuture(
      Reasons reasons, Instant occurredAt, long now, ControlSettings settings, ViolationCode code) {
    if (occurredAt == null) {
      reasons.add(code, "occurredAt", "occurredAt is missing");
      return;
    }
    Instant latest = Instant.ofEpochMilli(now).plus(settings.maxClockSkew());
    if (occurredAt.isAfter(latest)) {
      reasons.add(
          code,
          "occurredAt",
          "occurredAt "
              + occurredAt
              + " is more than "
              + settings.maxClockSkew().toMillis()
              + " ms ahead of the validator's clock ("
              + Instant.ofEpochMilli(now)
              + "); check the producer's clock");
    }
  }

  private static void checkDescriptor(
      Reasons reasons, ProductDescriptor d, String productId, String domain) {
    if (Reasons.isBlank(d.getName())) {
      reasons.add(
          ViolationCode.INVALID_DESCRIPTOR,
          "descriptor.name",
          "the descriptor has no name; give the product a human name");
    }
    if (d.getOwner() == null) {
      reasons.add(
          ViolationCode.MISSING_OWNER,
          "descriptor.owner",
          "the descriptor has no owner; every product names its owning team");
    } else if (Reasons.isBlank(d.getOwner().getTeam())) {
      reasons.add(
          ViolationCode.MISSING_OWNER,
          "descriptor.owner.team",
          "the owner has no team; every product names its owning team");
    }
    if (d.getSlos() != null) {
      checkSlos(reasons, d.getSlos());
    }
    checkInputs(reasons, d.getInputs(), productId);
    String successor = d.getSuccessor();
    if (successor != null && !ProductId.isValid(successor)) {
      reasons.add(
          ViolationCode.INVALID_DESCRIPTOR,
          "descriptor.successor",
          "successor "
              + Reasons.quote(successor)
              + " is not a product id (<domain>.<product>, each part a valid name)");
    } else if (successor != null && successor.equals(productId)) {
      reasons.add(
          ViolationCode.INVALID_DESCRIPTOR,
          "descriptor.successor",
          "product " + productId + " names itself as its successor");
    }
    String subject = d.getContractSubject();
    if (subject != null) {
      String prefix = domain + ".";
      // The same ownership rule the registry applies to contract writes.
      if (Subjects.invalidReason(subject).isPresent()
          || !Subjects.owner(subject).map(domain::equals).orElse(false)) {
        reasons.add(
            ViolationCode.INVALID_CONTRACT_SUBJECT,
            "descriptor.contractSubject",
            "contract subject "
                + Reasons.quote(subject)
                + " is not owned by domain "
                + domain
                + "; a domain's subjects start with '"
                + prefix
                + "' (leave it out for the default <product id>-value)");
      }
    }
  }

  private static void checkSlos(Reasons reasons, ServiceLevels slos) {
    share(reasons, "minPassRate", slos.getMinPassRate());
    share(reasons, "maxRejectionRate", slos.getMaxRejectionRate());
    positive(reasons, "maxStalenessMs", slos.getMaxStalenessMs());
    positive(reasons, "volumeWindowMs", slos.getVolumeWindowMs());
    Long minVolume = slos.getMinVolume();
    if (minVolume != null && minVolume < 0) {
      reasons.add(
          ViolationCode.INVALID_SLO,
          "descriptor.slos.minVolume",
          "minVolume " + minVolume + " is negative; it is a count of records, 0 or more");
    }
  }

  private static void share(Reasons reasons, String name, Double value) {
    // Written so NaN fails too: every comparison with NaN is false.
    if (value != null && !(value >= 0.0 && value <= 1.0)) {
      reasons.add(
          ViolationCode.INVALID_SLO,
          "descriptor.slos." + name,
          name + " " + value + " is not a share between 0 and 1");
    }
  }

  private static void positive(Reasons reasons, String name, Long value) {
    if (value != null && value <= 0) {
      reasons.add(
          ViolationCode.INVALID_SLO,
          "descriptor.slos." + name,
          name + " " + value + " is not a positive duration in milliseconds");
    }
  }

  private static void checkInputs(Reasons reasons, List<String> inputs, String productId) {
    if (inputs == null) {
      return;
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      String input = inputs.get(i);
      String field = "descriptor.inputs[" + i + "]";
      if (!ProductId.isValid(input)) {
        reasons.add(
            ViolationCode.INVALID_INPUT,
            field,
            "input "
                + Reasons.quote(input)
                + " is not a product id (<domain>.<product>, each part a valid name)");
      } else if (input.equals(productId)) {
        reasons.add(
            ViolationCode.INVALID_INPUT,
            field,
            "product " + input + " lists itself as an input; lineage cannot be a cycle of one");
      } else if (seen.containsKey(input)) {
        reasons.add(
            ViolationCode.INVALID_INPUT,
            field,
            "input " + input + " is listed twice (also at inputs[" + seen.get(input) + "])");
      }
      seen.putIfAbsent(input, i);
    }
  }
}
