package dev.meshbone.runtime;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.EmbeddedApplication;
import java.util.Map;

/**
 * Starts a meshbone service inside an existing JVM, as the local launcher and the tests do: an
 * application context in the service's environment and its HTTP server, without the JVM shutdown
 * hook a standalone Micronaut app installs, so the caller decides when and in which order services
 * stop.
 */
public final class ServiceLauncher {
  private ServiceLauncher() {}

  /**
   * @param environment the service's environment, which switches its beans and settings on
   * @param properties settings that win over the service's configuration files
   * @return the running context; closing it stops the HTTP server and Kafka Streams
   */
  public static ApplicationContext start(String environment, Map<String, Object> properties) {
    ApplicationContext context =
        ApplicationContext.builder()
            .environments(environment)
            .deduceEnvironment(false)
            .banner(false)
            .properties(properties)
            .start();
    try {
      context.findBean(EmbeddedApplication.class).ifPresent(EmbeddedApplication::start);
      return context;
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
  }
}
