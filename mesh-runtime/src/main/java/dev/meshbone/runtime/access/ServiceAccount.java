package dev.meshbone.runtime.access;

import java.util.List;
import java.util.Objects;

/**
 * One of meshbone's own services as Kafka sees it: the principal it authenticates as and its Kafka
 * Streams {@code application.id}, which prefixes its consumer group, transactional ids and internal
 * topics. The default principals contain a dot, which no domain name does, so no domain can ever be
 * mapped onto a service's principal.
 *
 * @param service the service's name, e.g. {@code contract-validator}
 * @param principal e.g. {@code User:meshbone.contract-validator}
 * @param applicationId e.g. {@code meshbone-contract-validator}
 */
public record ServiceAccount(String service, String principal, String applicationId) {
  public static final String VALIDATOR = "contract-validator";
  public static final String REGISTRY = "mesh-registry";
  public static final String QUALITY = "quality-monitor";

  /** The services, in the order the table lists them. */
  public static final List<String> SERVICES = List.of(VALIDATOR, REGISTRY, QUALITY);

  public ServiceAccount {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(applicationId, "applicationId");
    if (!SERVICES.contains(service)) {
      throw new IllegalArgumentException("unknown service " + service + "; one of " + SERVICES);
    }
    if (principal.indexOf(':') < 1) {
      throw new IllegalArgumentException(
          service + ": principal '" + principal + "' is not <type>:<name>");
    }
    if (applicationId.isBlank()) {
      throw new IllegalArgumentException(service + ": application id is empty");
    }
  }

  /** The service with its default principal and application id. */
  public static ServiceAccount defaults(String service) {
    return new ServiceAccount(service, "User:" + defaultUser(service), "meshbone-" + service);
  }

  /** The SASL user name of a service by default: {@code meshbone.<service>}. */
  public static String defaultUser(String service) {
    return "meshbone." + service;
  }

  /** The user name part of the principal ({@code meshbone.contract-validator}). */
  public String userName() {
    return principal.substring(principal.indexOf(':') + 1);
  }

  public ServiceAccount withApplicationId(String id) {
    return new ServiceAccount(service, principal, id);
  }
}
