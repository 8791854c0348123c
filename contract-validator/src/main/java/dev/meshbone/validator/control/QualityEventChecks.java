package dev.meshbone.validator.control;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.events.ViolationCode;

/**
 * The rules a {@link QualityEvent} must keep, as pure functions: {@link #check} for the event alone
 * (ownership, sane values, not from the future), {@link #product} for the product it is about
 * (CREATED, not RETIRED).
 */
final class QualityEventChecks {
  private QualityEventChecks() {}

  /**
   * @param now the validator's clock, epoch ms; an {@code occurredAt} more than {@link
   *     ControlSettings#maxClockSkew()} ahead of it is refused
   */
  static Reasons check(QualityEvent event, Source source, long now, ControlSettings settings) {
    var reasons = new Reasons();
    ProductEventChecks.checkEventId(
        reasons, event.getEventId(), ViolationCode.INVALID_QUALITY_EVENT);
    Ownership.check(reasons, source, event.getDomain(), event.getProductId());
    if (Reasons.isBlank(event.getCheckName())) {
      reasons.add(
          ViolationCode.INVALID_QUALITY_EVENT,
          "checkName",
          "the checkName is empty; results are grouped by the check's stable name");
    }
    finite(reasons, "measuredValue", event.getMeasuredValue());
    finite(reasons, "threshold", event.getThreshold());
    Long count = event.getRecordCount();
    if (count != null && count < 0) {
      reasons.add(
          ViolationCode.INVALID_QUALITY_EVENT,
          "recordCount",
          "recordCount " + count + " is negative; it counts the records the check looked at");
    }
    ProductEventChecks.checkNotFromTheFuture(
        reasons, event.getOccurredAt(), now, settings, ViolationCode.INVALID_QUALITY_EVENT);
    return reasons;
  }

  /**
   * The reasons the product cannot take quality events.
   *
   * @param current the product as last accepted, or null if it was never CREATED
   */
  static void product(Reasons reasons, QualityEvent event, DataProductEvent current) {
    if (current == null) {
      reasons.add(
          ViolationCode.UNKNOWN_PRODUCT,
          "productId",
          "product "
              + event.getProductId()
              + " was never CREATED; quality results are only taken for declared products");
    } else if (current.getStatus() == LifecycleStatus.RETIRED) {
      reasons.add(
          ViolationCode.ILLEGAL_LIFECYCLE,
          "productId",
          "product " + event.getProductId() + " is RETIRED; it takes no more quality results");
    }
  }

  private static void finite(Reasons reasons, String field, Double value) {
    if (value != null && !Double.isFinite(value)) {
      reasons.add(
          ViolationCode.INVALID_QUALITY_EVENT,
          field,
          field + " is " + value + "; a measured value or threshold must be a finite number");
    }
  }
}
