package dev.meshbone.validator.control;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the control-event checks. They are read from the Kafka Streams configuration (the
 * processors' {@code appConfigs()}), so they need no change to the topology function's signature:
 * in a service set them as {@code kafka.streams.meshbone.control.max-clock-skew-ms} (every {@code
 * kafka.streams.*} setting reaches the Streams config), in a TopologyTestDriver test put them in
 * the driver's properties.
 *
 * @param maxClockSkew how far ahead of the validator's clock an event's {@code occurredAt} may be
 *     before it is refused as coming from the future
 * @param rememberedEventIds how many accepted event ids are kept per product to drop a retried
 *     event idempotently
 */
public record ControlSettings(Duration maxClockSkew, int rememberedEventIds) {

  public static final String MAX_CLOCK_SKEW_MS_CONFIG = "meshbone.control.max-clock-skew-ms";
  public static final String MAX_CLOCK_SKEW_MS_DOC =
      "How far, in milliseconds, an event's occurredAt may be ahead of the validator's clock before"
          + " the event is refused as coming from the future (INVALID_EVENT, INVALID_QUALITY_EVENT)."
          + " Default 300000 (5 minutes).";
  public static final long MAX_CLOCK_SKEW_MS_DEFAULT = Duration.ofMinutes(5).toMillis();

  public static final String REMEMBERED_EVENT_IDS_CONFIG = "meshbone.control.remembered-event-ids";
  public static final String REMEMBERED_EVENT_IDS_DOC =
      "How many of a product's most recently accepted event ids the validator keeps to recognise a"
          + " producer's retry and drop it; a retry of an older event is checked like a new one."
          + " Default 100.";
  public static final int REMEMBERED_EVENT_IDS_DEFAULT = 100;

  public ControlSettings {
    if (maxClockSkew == null || maxClockSkew.isNegative()) {
      throw new ConfigException(MAX_CLOCK_SKEW_MS_CONFIG, maxClockSkew, "must be >= 0");
    }
    if (rememberedEventIds < 1) {
      throw new ConfigException(REMEMBERED_EVENT_IDS_CONFIG, rememberedEventIds, "must be >= 1");
    }
  }

  public static ControlSettings defaults() {
    return new ControlSettings(
        Duration.ofMillis(MAX_CLOCK_SKEW_MS_DEFAULT), REMEMBERED_EVENT_IDS_DEFAULT);
  }

  /**
   * The settings in {@code configs} (other keys are ignored), defaults for those missing.
   *
   * @throws ConfigException naming the setting whose value is not a number in range
   */
  public static ControlSettings from(Map<String, ?> configs) {
    long skew = number(configs, MAX_CLOCK_SKEW_MS_CONFIG, MAX_CLOCK_SKEW_MS_DEFAULT);
    long ids = number(configs, REMEMBERED_EVENT_IDS_CONFIG, REMEMBERED_EVENT_IDS_DEFAULT);
    if (ids > 100_000) {
      throw new ConfigException(REMEMBERED_EVENT_IDS_CONFIG, ids, "must be <= 100000");
    }
    return new ControlSettings(Duration.ofMillis(skew), (int) ids);
  }

  private static long number(Map<String, ?> configs, String name, long defaultValue) {
    Object value = configs.get(name);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(name, value, "must be a whole number");
    }
  }
}
