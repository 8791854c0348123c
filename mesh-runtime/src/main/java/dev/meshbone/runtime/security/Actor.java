package dev.meshbone.runtime.security;

import io.micronaut.http.HttpRequest;
import java.util.Optional;

/**
 * Who makes a request, as {@link AccessControl} established it before the request reached a
 * controller: the authenticated principal (or, with security off, the identity the caller claims),
 * and the domain it acts as.
 *
 * @param principal the user name or token subject; null for an anonymous caller
 * @param domain the domain the request acts as: the principal's own, or the one the platform role
 *     named in {@value #HEADER}; null when it acts as no domain
 * @param platform whether the principal has the platform role
 * @param actingFor whether the platform role acts for {@code domain} (logged)
 */
public record Actor(String principal, String domain, boolean platform, boolean actingFor) {
  /** The header a request names the domain it acts as in. */
  public static final String HEADER = "X-Mesh-Domain";

  static final String ATTRIBUTE = "meshbone.security.actor";

  static final Actor ANONYMOUS = new Actor(null, null, false, false);

  /** The actor of a request that passed {@link AccessControl}; anonymous when there is none. */
  public static Actor of(HttpRequest<?> request) {
    return request.getAttribute(ATTRIBUTE, Actor.class).orElse(ANONYMOUS);
  }

  public boolean anonymous() {
    return principal == null;
  }

  /** The domain the request acts as, if any. */
  public Optional<String> actingDomain() {
    return Optional.ofNullable(domain);
  }

  @Override
  public String toString() {
    if (anonymous()) {
      return "anonymous";
    }
    return principal + (platform ? " (platform)" : "") + (actingFor ? " acting for " + domain : "");
  }
}
