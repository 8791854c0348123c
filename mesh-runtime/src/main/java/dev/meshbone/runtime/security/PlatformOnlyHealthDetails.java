package dev.meshbone.runtime.security;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.context.ServerRequestContext;
import io.micronaut.management.endpoint.health.HealthEndpoint;
import io.micronaut.management.endpoint.health.HealthLevelOfDetail;
import io.micronaut.management.health.aggregator.DefaultHealthAggregator;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.runtime.ApplicationConfiguration;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * {@code /health} answers UP or DOWN to everyone, and its details (Kafka bootstrap servers, cluster
 * id, Streams state) only to the platform role. With security off, everyone sees the details, as
 * the local mesh always showed them.
 */
@Singleton
@Requires(beans = HealthEndpoint.class)
@Replaces(DefaultHealthAggregator.class)
public class PlatformOnlyHealthDetails extends DefaultHealthAggregator {
  private final SecuritySettings settings;

  public PlatformOnlyHealthDetails(
      ApplicationConfiguration applicationConfiguration, SecuritySettings settings) {
    super(applicationConfiguration);
    this.settings = settings;
  }

  @Override
  public Publisher<HealthResult> aggregate(
      HealthIndicator[] indicators, HealthLevelOfDetail healthLevelOfDetail) {
    boolean details =
        !settings.enabled()
            || ServerRequestContext.currentRequest()
                .map(request -> Actor.of(request).platform())
                .orElse(false);
    return super.aggregate(indicators, details ? healthLevelOfDetail : HealthLevelOfDetail.STATUS);
  }
}
