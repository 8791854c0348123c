package dev.meshbone.registry.products.catalog;

import dev.meshbone.events.AlertState;
import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.ContractViolation;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.FieldBreak;
import dev.meshbone.events.Notification;
import dev.meshbone.events.NotificationType;
import dev.meshbone.events.QualityAlert;
import dev.meshbone.events.Subscription;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.events.ViolationReason;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The notifications the registry sends, one per recipient. Every id is derived from what caused the
 * notification (the event id, the contract version, the alert id...) and the recipient, never from
 * a clock or a random number, so processing the same input again yields the same id and a recipient
 * can drop the duplicate. {@code createdAt} is the cause's record time for the same reason.
 */
public final class Notices {
  private Notices() {}

  /** A lifecycle or descriptor change of a product a recipient subscribes to. */
  public static Notification productChange(
      String recipient,
      NotificationType type,
      String productId,
      DataProductEvent now,
      List<String> changedFields,
      long timestamp) {
    var attributes = new LinkedHashMap<String, String>();
    attributes.put("productId", productId);
    attributes.put("productVersion", Long.toString(now.getVersion()));
    attributes.put("status", now.getStatus().name());
    attributes.put("eventId", now.getEventId());
    String summary;
    switch (type) {
      case PRODUCT_DEPRECATED -> {
        Instant sunset = ProductState.sunsetAt(now);
        if (sunset != null) {
          attributes.put("sunsetAt", sunset.toString());
        }
        summary =
            productId
                + " is deprecated"
                + (sunset == null
                    ? ""
                    : ", sunset " + sunset.atOffset(ZoneOffset.UTC).toLocalDate());
      }
      case PRODUCT_RETIRED -> summary = productId + " is retired";
      case DESCRIPTOR_CHANGED -> {
        attributes.put("changedFields", String.join(",", changedFields));
        summary = productId + " changed: " + String.join(", ", changedFields);
      }
      default -> summary = productId + " changed";
    }
    return notification(
        "product:" + productId + ":" + now.getEventId() + ":" + type + ":" + recipient,
        recipient,
        type,
        productId,
        summary,
        now.getReason(),
        attributes,
        timestamp);
  }

  /** A product that was deleted from the registry (a tombstone on {@code mesh.products}). */
  public static Notification productRemoved(
      String recipient, String productId, DataProductEvent before, long timestamp) {
    return notification(
        "product:" + productId + ":" + before.getEventId() + ":REMOVED:" + recipient,
        recipient,
        NotificationType.PRODUCT_RETIRED,
        productId,
        productId + " was removed from the registry",
        null,
        Map.of("productId", productId),
        timestamp);
  }

  /** A new version of the contract of a product the recipient subscribes to. */
  public static Notification contractVersion(
      String recipient, String productId, ContractDecision decision, long timestamp) {
    var attributes = new LinkedHashMap<String, String>();
    attributes.put("productId", productId);
    attributes.put("subject", decision.getSubject());
    attributes.put("version", String.valueOf(decision.getVersion()));
    attributes.put("schemaId", String.valueOf(decision.getSchemaId()));
    return notification(
        "contract:"
            + decision.getSubject()
            + ":"
            + decision.getVersion()
            + ":"
            + productId
            + ":"
            + recipient,
        recipient,
        NotificationType.CONTRACT_VERSION_ADDED,
        productId,
        productId
            + " has a new contract version "
            + decision.getVersion()
            + " (schema id "
            + decision.getSchemaId()
            + ") under "
            + decision.getSubject(),
        null,
        attributes,
        timestamp);
  }

  /**
   * A contract version registered over the gate ({@code overrideBreaks}) that breaks fields the
   * recipient declared it reads: which fields, and why each breaks.
   */
  public static Notification breakingChange(
      String recipient,
      String productId,
      ContractDecision decision,
      List<FieldBreak> breaks,
      long timestamp) {
    var attributes = new LinkedHashMap<String, String>();
    attributes.put("productId", productId);
    attributes.put("subject", decision.getSubject());
    attributes.put("version", String.valueOf(decision.getVersion()));
    attributes.put("schemaId", String.valueOf(decision.getSchemaId()));
    attributes.put(
        "brokenFields", breaks.stream().map(FieldBreak::getField).collect(Collectors.joining(",")));
    return notification(
        "breaking:"
            + decision.getSubject()
            + ":"
            + decision.getVersion()
            + ":"
            + productId
            + ":"
            + recipient,
        recipient,
        NotificationType.CONTRACT_BREAKING_CHANGE,
        productId,
        "version "
            + decision.getVersion()
            + " of the contract of "
            + productId
            + " breaks fields you read: "
            + breaks.stream().map(FieldBreak::getField).collect(Collectors.joining(", "))
            + " (registered by its owner with an override)",
        breaks.stream()
            .map(b -> b.getField() + ": " + b.getKind() + ": " + b.getReason())
            .collect(Collectors.joining("; ")),
        attributes,
        timestamp);
  }

