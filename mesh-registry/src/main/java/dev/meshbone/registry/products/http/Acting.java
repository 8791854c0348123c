package dev.meshbone.registry.products.http;

import dev.meshbone.runtime.http.ApiException;
import dev.meshbone.runtime.security.AccessRules;
import dev.meshbone.runtime.security.Actor;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

/**
 * The domain a request acts as, as {@link dev.meshbone.runtime.security.AccessControl} established
 * it from the mesh's access rules before the controller ran ({@link Actor}). The rules already
 * refused a caller that may not call the endpoint; {@link #require} adds the checks that need the
 * body (a product registered must belong to the acting domain).
 */
@Singleton
public class Acting {

  /** The acting domain, or 401. */
  public String domain(HttpRequest<?> request) {
    return AccessRules.actingDomain(request);
  }

  /** The acting domain when it is {@code required}, else 403 saying what it may not do. */
  public String require(HttpRequest<?> request, String required, String what) {
    return AccessRules.requireDomain(request, required, what);
  }

  public static ApiException forbidden(String domain, String what) {
    return AccessRules.forbidden(domain, what, "");
  }
}
