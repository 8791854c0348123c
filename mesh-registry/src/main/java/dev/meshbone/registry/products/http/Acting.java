package dev.meshbone.registry.products.http;

import dev.meshbone.runtime.http.ActingDomainResolver;
import dev.meshbone.runtime.http.ApiException;
import dev.meshbone.topics.Names;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

/**
 * Who is making a request, through the mesh's one seam for it ({@link ActingDomainResolver}), and
 * the rules every write applies: a request without a valid acting domain is 401, one by a domain
 * that may not do what it asks is 403.
 */
@Singleton
public class Acting {
  private final ActingDomainResolver resolver;

  public Acting(ActingDomainResolver resolver) {
    this.resolver = resolver;
  }

  /** The acting domain, or 401. */
  public String domain(HttpRequest<?> request) {
    String domain =
        resolver
            .actingDomain(request)
            .orElseThrow(
                () ->
                    new ApiException(
                        HttpStatus.UNAUTHORIZED,
                        "ACTING_DOMAIN_MISSING",
                        "this request must name the domain making it: send the "
                            + ActingDomainResolver.HEADER
                            + " header (or the domain as the basic-auth user)"));
    if (!Names.isValidDomain(domain)) {
      throw new ApiException(
          HttpStatus.UNAUTHORIZED,
          "ACTING_DOMAIN_INVALID",
          "the acting domain is not a domain name: a domain name is " + Names.RULE);
    }
    return domain;
  }

  /** The acting domain when it is {@code required}, else 403 saying what it may not do. */
  public String require(HttpRequest<?> request, String required, String what) {
    String domain = domain(request);
    if (!domain.equals(required)) {
      throw forbidden(domain, what + "; only domain " + required + " may");
    }
    return domain;
  }

  public static ApiException forbidden(String domain, String what) {
    return new ApiException(
        HttpStatus.FORBIDDEN, "FORBIDDEN", "domain " + domain + " may not " + what);
  }
}
