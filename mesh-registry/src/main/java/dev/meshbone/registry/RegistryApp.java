package dev.meshbone.registry;

import dev.meshbone.runtime.ServiceLauncher;
import io.micronaut.context.ApplicationContext;
import java.util.Map;

/** Runs mesh-registry on its own: {@code java -jar mesh-registry.jar}. */
public final class RegistryApp {
  /** The Micronaut environment that switches this service's beans and settings on. */
  public static final String ENVIRONMENT = "registry";

  private RegistryApp() {}

  public static void main(String[] args) {
    ServiceLauncher.run(RegistryApp.class, ENVIRONMENT, args);
  }

  /** Starts the service in this JVM with extra properties; the caller closes the context. */
  public static ApplicationContext start(Map<String, Object> properties) {
    return ServiceLauncher.start(ENVIRONMENT, properties);
  }
}