  /**
   * A consumer group reads the owner's product with no APPROVED subscription behind it (found by
   * the registry's observed readers); sent once per product and group.
   */
  public static Notification unsubscribedReader(
      String owner, String productId, String groupId, String groupDomain, long timestamp) {
    var attributes = new LinkedHashMap<String, String>();
    attributes.put("productId", productId);
    attributes.put("groupId", groupId);
    if (groupDomain != null) {
      attributes.put("groupDomain", groupDomain);
    }
    return notification(
        "reader:" + productId + ":" + groupId + ":UNSUBSCRIBED_READER:" + owner,
        owner,
        NotificationType.UNSUBSCRIBED_READER,
        productId,
        "consumer group "
            + groupId
            + " reads "
            + productId
            + " without an approved subscription"
            + (groupDomain == null ? "" : " of " + groupDomain),
        "seen with committed offsets on the product's topic; groups are matched to subscriptions by"
            + " their prefix <domain>.",
        attributes,
        timestamp);
  }

  /** A reminder, at one lead time, that a product the recipient reads will be retired. */
  public static Notification sunsetReminder(
      String recipient,
      String productId,
      Instant sunsetAt,
      java.time.Duration lead,
      SunsetReadiness.Consumer status,
      Instant now) {
    var attributes = new LinkedHashMap<String, String>();
    attributes.put("productId", productId);
    attributes.put("sunsetAt", sunsetAt.toString());
    attributes.put("leadTime", lead.toString());
    attributes.put("status", status.status().name());
    attributes.put("lag", Long.toString(status.lag()));
    return notification(
        "sunset:" + productId + ":" + sunsetAt + ":" + lead + ":" + recipient,
        recipient,
        NotificationType.SUNSET_REMINDER,
        productId,
        productId
            + " retires "
            + sunsetAt.atOffset(ZoneOffset.UTC).toLocalDate()
            + " ("
            + sunsetAt
            + "); you are "
            + status.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
        status.groups().isEmpty()
            ? "no consumer group of yours was observed on its topic"
            : "your groups " + String.join(", ", status.groups()) + ", lag " + status.lag(),
        attributes,
        now.toEpochMilli());
  }

  /** The sunset came, but consumers still read: the product waits; to the owner and blockers. */
  public static Notification sunsetBlocked(
      String recipient, String productId, Instant sunsetAt, List<String> blockers, Instant now) {
    var attributes = new LinkedHashMap<String, String>();
    attributes.put("productId", productId);
    attributes.put("sunsetAt", sunsetAt.toString());
    attributes.put("blockers", String.join(",", blockers));
    return notification(
        "sunset-blocked:" + productId + ":" + sunsetAt + ":" + recipient,
        recipient,
        NotificationType.SUNSET_BLOCKED,
        productId,
        productId
            + " reached its sunset but is not retired: still read by "
            + String.join(", ", blockers),
        "it retires by itself once they have drained (no lag, no commit for the quiet period) or"
            + " unsubscribed; the owner may retire it now (POST /products/{id}/retirement)",
        attributes,
        now.toEpochMilli());
  }

  /** A retirement the owner forced while consumers still read: who, on the notification. */
  public static Notification forced(Notification retired, List<String> stillReading) {
    var attributes = new LinkedHashMap<>(retired.getAttributes());
    attributes.put("forced", "true");
    attributes.put("stillReading", String.join(",", stillReading));
    return Notification.newBuilder(retired)
        .setSummary(
            retired.getSummary()
                + " (forced by its owner while still read by "
                + String.join(", ", stillReading)
                + ")")
        .setAttributes(attributes)
        .build();
  }

  /** A quality alert raised or cleared on a product the recipient subscribes to. */
  public static Notification qualityAlert(String recipient, QualityAlert alert, long timestamp) {
    boolean cleared = alert.getState() == AlertState.CLEARED;
    var attributes = new LinkedHashMap<String, String>();
    attributes.put("productId", alert.getProductId());
    attributes.put("alertId", alert.getAlertId());
    attributes.put("slo", alert.getSlo());
    attributes.put("health", alert.getHealth().name());
    if (alert.getObserved() != null) {
      attributes.put("observed", alert.getObserved().toString());
    }
    if (alert.getThreshold() != null) {
      attributes.put("threshold", alert.getThreshold().toString());
    }
    return notification(
        "alert:" + alert.getAlertId() + ":" + alert.getState() + ":" + recipient,
        recipient,
        cleared ? NotificationType.QUALITY_ALERT_CLEARED : NotificationType.QUALITY_ALERT_RAISED,
        alert.getProductId(),
        alert.getProductId()
            + " quality alert "
            + (cleared ? "cleared" : "raised")
            + " on "
            + alert.getSlo()
            + ": "
            + alert.getMessage(),
        alert.getMessage(),
        attributes,
        timestamp);
  }

