package dev.meshbone.client;

import dev.meshbone.topics.InvalidNameException;
import dev.meshbone.topics.Names;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link MeshClient} needs to know: where the Kafka cluster and the mesh registry are, which
 * domain it acts for, the client security settings to pass through, and how long to wait.
 *
 * <p>Built with {@link #builder()} in code, or with {@link #fromMap(Map)} from the settings under
 * the prefix {@value #PREFIX} (what the Micronaut factory and a {@code Properties} file give). The
 * names, relative to the prefix:
 *
 * <table>
 *   <caption>settings</caption>
 *   <tr><th>name</th><th>default</th><th>what it does</th></tr>
 *   <tr><td>{@code domain}</td><td>required</td><td>the domain this client acts for: it owns the
 *       products it declares and names itself to the registry ({@code X-Mesh-Domain})</td></tr>
 *   <tr><td>{@code bootstrap-servers}</td><td>required</td><td>Kafka's {@code
 *       bootstrap.servers}</td></tr>
 *   <tr><td>{@code registry-url}</td><td>required</td><td>the mesh registry, e.g. {@code
 *       http://localhost:8081} (its product API and its schema registry API)</td></tr>
 *   <tr><td>{@code kafka.*}</td><td></td><td>any Kafka client setting by its own name, for every
 *       producer, consumer and admin client of this client ({@code kafka.security.protocol},
 *       {@code kafka.sasl.jaas.config}, {@code kafka.ssl.truststore.location}, ...)</td></tr>
 *   <tr><td>{@code registry.*}</td><td></td><td>schema registry client settings by Confluent's
 *       names ({@code registry.basic.auth.credentials.source}, {@code
 *       registry.basic.auth.user.info}, {@code registry.bearer.auth.credentials.source}, {@code
 *       registry.bearer.auth.token}, {@code registry.schema.registry.ssl.truststore.location},
 *       {@code .password}, {@code .type}); the same credentials and trust serve the product
 *       API</td></tr>
 *   <tr><td>{@code request-timeout}</td><td>10s</td><td>how long one registry request may take
 *       </td></tr>
 *   <tr><td>{@code verdict-timeout}</td><td>30s</td><td>how long a product write waits for
 *       contract-validator's verdict before {@link VerdictPendingException}</td></tr>
 *   <tr><td>{@code broker-timeout}</td><td>30s</td><td>how long a call waits for the Kafka cluster
 *       (metadata, a full send buffer, admin calls) before {@link
 *       BrokerUnavailableException}</td></tr>
 *   <tr><td>{@code delivery-timeout}</td><td>2m</td><td>how long a published record may take to be
 *       acknowledged, retries included (Kafka's {@code delivery.timeout.ms})</td></tr>
 *   <tr><td>{@code topic-ready-timeout}</td><td>30s</td><td>how long the first publish or
 *       subscription read of a product waits for its topic to be created by the mesh</td></tr>
 * </table>
 *
 * <p>Durations are {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, ISO-8601 ({@code PT10S}) or
 * a number of milliseconds. Instances are immutable.
 */
public final class MeshClientSettings {
  /** The prefix of every setting in a Micronaut application or a properties file. */
  public static final String PREFIX = "meshbone.client";

  public static final String DOMAIN = "domain";
  public static final String BOOTSTRAP_SERVERS = "bootstrap-servers";
  public static final String REGISTRY_URL = "registry-url";
  public static final String KAFKA_PREFIX = "kafka.";
  public static final String REGISTRY_PREFIX = "registry.";
  public static final String REQUEST_TIMEOUT = "request-timeout";
  public static final String VERDICT_TIMEOUT = "verdict-timeout";
  public static final String BROKER_TIMEOUT = "broker-timeout";
  public static final String DELIVERY_TIMEOUT = "delivery-timeout";
  public static final String TOPIC_READY_TIMEOUT = "topic-ready-timeout";

  /** Every setting's name but the pass-through prefixes. */
  public static final List<String> KNOWN =
      List.of(
          DOMAIN,
          BOOTSTRAP_SERVERS,
          REGISTRY_URL,
          REQUEST_TIMEOUT,
          VERDICT_TIMEOUT,
          BROKER_TIMEOUT,
          DELIVERY_TIMEOUT,
          TOPIC_READY_TIMEOUT);

  private final String domain;
  private final String bootstrapServers;
  private final URI registryUrl;
  private final Map<String, Object> kafka;
  private final Map<String, Object> registry;
  private final Duration requestTimeout;
  private final Duration verdictTimeout;
  private final Duration brokerTimeout;
  private final Duration deliveryTimeout;
  private final Duration topicReadyTimeout;

  private MeshClientSettings(Builder b) {
    List<String> problems = new ArrayList<>();
    if (b.domain == null || b.domain.isBlank()) {
      problems.add(PREFIX + "." + DOMAIN + " is required: the domain this service acts for");
    } else {
      try {
        Names.requireDomain(b.domain.trim());
      } catch (InvalidNameException e) {
        problems.add(PREFIX + "." + DOMAIN + ": " + e.getMessage());
      }
    }
    if (b.bootstrapServers == null || b.bootstrapServers.isBlank()) {
      problems.add(
          PREFIX
              + "."
              + BOOTSTRAP_SERVERS
              + " is required: the Kafka cluster, e.g. localhost:9092");
    }
    URI url = null;
    if (b.registryUrl == null || b.registryUrl.isBlank()) {
      problems.add(
          PREFIX
              + "."
              + REGISTRY_URL
              + " is required: the mesh registry, e.g. http://localhost:8081");
    } else {
      try {
        String text = b.registryUrl.trim();
        url = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        if (url.getScheme() == null
            || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
            || url.getHost() == null) {
          problems.add(
              PREFIX
                  + "."
                  + REGISTRY_URL
                  + " '"
                  + text
                  + "' is not an http(s) URL such as http://localhost:8081");
        }
      } catch (IllegalArgumentException e) {
        problems.add(PREFIX + "." + REGISTRY_URL + " is not a URL: " + e.getMessage());
      }
    }
    positive(problems, REQUEST_TIMEOUT, b.requestTimeout);
    positive(problems, VERDICT_TIMEOUT, b.verdictTimeout);
    positive(problems, BROKER_TIMEOUT, b.brokerTimeout);
    positive(problems, DELIVERY_TIMEOUT, b.deliveryTimeout);
    positive(problems, TOPIC_READY_TIMEOUT, b.topicReadyTimeout);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "the mesh client settings are incomplete: " + String.join("; ", problems));
    }
    this.domain = b.domain.trim();
    this.bootstrapServers = b.bootstrapServers.trim();
    this.registryUrl = url;
    this.kafka = Collections.unmodifiableMap(new LinkedHashMap<>(b.kafka));
    this.registry = Collections.unmodifiableMap(new LinkedHashMap<>(b.registry));
    this.requestTimeout = b.requestTimeout;
    this.verdictTimeout = b.verdictTimeout;
    this.brokerTimeout = b.brokerTimeout;
    this.deliveryTimeout = b.deliveryTimeout;
    this.topicReadyTimeout = b.topicReadyTimeout;
  }

  private static void positive(List<String> problems, String name, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      problems.add(PREFIX + "." + name + " must be a positive duration such as 10s");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Settings from a map of the names in the class comment, with or without the {@value #PREFIX}
   * prefix; values may be strings (as from a properties file) or typed. Unknown names outside
   * {@code kafka.*} and {@code registry.*} are refused, so a typo does not go unnoticed.
   *
   * @throws IllegalArgumentException naming every missing or malformed setting
   */
  public static MeshClientSettings fromMap(Map<String, ?> settings) {
    Builder b = builder();
    List<String> unknown = new ArrayList<>();
    for (var entry : settings.entrySet()) {
      String key = entry.getKey();
      if (key.startsWith(PREFIX + ".")) {
        key = key.substring(PREFIX.length() + 1);
      }
      Object value = entry.getValue();
      if (value == null) {
        continue;
      }
      String text = value.toString();
      if (!KNOWN.contains(key) && KNOWN.contains(key.replace('.', '-'))) {
        key = key.replace('.', '-'); // request.timeout, as an environment variable gives it
      }
      switch (key) {
        case DOMAIN -> b.domain(text);
        case BOOTSTRAP_SERVERS, "bootstrap.servers", "bootstrapServers" -> b.bootstrapServers(text);
        case REGISTRY_URL, "registry.url", "registryUrl" -> b.registryUrl(text);
        case REQUEST_TIMEOUT -> b.requestTimeout(duration(key, value));
        case VERDICT_TIMEOUT -> b.verdictTimeout(duration(key, value));
        case BROKER_TIMEOUT -> b.brokerTimeout(duration(key, value));
        case DELIVERY_TIMEOUT -> b.deliveryTimeout(duration(key, value));
        case TOPIC_READY_TIMEOUT -> b.topicReadyTimeout(duration(key, value));
        default -> {
          if (key.startsWith(KAFKA_PREFIX) && key.length() > KAFKA_PREFIX.length()) {
            b.kafka(key.substring(KAFKA_PREFIX.length()), value);
          } else if (key.startsWith(REGISTRY_PREFIX) && key.length() > REGISTRY_PREFIX.length()) {
            b.registry(key.substring(REGISTRY_PREFIX.length()), value);
          } else {
            unknown.add(key);
          }
        }
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown mesh client settings "
              + unknown
              + ": known are "
              + KNOWN
              + " and kafka.*, registry.*");
    }
    return b.build();
  }

  /**
   * A duration setting: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code PT10S}, a number
   * of milliseconds, or a {@link Duration}.
   */
  static Duration duration(String name, Object value) {
    if (value instanceof Duration d) {
      return d;
    }
    if (value instanceof Number n) {
      return Duration.ofMillis(n.longValue());
    }
    String text = value.toString().trim().toLowerCase(Locale.ROOT);
    try {
      if (text.startsWith("pt") || text.startsWith("p")) {
        return Duration.parse(text.toUpperCase(Locale.ROOT));
      }
      if (text.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2).trim()));
      }
      char unit = text.charAt(text.length() - 1);
      if (Character.isDigit(unit)) {
        return Duration.ofMillis(Long.parseLong(text));
      }
      long amount = Long.parseLong(text.substring(0, text.length() - 1).trim());
      return switch (unit) {
        case 's' -> Duration.ofSeconds(amount);
        case 'm' -> Duration.ofMinutes(amount);
        case 'h' -> Duration.ofHours(amount);
        case 'd' -> Duration.ofDays(amount);
        default -> throw new NumberFormatException();
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          PREFIX
              + "."
              + name
              + " '"
              + value
              + "' is not a duration: write 500ms, 10s, 5m, 1h, PT10S or milliseconds");
    }
  }

  /** The domain this client acts for. */
  public String domain() {
    return domain;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The registry's base URL, without a trailing slash. */
  public URI registryUrl() {
    return registryUrl;
  }

  /** Kafka client settings passed through to every producer, consumer and admin client. */
  public Map<String, Object> kafkaProperties() {
    return kafka;
  }

  /** Schema registry client settings (Confluent's names) passed through to the serde. */
  public Map<String, Object> registryProperties() {
    return registry;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public Duration verdictTimeout() {
    return verdictTimeout;
  }

  public Duration brokerTimeout() {
    return brokerTimeout;
  }

  public Duration deliveryTimeout() {
    return deliveryTimeout;
  }

  public Duration topicReadyTimeout() {
    return topicReadyTimeout;
  }

  @Override
  public String toString() {
    // Pass-through settings may hold secrets (sasl.jaas.config, basic.auth.user.info): names only.
    return "MeshClientSettings{domain="
        + domain
        + ", bootstrapServers="
        + bootstrapServers
        + ", registryUrl="
        + registryUrl
        + ", kafka="
        + kafka.keySet()
        + ", registry="
        + registry.keySet()
        + "}";
  }

  /** Builds {@link MeshClientSettings}; {@link #build()} checks them all at once. */
  public static final class Builder {
    private String domain;
    private String bootstrapServers;
    private String registryUrl;
    private final Map<String, Object> kafka = new LinkedHashMap<>();
    private final Map<String, Object> registry = new LinkedHashMap<>();
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration verdictTimeout = Duration.ofSeconds(30);
    private Duration brokerTimeout = Duration.ofSeconds(30);
    private Duration deliveryTimeout = Duration.ofMinutes(2);
    private Duration topicReadyTimeout = Duration.ofSeconds(30);

    private Builder() {}

    public Builder domain(String domain) {
      this.domain = domain;
      return this;
    }

    public Builder bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    public Builder registryUrl(String registryUrl) {
      this.registryUrl = registryUrl;
      return this;
    }

    /** One Kafka client setting by its own name, e.g. {@code security.protocol}. */
    public Builder kafka(String name, Object value) {
      kafka.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, name));
      return this;
    }

    /**
     * One schema registry client setting by Confluent's name, e.g. {@code basic.auth.user.info}.
     */
    public Builder registry(String name, Object value) {
      registry.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, name));
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    public Builder verdictTimeout(Duration timeout) {
      this.verdictTimeout = timeout;
      return this;
    }

    public Builder brokerTimeout(Duration timeout) {
      this.brokerTimeout = timeout;
      return this;
    }

    public Builder deliveryTimeout(Duration timeout) {
      this.deliveryTimeout = timeout;
      return this;
    }

    public Builder topicReadyTimeout(Duration timeout) {
      this.topicReadyTimeout = timeout;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming every missing or malformed setting
     */
    public MeshClientSettings build() {
      return new MeshClientSettings(this);
    }
  }
}
