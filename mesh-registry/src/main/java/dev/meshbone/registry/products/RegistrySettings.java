package dev.meshbone.registry.products;

import dev.meshbone.registry.products.catalog.SunsetPolicy;
import java.time.Duration;

/**
 * The product registry's settings, under {@code meshbone.registry.} ({@link RegistryConfig} binds
 * them). The defaults ({@link #DEFAULTS}) suit one instance on one machine; with several instances
 * set {@code advertised-url} on each.
 *
 * @param advertisedUrl {@code advertised-url}: how other instances of this registry reach this one
 *     over HTTP, e.g. {@code http://registry-0.registry:8081}; it becomes Kafka Streams' {@code
 *     application.server}, through which instances find which of them holds a product. Null: {@code
 *     http://localhost:<port>}, which only works when every instance runs on the same machine
 * @param writeTimeout {@code write-timeout} (15 s): how long a product write waits for
 *     contract-validator's verdict before it answers 202 with a way to check later. A new domain's
 *     first write can take up to the validator's metadata refresh (10 s) to be seen
 * @param sendTimeout {@code send-timeout} (10 s): how long a write through the API waits for Kafka
 *     to acknowledge its event before it answers 503 {@code KAFKA_UNAVAILABLE} with {@code
 *     Retry-After}; the API's producer is then replaced by a fresh one, since an idempotent
 *     producer can retry one batch until {@code delivery.timeout.ms} (2 min) without ever getting
 *     through. With {@code write-timeout} it bounds a write's answer well under an HTTP client's
 *     patience
 * @param forwardTimeout {@code forward-timeout} (10 s): how long a request forwarded to the
 *     instance that holds a product may take
 * @param defaultPageSize {@code default-page-size} (50): products per page when a list or search
 *     names no {@code limit}
 * @param maxPageSize {@code max-page-size} (500): the largest {@code limit} a list or search
 *     accepts
 * @param maxOffset {@code max-offset} (10000): the largest {@code offset} a list or search accepts;
 *     page further with {@code cursor}
 * @param maxLineageDepth {@code max-lineage-depth} (10): the deepest lineage a request may ask for
 * @param readersInterval {@code readers-interval} (30 s): how often the registry asks the Admin API
 *     which consumer groups read the products it holds (observed readers); commit times are known
 *     to within this interval
 * @param sunset {@code sunset-lead-times} (30d,7d,1d), {@code sunset-quiet-period} (1h) and {@code
 *     sunset-check-interval} (1m): how DEPRECATED products are driven to retirement ({@link
 *     SunsetPolicy})
 * @param historyMaxChanges {@code history-max-changes} (0: no bound): how many changes each
 *     product's history keeps; older ones fold into one baseline, so "as of" reads still answer
 *     from the oldest change kept on
 */
public record RegistrySettings(
    String advertisedUrl,
    Duration writeTimeout,
    Duration sendTimeout,
    Duration forwardTimeout,
    int defaultPageSize,
    int maxPageSize,
    int maxOffset,
    int maxLineageDepth,
    Duration readersInterval,
    SunsetPolicy sunset,
    int historyMaxChanges) {
  /** The defaults, the one place they are written. */
  public static final RegistrySettings DEFAULTS =
      new RegistrySettings(
          null,
          Duration.ofSeconds(15),
          Duration.ofSeconds(10),
          Duration.ofSeconds(10),
          50,
          500,
          10_000,
          10,
          Duration.ofSeconds(30),
          SunsetPolicy.DEFAULTS,
          0);

  public RegistrySettings {
    positive("write-timeout", writeTimeout);
    positive("send-timeout", sendTimeout);
    positive("forward-timeout", forwardTimeout);
    positive("readers-interval", readersInterval);
    java.util.Objects.requireNonNull(sunset, "sunset");
    atLeastOne("default-page-size", defaultPageSize);
    atLeastOne("max-page-size", maxPageSize);
    atLeastOne("max-lineage-depth", maxLineageDepth);
    if (historyMaxChanges < 0) {
      throw new IllegalArgumentException(
          "meshbone.registry.history-max-changes must be 0 (no bound) or more, not "
              + historyMaxChanges);
    }
    if (maxOffset < 0) {
      throw new IllegalArgumentException(
          "meshbone.registry.max-offset must not be negative, not " + maxOffset);
    }
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(
          "meshbone.registry." + name + " must be positive, not " + d);
    }
  }

  private static void atLeastOne(String name, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(
          "meshbone.registry." + name + " must be at least 1, not " + n);
    }
  }
}
