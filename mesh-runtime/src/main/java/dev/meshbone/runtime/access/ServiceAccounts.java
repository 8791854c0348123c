package dev.meshbone.runtime.access;

import java.util.List;
import java.util.Objects;

/** The three services' accounts. */
public record ServiceAccounts(
    ServiceAccount validator, ServiceAccount registry, ServiceAccount quality) {

  public ServiceAccounts {
    Objects.requireNonNull(validator, "validator");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(quality, "quality");
  }

  /** Every service with its default principal and application id. */
  public static ServiceAccounts defaults() {
    return new ServiceAccounts(
        ServiceAccount.defaults(ServiceAccount.VALIDATOR),
        ServiceAccount.defaults(ServiceAccount.REGISTRY),
        ServiceAccount.defaults(ServiceAccount.QUALITY));
  }

  public List<ServiceAccount> all() {
    return List.of(validator, registry, quality);
  }

  /** The account of a service by its name. */
  public ServiceAccount of(String service) {
    return all().stream()
        .filter(a -> a.service().equals(service))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown service " + service));
  }
}
