/**
 * contract-validator: decides contract registrations and validates every record and control event
 * the domains publish, exactly once, routing what fails to dead-letter topics with the reason.
 *
 * <p>Every bean here loads only in the {@value dev.meshbone.validator.ValidatorApp#ENVIRONMENT}
 * environment, so the local launcher can run this service beside the others in one JVM, each in its
 * own application context, without one seeing the other's beans.
 */
@Configuration
@Requires(env = ValidatorApp.ENVIRONMENT)
package dev.meshbone.validator;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
