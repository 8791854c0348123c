package dev.meshbone.topics;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.serde.MeshEventSerde;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The naming rules of the topics a domain owns. Every domain owns the prefix {@code <domain>.}:
 *
 * <ul>
 *   <li>{@code <domain>.mesh.product-events}: the domain's DataProductEvents (control topic)
 *   <li>{@code <domain>.mesh.quality-events}: the domain's QualityEvents (control topic)
 *   <li>{@code <domain>.<product>.ingest}: records the domain publishes under the product contract
 *   <li>{@code <domain>.<product>}: the validated records, byte for byte
 *   <li>{@code <domain>.<product>.dlq}: rejected records, the reason in headers
 * </ul>
 *
 * <p>Because names never contain dots and the product names {@code mesh}, {@code ingest} and {@code
 * dlq} are reserved, each kind of topic matches exactly one of the patterns below.
 */
public final class DomainTopics {
  // Not compile-time constants, on purpose: javac would copy a constant's text into every class
  // that uses it, and the house rules' scan of class files (HouseRulesTest) could then no longer
  // tell a use of these from a literal written elsewhere.
  public static final String PRODUCT_EVENTS_SUFFIX = declared(".mesh.product-events");
  public static final String QUALITY_EVENTS_SUFFIX = declared(".mesh.quality-events");
  public static final String INGEST_SUFFIX = declared(".ingest");
  public static final String DLQ_SUFFIX = declared(".dlq");

  /** Partitions of a new product's topics unless the domain asks for more. */
  public static final int DEFAULT_PRODUCT_PARTITIONS = 3;

  /** Partitions of a domain's control topics. */
  public static final int CONTROL_PARTITIONS = 3;

  private static final String NAME = Names.NAME_REGEX;

  /** Every ingest topic: group 1 is the domain, group 2 the product. */
  public static final Pattern INGEST_PATTERN =
      Pattern.compile("(" + NAME + ")\\.(" + NAME + ")\\.ingest");

  /**
   * The ingest topics of products: {@link #INGEST_PATTERN} without the names {@link Names}
   * reserves, so every topic it matches names a product (record validation's source).
   */
  public static final Pattern PRODUCT_INGEST_PATTERN =
      Pattern.compile(
          "(?!(?:"
              + alternatives(Names.reservedDomains())
              + ")\\.)(?![^.]+\\.(?:"
              + alternatives(Names.reservedProducts())
              + ")\\.ingest$)"
              + INGEST_PATTERN.pattern());

  /** Every dead-letter topic: group 1 is the domain, group 2 the product. */
  public static final Pattern DLQ_PATTERN =
      Pattern.compile("(" + NAME + ")\\.(" + NAME + ")\\.dlq");

  /** Every domain's product-events topic: group 1 is the domain. */
  public static final Pattern PRODUCT_EVENTS_PATTERN =
      Pattern.compile("(" + NAME + ")\\.mesh\\.product-events");

  /** Every domain's quality-events topic: group 1 is the domain. */
  public static final Pattern QUALITY_EVENTS_PATTERN =
      Pattern.compile("(" + NAME + ")\\.mesh\\.quality-events");

  private DomainTopics() {}

  private static String declared(String name) {
    return name;
  }

  /** {@code a|b|c}, sorted so the pattern's text is the same in every run. */
  private static String alternatives(java.util.Set<String> words) {
    return String.join("|", new java.util.TreeSet<>(words));
  }

  public static String productEvents(String domain) {
    return Names.requireDomain(domain) + PRODUCT_EVENTS_SUFFIX;
  }

  public static String qualityEvents(String domain) {
    return Names.requireDomain(domain) + QUALITY_EVENTS_SUFFIX;
  }

  public static String ingest(ProductId id) {
    return id + INGEST_SUFFIX;
  }

  /** The topic of validated records, which subscribers read. */
  public static String validated(ProductId id) {
    return id.toString();
  }

  public static String dlq(ProductId id) {
    return id + DLQ_SUFFIX;
  }

  /** The product whose ingest topic this is, if it is one. */
  public static Optional<ProductId> productOfIngest(String topic) {
    return match(INGEST_PATTERN, topic);
  }

  /** The product whose dead-letter topic this is, if it is one. */
  public static Optional<ProductId> productOfDlq(String topic) {
    return match(DLQ_PATTERN, topic);
  }

  /** The domain whose control topic (product or quality events) this is, if it is one. */
  public static Optional<String> domainOfControlTopic(String topic) {
    for (Pattern p : List.of(PRODUCT_EVENTS_PATTERN, QUALITY_EVENTS_PATTERN)) {
      Matcher m = p.matcher(topic);
      if (m.matches() && Names.isValidDomain(m.group(1))) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  /** The domain's DataProductEvent topic. */
  public static TopicSpec<String, DataProductEvent> productEventsSpec(String domain) {
    return new TopicSpec<>(
        productEvents(domain),
        CONTROL_PARTITIONS,
        false,
        CleanupPolicy.DELETE,
        Optional.of(Duration.ofDays(7)),
        Serdes.String(),
        MeshEventSerde.of(DataProductEvent.class),
        Map.of());
  }

  /** The domain's QualityEvent topic. */
  public static TopicSpec<String, QualityEvent> qualityEventsSpec(String domain) {
    return new TopicSpec<>(
        qualityEvents(domain),
        CONTROL_PARTITIONS,
        false,
        CleanupPolicy.DELETE,
        Optional.of(Duration.ofDays(7)),
        Serdes.String(),
        MeshEventSerde.of(QualityEvent.class),
        Map.of());
  }

  /**
   * The three topics of a product: ingest, validated and dead-letter. Ingest and validated have the
   * same partition count so a record keeps its partition, and with it its order, through
   * validation.
   */
  public static List<TopicSpec<byte[], byte[]>> productSpecs(ProductId id, int partitions) {
    return List.of(
        bytes(ingest(id), partitions, Duration.ofDays(7)),
        bytes(validated(id), partitions, Duration.ofDays(7)),
        bytes(dlq(id), partitions, Duration.ofDays(30)));
  }

  /** Topic specs of a domain's two control topics. */
  public static List<TopicSpec<?, ?>> controlSpecs(String domain) {
    return List.of(productEventsSpec(domain), qualityEventsSpec(domain));
  }

  private static TopicSpec<byte[], byte[]> bytes(String name, int partitions, Duration retention) {
    return new TopicSpec<>(
        name,
        partitions,
        false,
        CleanupPolicy.DELETE,
        Optional.of(retention),
        Serdes.ByteArray(),
        Serdes.ByteArray(),
        Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime"));
  }

  private static Optional<ProductId> match(Pattern pattern, String topic) {
    if (topic == null) {
      return Optional.empty();
    }
    Matcher m = pattern.matcher(topic);
    if (!m.matches()) {
      return Optional.empty();
    }
    String domain = m.group(1);
    String product = m.group(2);
    if (!Names.isValidDomain(domain) || !Names.isValidProduct(product)) {
      return Optional.empty();
    }
    return Optional.of(new ProductId(domain, product));
  }
}
