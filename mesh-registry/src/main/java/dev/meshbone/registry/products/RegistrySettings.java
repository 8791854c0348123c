package dev.meshbone.registry.products;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The product registry's settings, under {@code meshbone.registry.}. Defaults suit one instance on
 * one machine; with several instances set {@code advertised-url} on each.
 */
@ConfigurationProperties("meshbone.registry")
public class RegistrySettings {
  private String advertisedUrl;
  private Duration writeTimeout = Duration.ofSeconds(15);
  private Duration forwardTimeout = Duration.ofSeconds(10);
  private int defaultPageSize = 50;
  private int maxPageSize = 500;
  private int maxOffset = 10_000;
  private int maxLineageDepth = 10;

  /**
   * How other instances of this registry reach this one over HTTP, e.g. {@code
   * http://registry-0.registry:8081}; it becomes Kafka Streams' {@code application.server}, through
   * which instances find which of them holds a product. Default: {@code http://localhost:<port>},
   * which only works when every instance runs on the same machine.
   */
  public String getAdvertisedUrl() {
    return advertisedUrl;
  }

  public void setAdvertisedUrl(String advertisedUrl) {
    this.advertisedUrl = advertisedUrl;
  }

  /**
   * How long a product write waits for contract-validator's verdict before it answers 202 with a
   * way to check later. A new domain's first write can take up to the validator's metadata refresh
   * (10 s) to be seen.
   */
  public Duration getWriteTimeout() {
    return writeTimeout;
  }

  public void setWriteTimeout(Duration writeTimeout) {
    this.writeTimeout = writeTimeout;
  }

  /** How long a request forwarded to the instance that holds a product may take. */
  public Duration getForwardTimeout() {
    return forwardTimeout;
  }

  public void setForwardTimeout(Duration forwardTimeout) {
    this.forwardTimeout = forwardTimeout;
  }

  /** Products per page when a list or search names no {@code limit}. */
  public int getDefaultPageSize() {
    return defaultPageSize;
  }

  public void setDefaultPageSize(int defaultPageSize) {
    this.defaultPageSize = defaultPageSize;
  }

  /** The largest {@code limit} a list or search accepts. */
  public int getMaxPageSize() {
    return maxPageSize;
  }

  public void setMaxPageSize(int maxPageSize) {
    this.maxPageSize = maxPageSize;
  }

  /** The largest {@code offset} a list or search accepts; page further with {@code cursor}. */
  public int getMaxOffset() {
    return maxOffset;
  }

  public void setMaxOffset(int maxOffset) {
    this.maxOffset = maxOffset;
  }

  /** The deepest lineage a request may ask for. */
  public int getMaxLineageDepth() {
    return maxLineageDepth;
  }

  public void setMaxLineageDepth(int maxLineageDepth) {
    this.maxLineageDepth = maxLineageDepth;
  }
}