  /**
   * A subscription changed state: the owner hears of requests, the consumer of the decision.
   *
   * @param recipient the owner domain for REQUESTED, else the consumer domain
   */
  public static Notification subscription(
      String recipient, String productId, Subscription sub, long timestamp) {
    NotificationType type =
        switch (sub.getState()) {
          case REQUESTED -> NotificationType.SUBSCRIPTION_REQUESTED;
          case APPROVED -> NotificationType.SUBSCRIPTION_APPROVED;
          case REJECTED -> NotificationType.SUBSCRIPTION_REJECTED;
          case REVOKED -> NotificationType.SUBSCRIPTION_REVOKED;
          default -> NotificationType.OTHER;
        };
    String summary =
        sub.getState() == SubscriptionState.REQUESTED
            ? sub.getConsumerDomain()
                + " asks to subscribe to "
                + productId
                + (sub.getPurpose() == null ? "" : ": " + sub.getPurpose())
            : "the subscription of "
                + sub.getConsumerDomain()
                + " to "
                + productId
                + " is "
                + sub.getState().name().toLowerCase(java.util.Locale.ROOT)
                + (sub.getDecidedBy() == null ? "" : " by " + sub.getDecidedBy());
    var attributes = new LinkedHashMap<String, String>();
    attributes.put("productId", productId);
    attributes.put("consumerDomain", sub.getConsumerDomain());
    attributes.put("state", sub.getState().name());
    if (sub.getDecidedBy() != null) {
      attributes.put("decidedBy", sub.getDecidedBy());
    }
    return notification(
        "subscription:"
            + productId
            + "|"
            + sub.getConsumerDomain()
            + ":"
            + sub.getState()
            + ":"
            + sub.getUpdatedAt().toEpochMilli()
            + ":"
            + recipient,
        recipient,
        type,
        productId,
        summary,
        sub.getPurpose(),
        attributes,
        timestamp);
  }

  /** A control event about the recipient's product that contract-validator refused. */
  public static Notification violation(
      String recipient, String productId, ContractViolation violation, long timestamp) {
    String reasons =
        violation.getReasons().stream().map(Notices::reason).collect(Collectors.joining("; "));
    var attributes = new LinkedHashMap<String, String>();
    attributes.put("productId", productId);
    attributes.put("violationId", violation.getViolationId());
    attributes.put("sourceDomain", violation.getSourceDomain());
    attributes.put("sourceTopic", violation.getSourceTopic());
    attributes.put("sourcePartition", Integer.toString(violation.getSourcePartition()));
    attributes.put("sourceOffset", Long.toString(violation.getSourceOffset()));
    if (!violation.getReasons().isEmpty()) {
      attributes.put(
          "codes",
          violation.getReasons().stream()
              .map(r -> r.getCode().name())
              .distinct()
              .collect(Collectors.joining(",")));
    }
    return notification(
        "violation:" + violation.getViolationId() + ":" + recipient,
        recipient,
        NotificationType.CONTRACT_VIOLATION,
        productId,
        "an event of "
            + violation.getSourceDomain()
            + " about "
            + productId
            + " was refused"
            + (reasons.isEmpty() ? "" : ": " + reasons),
        reasons.isEmpty() ? null : reasons,
        attributes,
        timestamp);
  }

  private static String reason(ViolationReason r) {
    return r.getCode()
        + (r.getField() == null ? "" : " at " + r.getField())
        + ": "
        + r.getMessage();
  }

  private static Notification notification(
      String id,
      String recipient,
      NotificationType type,
      String productId,
      String summary,
      String detail,
      Map<String, String> attributes,
      long timestamp) {
    return Notification.newBuilder()
        .setNotificationId(id)
        .setRecipientDomain(recipient)
        .setType(type)
        .setProductId(productId)
        .setSummary(summary)
        .setDetail(detail)
        .setAttributes(new LinkedHashMap<>(attributes))
        .setCreatedAt(Instant.ofEpochMilli(Math.max(0, timestamp)))
        .build();
  }
}
