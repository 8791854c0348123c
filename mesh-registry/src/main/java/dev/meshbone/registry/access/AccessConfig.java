package dev.meshbone.registry.access;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;

/**
 * Binds the {@code meshbone.access.*} properties and maps them once to {@link AccessSettings};
 * unset properties keep {@link AccessSettings#DEFAULTS}.
 */
@ConfigurationProperties("meshbone.access")
public class AccessConfig {
  private static final AccessSettings D = AccessSettings.DEFAULTS;
  private boolean enabled = D.enabled();
  private Duration interval = D.interval();
  private String principal = D.principal();
  private List<String> domains = D.domains();
  private Duration lockSessionTimeout = D.lockSessionTimeout();

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public void setInterval(Duration interval) {
    this.interval = interval;
  }

  public void setPrincipal(String principal) {
    this.principal = principal;
  }

  public void setDomains(List<String> domains) {
    this.domains = domains;
  }

  public void setLockSessionTimeout(Duration lockSessionTimeout) {
    this.lockSessionTimeout = lockSessionTimeout;
  }

  /** The settings, checked. */
  public AccessSettings toSettings() {
    return new AccessSettings(enabled, interval, principal, domains, lockSessionTimeout);
  }

  @Factory
  static class SettingsFactory {
    @Singleton
    AccessSettings accessSettings(AccessConfig config) {
      return config.toSettings();
    }
  }
}
