/**
 * mesh-registry: the materialized product registry, the Confluent-compatible schema registry API,
 * subscriptions and notifications.
 *
 * <p>Every bean here loads only in the {@value dev.meshbone.registry.RegistryApp#ENVIRONMENT}
 * environment, so the local launcher can run this service beside the others in one JVM.
 */
@Configuration
@Requires(env = RegistryApp.ENVIRONMENT)
package dev.meshbone.registry;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
