package dev.meshbone.runtime;

import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import io.micronaut.core.value.PropertyResolver;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kafka client settings, read from the {@code kafka.*} properties with Kafka's own names, as
 * micronaut-kafka users know them: {@code kafka.bootstrap.servers}, {@code
 * kafka.security.protocol}, {@code kafka.sasl.jaas.config}... Settings under {@code
 * kafka.streams.}, {@code kafka.producer.}, {@code kafka.consumer.} and {@code kafka.admin.} apply
 * to that kind of client only and win over the common ones. The environment variable {@code
 * KAFKA_BOOTSTRAP_SERVERS} sets {@code kafka.bootstrap.servers}, the one switch between the
 * embedded broker and a real cluster.
 */
@Singleton
public final class KafkaSettings {
  private static final Set<String> CLIENT_PREFIXES =
      Set.of("streams", "producer", "consumer", "admin");

  private final Map<String, Object> all;

  public KafkaSettings(Environment environment) {
    this(resolve(environment, System.getenv()));
  }

  /**
   * Every {@code kafka.*} setting with Micronaut's precedence (properties given in code, system
   * properties, environment variables, then configuration files). Micronaut resolves an environment
   * variable such as {@code KAFKA_STREAMS_NUM_STREAM_THREADS} when asked for {@code
   * kafka.streams.num.stream.threads} but does not list it among the {@code kafka} properties, so
   * the names are gathered from both the listed properties and the {@code KAFKA_*} variables
   * (underscores become dots, as in Confluent's and micronaut-kafka's images).
   */
  static Map<String, Object> resolve(PropertyResolver resolver, Map<String, String> environment) {
    var names = new TreeMap<String, String>();
    resolver.getProperties("kafka", StringConvention.RAW).keySet().forEach(n -> names.put(n, null));
    environment.forEach(
        (variable, value) -> {
          if (variable.startsWith("KAFKA_") && variable.length() > 6) {
            names.putIfAbsent(
                variable.substring(6).toLowerCase(Locale.ROOT).replace('_', '.'), value);
          }
        });
    var settings = new HashMap<String, Object>();
    names.forEach(
        (name, fromVariable) -> {
          Optional<String> value = resolver.getProperty("kafka." + name, String.class);
          if (value.isPresent()) {
            settings.put(name, value.get());
          } else if (fromVariable != null) {
            settings.put(name, fromVariable);
          }
        });
    return settings;
  }

  /**
   * For tests and plain Java: the same settings from a flat map without the {@code kafka.} prefix.
   */
  public KafkaSettings(Map<String, Object> settings) {
    this.all = Map.copyOf(settings);
  }

  /** The settings every client gets: all but the client-specific ones. */
  public Map<String, Object> common() {
    var common = new HashMap<String, Object>();
    all.forEach(
        (key, value) -> {
          int dot = key.indexOf('.');
          if (dot < 0 || !CLIENT_PREFIXES.contains(key.substring(0, dot))) {
            common.put(key, value);
          }
        });
    return common;
  }

  /** The common settings, then those under {@code kafka.<client>.}, which win. */
  public Map<String, Object> forClient(String client) {
    var config = common();
    String prefix = client + ".";
    all.forEach(
        (key, value) -> {
          if (key.startsWith(prefix)) {
            config.put(key.substring(prefix.length()), value);
          }
        });
    return config;
  }

  public Map<String, Object> streams() {
    return forClient("streams");
  }

  public Map<String, Object> producer() {
    return forClient("producer");
  }

  public Map<String, Object> consumer() {
    return forClient("consumer");
  }

  public Map<String, Object> admin() {
    return forClient("admin");
  }

  public String bootstrapServers() {
    Object servers = all.get("bootstrap.servers");
    return servers == null ? "localhost:9092" : servers.toString();
  }
}
