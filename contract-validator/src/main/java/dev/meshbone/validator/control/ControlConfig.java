package dev.meshbone.validator.control;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Binds the control-event settings under {@code meshbone.validator.control.} (environment variables
 * {@code MESHBONE_VALIDATOR_CONTROL_MAX_CLOCK_SKEW}, ...) and maps them once to {@link
 * ControlSettings}; unset properties keep {@link ControlSettings#defaults()}.
 */
@ConfigurationProperties("meshbone.validator.control")
public class ControlConfig {
  private Duration maxClockSkew = ControlSettings.MAX_CLOCK_SKEW_DEFAULT;
  private int rememberedEventIds = ControlSettings.REMEMBERED_EVENT_IDS_DEFAULT;

  /** {@value ControlSettings#MAX_CLOCK_SKEW_DOC} */
  public void setMaxClockSkew(Duration maxClockSkew) {
    this.maxClockSkew = maxClockSkew;
  }

  /** {@value ControlSettings#REMEMBERED_EVENT_IDS_DOC} */
  public void setRememberedEventIds(int rememberedEventIds) {
    this.rememberedEventIds = rememberedEventIds;
  }

  /** The settings, checked, without a listener. */
  public ControlSettings toSettings() {
    return new ControlSettings(maxClockSkew, rememberedEventIds);
  }

  @Factory
  static class SettingsFactory {
    @Singleton
    ControlSettings controlSettings(ControlConfig config) {
      return config.toSettings();
    }
  }
}
