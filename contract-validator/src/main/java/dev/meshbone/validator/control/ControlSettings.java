package dev.meshbone.validator.control;

import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the control-event checks, handed to {@link ControlEvents#addTo} by the topology
 * function. In the service they are {@value #MAX_CLOCK_SKEW_CONFIG} and {@value
 * #REMEMBERED_EVENT_IDS_CONFIG}, bound by {@link ControlConfig}; tests build them with {@link
 * #defaults()} or the constructor.
 *
 * @param maxClockSkew how far ahead of the validator's clock an event's {@code occurredAt} may be
 *     before it is refused as coming from the future
 * @param rememberedEventIds how many accepted event ids are kept per product to drop a retried
 *     event idempotently
 * @param listener told of every event's outcome, for metrics
 */
public record ControlSettings(
    Duration maxClockSkew, int rememberedEventIds, ControlListener listener) {

  public static final String MAX_CLOCK_SKEW_CONFIG = "meshbone.validator.control.max-clock-skew";
  public static final String MAX_CLOCK_SKEW_DOC =
      "How far an event's occurredAt may be ahead of the validator's clock before the event is"
          + " refused as coming from the future (INVALID_EVENT, INVALID_QUALITY_EVENT). Default 5m.";
  public static final Duration MAX_CLOCK_SKEW_DEFAULT = Duration.ofMinutes(5);

  public static final String REMEMBERED_EVENT_IDS_CONFIG =
      "meshbone.validator.control.remembered-event-ids";
  public static final String REMEMBERED_EVENT_IDS_DOC =
      "How many of a product's most recently accepted event ids the validator keeps to recognise a"
          + " producer's retry and drop it; a retry of an older event is checked like a new one."
          + " Default 100, at most 100000.";
  public static final int REMEMBERED_EVENT_IDS_DEFAULT = 100;
  public static final int REMEMBERED_EVENT_IDS_MAX = 100_000;

  /** The settings without a listener. */
  public ControlSettings(Duration maxClockSkew, int rememberedEventIds) {
    this(maxClockSkew, rememberedEventIds, ControlListener.NONE);
  }

  public ControlSettings {
    Objects.requireNonNull(listener, "listener");
    if (maxClockSkew == null || maxClockSkew.isNegative()) {
      throw new ConfigException(MAX_CLOCK_SKEW_CONFIG, maxClockSkew, "must be >= 0");
    }
    if (rememberedEventIds < 1 || rememberedEventIds > REMEMBERED_EVENT_IDS_MAX) {
      throw new ConfigException(
          REMEMBERED_EVENT_IDS_CONFIG,
          rememberedEventIds,
          "must be between 1 and " + REMEMBERED_EVENT_IDS_MAX);
    }
  }

  /** These settings telling {@code listener} of every outcome. */
  public ControlSettings withListener(ControlListener listener) {
    return new ControlSettings(maxClockSkew, rememberedEventIds, listener);
  }

  public static ControlSettings defaults() {
    return new ControlSettings(MAX_CLOCK_SKEW_DEFAULT, REMEMBERED_EVENT_IDS_DEFAULT);
  }
}
