package dev.meshbone.registry.products;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Binds the product registry's {@code meshbone.registry.*} properties and maps them once to {@link
 * RegistrySettings}; unset properties keep {@link RegistrySettings#DEFAULTS}.
 */
@ConfigurationProperties("meshbone.registry")
public class RegistryConfig {
  private static final RegistrySettings D = RegistrySettings.DEFAULTS;
  private String advertisedUrl = D.advertisedUrl();
  private Duration writeTimeout = D.writeTimeout();
  private Duration sendTimeout = D.sendTimeout();
  private Duration forwardTimeout = D.forwardTimeout();
  private int defaultPageSize = D.defaultPageSize();
  private int maxPageSize = D.maxPageSize();
  private int maxOffset = D.maxOffset();
  private int maxLineageDepth = D.maxLineageDepth();
  private int historyMaxChanges = D.historyMaxChanges();
  private Duration readersInterval = D.readersInterval();
  private java.util.List<Duration> sunsetLeadTimes = D.sunset().leadTimes();
  private Duration sunsetQuietPeriod = D.sunset().quietPeriod();
  private Duration sunsetCheckInterval = D.sunset().checkInterval();

  public void setAdvertisedUrl(@Nullable String advertisedUrl) {
    this.advertisedUrl = advertisedUrl;
  }

  public void setWriteTimeout(Duration writeTimeout) {
    this.writeTimeout = writeTimeout;
  }

  public void setSendTimeout(Duration sendTimeout) {
    this.sendTimeout = sendTimeout;
  }

  public void setForwardTimeout(Duration forwardTimeout) {
    this.forwardTimeout = forwardTimeout;
  }

  public void setDefaultPageSize(int defaultPageSize) {
    this.defaultPageSize = defaultPageSize;
  }

  public void setMaxPageSize(int maxPageSize) {
    this.maxPageSize = maxPageSize;
  }

  public void setMaxOffset(int maxOffset) {
    this.maxOffset = maxOffset;
  }

  public void setMaxLineageDepth(int maxLineageDepth) {
    this.maxLineageDepth = maxLineageDepth;
  }

  public void setHistoryMaxChanges(int historyMaxChanges) {
    this.historyMaxChanges = historyMaxChanges;
  }

  public void setReadersInterval(Duration readersInterval) {
    this.readersInterval = readersInterval;
  }

  public void setSunsetLeadTimes(java.util.List<Duration> sunsetLeadTimes) {
    this.sunsetLeadTimes = sunsetLeadTimes;
  }

  public void setSunsetQuietPeriod(Duration sunsetQuietPeriod) {
    this.sunsetQuietPeriod = sunsetQuietPeriod;
  }

  public void setSunsetCheckInterval(Duration sunsetCheckInterval) {
    this.sunsetCheckInterval = sunsetCheckInterval;
  }

  /** The settings, checked. */
  public RegistrySettings toSettings() {
    return new RegistrySettings(
        advertisedUrl,
        writeTimeout,
        sendTimeout,
        forwardTimeout,
        defaultPageSize,
        maxPageSize,
        maxOffset,
        maxLineageDepth,
        readersInterval,
        new dev.meshbone.registry.products.catalog.SunsetPolicy(
            sunsetLeadTimes, sunsetQuietPeriod, sunsetCheckInterval),
        historyMaxChanges);
  }

  @Factory
  static class SettingsFactory {
    @Singleton
    RegistrySettings registrySettings(RegistryConfig config) {
      return config.toSettings();
    }
  }
}
