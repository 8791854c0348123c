package dev.meshbone.testkit;

import java.util.HashMap;
import java.util.Map;

/**
 * A cluster the tests did not start, named by the environment variable {@code
 * KAFKA_BOOTSTRAP_SERVERS}. Further client settings (SASL, TLS) come from environment variables in
 * the {@code KAFKA_} convention: {@code KAFKA_SECURITY_PROTOCOL=SASL_SSL} becomes {@code
 * security.protocol=SASL_SSL}. Tests only create topics and groups with unique names, so running
 * them against a shared cluster leaves it otherwise untouched.
 */
public final class ExternalKafkaBroker implements KafkaBroker {
  public static final String ENV = "KAFKA_BOOTSTRAP_SERVERS";

  private final String bootstrapServers;
  private final Map<String, Object> clientConfig;

  ExternalKafkaBroker(String bootstrapServers, Map<String, String> env) {
    this.bootstrapServers = bootstrapServers;
    var config = new HashMap<String, Object>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith("KAFKA_") && !name.equals(ENV)) {
            config.put(name.substring(6).toLowerCase().replace('_', '.'), value);
          }
        });
    config.put("bootstrap.servers", bootstrapServers);
    this.clientConfig = Map.copyOf(config);
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public String kind() {
    return "external";
  }

  @Override
  public Map<String, Object> clientConfig() {
    return clientConfig;
  }
}
