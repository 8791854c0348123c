package dev.meshbone.validator.control;

import dev.meshbone.events.ContractViolation;
import dev.meshbone.events.ViolationReason;
import java.time.Instant;
import java.util.List;

/** Builds the {@link ContractViolation} that refuses a control event. */
final class Violations {
  /** A malformed product id is echoed up to this length, so a violation stays small. */
  static final int MAX_PRODUCT_ID = 256;

  private Violations() {}

  /** The key of a violation: the product id or raw key, cut if oversized. */
  static String key(String key) {
    return key == null || key.length() <= MAX_PRODUCT_ID ? key : key.substring(0, MAX_PRODUCT_ID);
  }

  /**
   * @param productId the product id as the event gave it (cut if oversized), or null if the event
   *     did not decode
   * @param now when the validator refused it, epoch ms
   */
  static ContractViolation of(
      Source source, String productId, List<ViolationReason> reasons, long now) {
    return ContractViolation.newBuilder()
        .setViolationId(source.violationId())
        .setProductId(Reasons.cut(productId, MAX_PRODUCT_ID))
        .setSourceDomain(source.domain())
        .setSourceTopic(source.topic())
        .setSourcePartition(source.partition())
        .setSourceOffset(source.offset())
        .setReasons(reasons)
        .setDetectedAt(Instant.ofEpochMilli(now))
        .build();
  }
}
