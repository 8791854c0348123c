package dev.meshbone.client.micronaut;

import dev.meshbone.client.MeshClient;
import dev.meshbone.client.MeshClientSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes a {@link MeshClient} injectable in a Micronaut application, configured by the settings
 * under {@code meshbone.client.*} ({@code application.yml}, system properties, environment
 * variables such as {@code MESHBONE_CLIENT_DOMAIN}); see {@link MeshClientSettings} for the names.
 *
 * <pre>{@code
 * meshbone:
 *   client:
 *     domain: clinical-trials
 *     bootstrap-servers: localhost:9092
 *     registry-url: http://localhost:8081
 *     kafka:
 *       security.protocol: SASL_SSL
 * }</pre>
 *
 * <p>Only when {@code meshbone.client.domain} is set: meshbone's own services have this module on
 * their classpath and never make a client. The client is a singleton, made on first injection (no
 * I/O until used) and closed with the application context.
 */
@Factory
@Requires(property = MeshClientFactory.DOMAIN_PROPERTY)
public class MeshClientFactory {
  static final String DOMAIN_PROPERTY = "meshbone.client.domain";

  /** The settings under {@code meshbone.client}, checked at once. */
  @Singleton
  public MeshClientSettings meshClientSettings(Environment environment) {
    Map<String, Object> settings = new LinkedHashMap<>();
    environment
        .getProperties(MeshClientSettings.PREFIX, StringConvention.RAW)
        .forEach(
            (key, value) -> {
              // An environment variable (MESHBONE_CLIENT_KAFKA_SECURITY_PROTOCOL) shows up under
              // several spellings; keep the ones the settings read, drop the other variants.
              String known = key.replace('.', '-');
              if (MeshClientSettings.KNOWN.contains(key)
                  || MeshClientSettings.KNOWN.contains(known)
                  || key.equals("bootstrap.servers")
                  || key.startsWith(MeshClientSettings.KAFKA_PREFIX)
                  || key.startsWith(MeshClientSettings.REGISTRY_PREFIX)) {
                settings.put(key, value);
              }
            });
    return MeshClientSettings.fromMap(settings);
  }

  @Singleton
  @Bean(preDestroy = "close")
  public MeshClient meshClient(MeshClientSettings settings) {
    return MeshClient.create(settings);
  }
}
