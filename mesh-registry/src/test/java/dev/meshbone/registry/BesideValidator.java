package dev.meshbone.registry;

import dev.meshbone.runtime.ServiceLauncher;
import io.micronaut.context.ApplicationContext;
import java.util.Map;

/**
 * contract-validator, started in this JVM for the registry's tests that need its verdicts.
 *
 * <p>The registry meets the validator only over Kafka (proposals and decisions, product events and
 * verdicts), so its tests need the running service, never its classes: they start it by its
 * Micronaut environment name through mesh-runtime's {@link ServiceLauncher}, exactly as the
 * service's own {@code main} does. contract-validator is on the test class path for its beans and
 * its {@code application-validator.yml}; the house rules (HouseRulesTest) keep any of its classes
 * out of this module's code. Should the environment ever be renamed, the start fails at once: the
 * launcher refuses to run a service whose configuration files it did not load.
 */
public final class BesideValidator {
  /** contract-validator's environment ({@code ValidatorApp.ENVIRONMENT}). */
  public static final String ENVIRONMENT = "validator";

  private BesideValidator() {}

  /** Starts the validator with {@code properties}; the caller closes the context to stop it. */
  public static ApplicationContext start(Map<String, Object> properties) {
    return ServiceLauncher.start(ENVIRONMENT, properties);
  }
}
