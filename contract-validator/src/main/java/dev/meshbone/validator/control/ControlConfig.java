package dev.meshbone.validator.control;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/**
 * The control-event settings in the service, under {@code meshbone.validator.control.} (environment
 * variables {@code MESHBONE_VALIDATOR_CONTROL_MAX_CLOCK_SKEW}, ...). Unset values are null, so the
 * deprecated names can stand in for them ({@link ControlSettings#resolve}).
 */
@ConfigurationProperties("meshbone.validator.control")
public class ControlConfig {
  private Duration maxClockSkew;
  private Integer rememberedEventIds;

  /** {@value ControlSettings#MAX_CLOCK_SKEW_DOC} */
  @Nullable
  public Duration getMaxClockSkew() {
    return maxClockSkew;
  }

  public void setMaxClockSkew(@Nullable Duration maxClockSkew) {
    this.maxClockSkew = maxClockSkew;
  }

  /** {@value ControlSettings#REMEMBERED_EVENT_IDS_DOC} */
  @Nullable
  public Integer getRememberedEventIds() {
    return rememberedEventIds;
  }

  public void setRememberedEventIds(@Nullable Integer rememberedEventIds) {
    this.rememberedEventIds = rememberedEventIds;
  }
}
