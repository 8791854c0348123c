package dev.meshbone.client;

import java.util.List;

/**
 * Whether a schema could become the product's next contract version under its subject's
 * compatibility level, without registering it.
 *
 * @param compatible whether it could
 * @param reasons what breaks, one line each (empty when compatible)
 */
public record CompatibilityVerdict(boolean compatible, List<String> reasons) {
  public CompatibilityVerdict {
    reasons = List.copyOf(reasons);
  }
}
