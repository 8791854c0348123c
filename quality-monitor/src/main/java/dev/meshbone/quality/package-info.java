/**
 * quality-monitor: windowed SLO status, freshness and alerts from the domains' quality events, and
 * a live view of product health for SRE dashboards.
 *
 * <p>Every bean here loads only in the {@value dev.meshbone.quality.QualityApp#ENVIRONMENT}
 * environment, so the local launcher can run this service beside the others in one JVM.
 */
@Configuration
@Requires(env = QualityApp.ENVIRONMENT)
package dev.meshbone.quality;

import io.micronaut.context.annotation.Configuration;
import io.micronaut.context.annotation.Requires;
