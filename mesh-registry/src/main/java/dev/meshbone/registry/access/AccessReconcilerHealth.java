package dev.meshbone.registry.access;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Reports the access reconciler under {@code access-reconciler}: whether it has read the mesh's
 * state, whether this instance is the one writing ACLs, how many comparisons it completed, and its
 * last failure. Always UP: the reconciler is fail-static (existing ACLs stay while it cannot act),
 * and a registry that serves its API should not be taken out of a load balancer for it; an operator
 * watches {@code lastError} instead.
 */
@Singleton
@Requires(beans = AccessReconcilerService.class)
public class AccessReconcilerHealth implements HealthIndicator {
  private final AccessReconcilerService service;

  public AccessReconcilerHealth(AccessReconcilerService service) {
    this.service = service;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    AccessReconciler r = service.reconciler();
    var details = new LinkedHashMap<String, Object>();
    details.put("caughtUp", r.isCaughtUp());
    details.put("writer", r.isWriter());
    details.put("reconciliations", r.reconciliations());
    String error = r.lastError();
    if (error != null) {
      details.put("lastError", error);
    }
    return Mono.just(
        HealthResult.builder("access-reconciler", HealthStatus.UP).details(details).build());
  }
}
