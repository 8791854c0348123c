package dev.meshbone.validator;

import dev.meshbone.runtime.ServiceLauncher;
import io.micronaut.context.ApplicationContext;
import java.util.Map;

/** Runs contract-validator on its own: {@code java -jar contract-validator.jar}. */
public final class ValidatorApp {
  /** The Micronaut environment that switches this service's beans and settings on. */
  public static final String ENVIRONMENT = "validator";

  private ValidatorApp() {}

  public static void main(String[] args) {
    ServiceLauncher.run(ValidatorApp.class, ENVIRONMENT, args);
  }

  /**
   * Starts the service in this JVM with extra properties (the local launcher uses it); the caller
   * closes the returned context to stop it.
   */
  public static ApplicationContext start(Map<String, Object> properties) {
    return ServiceLauncher.start(ENVIRONMENT, properties);
  }
}
