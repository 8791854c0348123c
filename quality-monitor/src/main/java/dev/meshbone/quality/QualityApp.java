package dev.meshbone.quality;

import dev.meshbone.runtime.ServiceLauncher;
import io.micronaut.context.ApplicationContext;
import java.util.Map;

/** Runs quality-monitor on its own: {@code java -jar quality-monitor.jar}. */
public final class QualityApp {
  /** The Micronaut environment that switches this service's beans and settings on. */
  public static final String ENVIRONMENT = "quality";

  private QualityApp() {}

  public static void main(String[] args) {
    ServiceLauncher.run(QualityApp.class, ENVIRONMENT, args);
  }

  /** Starts the service in this JVM with extra properties; the caller closes the context. */
  public static ApplicationContext start(Map<String, Object> properties) {
    return ServiceLauncher.start(ENVIRONMENT, properties);
  }
}
