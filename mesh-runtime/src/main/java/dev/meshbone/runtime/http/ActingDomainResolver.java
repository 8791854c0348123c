package dev.meshbone.runtime.http;

import io.micronaut.http.HttpRequest;
import java.util.Optional;

/**
 * Who is making a write: the one seam between the HTTP APIs and authentication. Every write
 * endpoint asks this bean for the acting domain and refuses the request without one (or lets a
 * documented default apply, such as the schema API's subject owner for anonymous Confluent
 * clients). Today's implementation, {@link HeaderActingDomainResolver}, trusts what the client
 * says; an authenticating one (mTLS, OAuth, SASL-mapped principals) replaces it with
 * {@code @Replaces} and nothing else changes.
 */
public interface ActingDomainResolver {
  /** The header a client names its domain in. */
  String HEADER = "X-Mesh-Domain";

  /** The acting domain of this request, if it names one; never validated beyond its syntax. */
  Optional<String> actingDomain(HttpRequest<?> request);
}
