package dev.meshbone.quality;

import dev.meshbone.events.IssueSeverity;
import java.time.Duration;

/**
 * The response SLO: how soon a product's owner must acknowledge a product issue, per severity. Zero
 * means no SLO for that severity. An issue OPEN (opened, or reopened) for longer than its
 * severity's limit breaches the product's {@code response} SLO, which alerts and turns the product
 * BREACHED like any other SLO; the alert clears once no issue is over its limit.
 */
public record ResponseSlos(Duration critical, Duration high, Duration medium, Duration low) {
  /** CRITICAL acknowledged within 4 hours, HIGH within a day, no limit for MEDIUM and LOW. */
  public static final ResponseSlos DEFAULTS =
      new ResponseSlos(Duration.ofHours(4), Duration.ofDays(1), Duration.ZERO, Duration.ZERO);

  public ResponseSlos {
    QualitySettings.notNegative("response-slo-critical", critical);
    QualitySettings.notNegative("response-slo-high", high);
    QualitySettings.notNegative("response-slo-medium", medium);
    QualitySettings.notNegative("response-slo-low", low);
  }

  /** The limit in ms for an issue of {@code severity}, or 0 when it has none. */
  public long limitMs(String severity) {
    IssueSeverity s;
    try {
      s = IssueSeverity.valueOf(severity);
    } catch (IllegalArgumentException | NullPointerException e) {
      return 0;
    }
    return switch (s) {
      case CRITICAL -> critical.toMillis();
      case HIGH -> high.toMillis();
      case MEDIUM -> medium.toMillis();
      case LOW -> low.toMillis();
      default -> 0;
    };
  }
}
