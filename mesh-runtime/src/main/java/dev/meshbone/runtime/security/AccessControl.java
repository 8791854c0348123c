package dev.meshbone.runtime.security;

import dev.meshbone.contracts.Subjects;
import dev.meshbone.runtime.ServiceLauncher;
import dev.meshbone.runtime.http.ApiException;
import dev.meshbone.topics.Names;
import dev.meshbone.topics.ProductId;
import io.micronaut.context.BeanContext;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.security.token.jwt.signature.ReactiveSignatureConfiguration;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.UriRouteMatch;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Applies {@link AccessRules} to every request, before any controller: establishes the {@link
 * Actor} (who, acting as which domain) and allows the request or refuses it with a reason that
 * {@link AccessDeniedHandler} answers (401 or 403, JSON). The only security rule that decides: it
 * runs first and never answers UNKNOWN.
 *
 * <p>With security on, the principal is what micronaut-security authenticated (HTTP Basic against
 * the users files, or a Bearer JWT); a request whose Authorization header was refused is 401
 * everywhere. With security off ({@code meshbone.security.enabled=false}), the caller's own claim
 * is believed: {@value Actor#HEADER}, else the basic-auth user name, unchecked.
 */
@Singleton
public class AccessControl implements SecurityRule<HttpRequest<?>> {
  /** The request attribute holding the refusal that {@link AccessDeniedHandler} answers. */
  static final String REFUSAL = "meshbone.security.refusal";

  /** Where every act of the platform role for a domain is logged. */
  static final Logger AUDIT = LoggerFactory.getLogger("meshbone.audit");

  private static final Mono<SecurityRuleResult> ALLOWED = Mono.just(SecurityRuleResult.ALLOWED);

  private final SecuritySettings settings;
  private final Map<RouteKey, AccessRules.Rule> rules = new ConcurrentHashMap<>();

  public AccessControl(SecuritySettings settings, BeanContext beans) {
    this.settings = settings;
    if (settings.enabled()
        && settings.jwt()
        && beans.getBeansOfType(SignatureConfiguration.class).isEmpty()
        && beans.getBeansOfType(ReactiveSignatureConfiguration.class).isEmpty()) {
      // micronaut-security-jwt takes unsigned tokens when it has no key: never run so.
      throw new IllegalStateException(
          "meshbone.security.jwt.enabled=true but no key to check tokens with is configured: set "
              + ServiceLauncher.JWT_SIGNATURES
              + ".jwks.<name>.url or .jwks-static.<name>.path");
    }
  }

  @Override
  public int getOrder() {
    return HIGHEST_PRECEDENCE;
  }

  @Override
  public Publisher<SecurityRuleResult> check(
      @Nullable HttpRequest<?> request, @Nullable Authentication authentication) {
    if (request == null) {
      return Mono.just(SecurityRuleResult.UNKNOWN);
    }
    return decide(request, authentication) == SecurityRuleResult.ALLOWED
        ? ALLOWED
        : Mono.just(SecurityRuleResult.REJECTED);
  }

  /**
   * What {@link #check} answers, without a publisher: ALLOWED or REJECTED (with the refusal in the
   * request's attributes), never UNKNOWN.
   */
  SecurityRuleResult decide(HttpRequest<?> request, @Nullable Authentication authentication) {
    try {
      Actor actor = actor(request, authentication);
      request.setAttribute(Actor.ATTRIBUTE, actor);
      authorize(request, actor);
      if (actor.actingFor()) {
        AUDIT.info(
            "platform user '{}' acts for domain '{}': {} {}",
            actor.principal(),
            actor.domain(),
            request.getMethodName(),
            printable(request.getPath()));
      }
      return SecurityRuleResult.ALLOWED;
    } catch (ApiException refusal) {
      request.setAttribute(REFUSAL, refusal);
      return SecurityRuleResult.REJECTED;
    }
  }

  // ---- who ----

  private Actor actor(HttpRequest<?> request, @Nullable Authentication authentication) {
    String header = trimmed(request.getHeaders().get(Actor.HEADER));
    if (!settings.enabled()) {
      String claimed = header != null ? header : basicUser(request).orElse(null);
      if (claimed == null) {
        return Actor.ANONYMOUS;
      }
      boolean platform = claimed.equals(settings.platformRole());
      return new Actor(claimed, platform ? null : claimed, platform, false);
    }
    if (authentication == null) {
      if (request.getHeaders().getAuthorization().isPresent()) {
        throw new ApiException(
            HttpStatus.UNAUTHORIZED,
            "CREDENTIALS_REFUSED",
            "the credentials in the Authorization header were refused: an unknown user, a wrong"
                + " password, or a token that is malformed, expired, unsigned or not signed by a"
                + " trusted key");
      }
      return Actor.ANONYMOUS;
    }
    String name = authentication.getName();
    String claim = domainClaim(authentication);
    boolean platform =
        settings.platformRole().equals(claim)
            || authentication.getRoles().contains(settings.platformRole());
    String own = !platform && Names.isValidDomain(claim) ? claim : null;
    if (header == null) {
      return new Actor(name, own, platform, false);
    }
    if (platform) {
      if (!Names.isValidDomain(header)) {
        throw new ApiException(
            HttpStatus.BAD_REQUEST,
            "ACTING_DOMAIN_INVALID",
            Actor.HEADER + " does not name a domain: a domain name is " + Names.RULE);
      }
      return new Actor(name, header, true, true);
    }
    if (!header.equals(own)) {
      throw new ApiException(
          HttpStatus.FORBIDDEN,
          "FORBIDDEN",
          (own == null ? "principal " + printable(name) + ", which is no domain," : "domain " + own)
              + " may not act for domain "
              + printable(header));
    }
    return new Actor(name, own, false, false);
  }

  /** The value of the domain claim: the basic-auth user, or the configured JWT claim. */
  private String domainClaim(Authentication authentication) {
    if (authentication.getAttributes().containsKey(UsersFileAuthenticationProvider.SOURCE)
        || settings.domainClaim().equals("sub")) {
      return authentication.getName();
    }
    Object value = authentication.getAttributes().get(settings.domainClaim());
    return value instanceof String s ? s : null;
  }

  // ---- may it ----

  private void authorize(HttpRequest<?> request, Actor actor) {
    Optional<UriRouteMatch> match =
        RouteAttributes.getRouteMatch(request)
            .filter(UriRouteMatch.class::isInstance)
            .map(UriRouteMatch.class::cast);
    if (match.isEmpty()) {
      // No route: a static file (the dashboard, the OpenAPI document) is a read; anything else is
      // let through to its 404 or 405, but only for a caller who may read.
      read(actor, () -> "read " + printable(request.getPath()));
      return;
    }
    UriRouteMatch<?, ?> route = match.get();
    AccessRules.Rule rule = rule(route);
    Map<String, Object> vars = route.getVariableValues();
    // What the request does, in words: only a refusal says it.
    Supplier<String> operation = () -> operation(rule.operation(), vars);
    switch (rule.access()) {
      case OPEN -> {}
      case READ -> read(actor, operation);
      case METRICS -> {
        if (settings.enabled()
            && settings.prometheus() == SecuritySettings.PrometheusAccess.PLATFORM) {
          platform(actor, operation.get());
        }
      }
      case PLATFORM -> {
        if (settings.enabled() || !actor.anonymous()) {
          platform(actor, operation.get());
        }
      }
      case DOMAIN -> domain(actor, operation.get(), false);
      case NAMED_DOMAIN -> {
        String domain = domain(actor, operation.get(), false);
        String named = text(vars.get("domain"));
        if (!domain.equals(named)) {
          throw AccessRules.forbidden(domain, operation.get(), "only domain " + named + " may");
        }
      }
      case PRODUCT_OWNER -> {
        String domain = domain(actor, operation.get(), false);
        ownerOfProduct(text(vars.get("id")))
            .filter(owner -> !owner.equals(domain))
            .ifPresent(
                owner -> {
                  throw AccessRules.forbidden(
                      domain, operation.get(), "only domain " + owner + " may");
                });
      }
      case CONSUMER -> {
        String domain = domain(actor, operation.get(), false);
        String consumer = text(vars.get("consumer"));
        if (!domain.equals(consumer)) {
          throw AccessRules.forbidden(domain, operation.get(), "only domain " + consumer + " may");
        }
      }
      case PRODUCT_OWNER_OR_PLATFORM -> {
        if (!actor.platform()) {
          String domain = domain(actor, operation.get(), false);
          ownerOfProduct(text(vars.get("id")))
              .filter(owner -> !owner.equals(domain))
              .ifPresent(
                  owner -> {
                    throw AccessRules.forbidden(
                        domain, operation.get(), "only domain " + owner + " or the platform may");
                  });
        }
      }
      case CONSUMER_OR_OWNER -> {
        String domain = domain(actor, operation.get(), false);
        String consumer = text(vars.get("consumer"));
        Optional<String> owner = ownerOfProduct(text(vars.get("id")));
        if (!domain.equals(consumer) && owner.isPresent() && !owner.get().equals(domain)) {
          throw AccessRules.forbidden(
              domain,
              operation.get(),
              "only the consumer " + consumer + " or the owner " + owner.get() + " may");
        }
      }
      case SUBJECT_OWNER -> {
        Optional<String> owner = Subjects.owner(Subjects.canonical(text(vars.get("subject"))));
        if (actor.anonymous() && !settings.enabled()) {
          return; // the schema API's anonymous-writes policy decides
        }
        String domain = domain(actor, operation.get(), true);
        if (owner.isPresent() && !owner.get().equals(domain)) {
          throw new ApiException(
              HttpStatus.FORBIDDEN,
              "FORBIDDEN",
              "domain '"
                  + domain
                  + "' may not "
                  + operation.get()
                  + ": it belongs to domain '"
                  + owner.get()
                  + "'");
        }
      }
    }
  }

  /**
   * The rule of a route, looked up once per route (by identity) and method: the table's key is the
   * method and the URI template as the controller declares it, which the route does not change.
   */
  private AccessRules.Rule rule(UriRouteMatch<?, ?> route) {
    // HEAD is GET without the body: Micronaut answers it with the GET route.
    HttpMethod method =
        route.getHttpMethod() == HttpMethod.HEAD ? HttpMethod.GET : route.getHttpMethod();
    RouteKey key = new RouteKey(route.getRouteInfo(), method);
    AccessRules.Rule rule = rules.get(key);
    if (rule != null) {
      return rule;
    }
    String template = route.getRouteInfo().getUriMatchTemplate().toString();
    rule =
        AccessRules.find(method.name(), template)
            .orElseThrow(
                () ->
                    new ApiException(
                        HttpStatus.FORBIDDEN,
                        "NO_ACCESS_RULE",
                        method.name()
                            + " "
                            + template
                            + " has no access rule, so nobody may call it (AccessRules)"));
    rules.put(key, rule);
    return rule;
  }

  /** A route, by identity, and a method. */
  private record RouteKey(Object route, HttpMethod method) {
    @Override
    public boolean equals(Object o) {
      return o instanceof RouteKey k && k.route == route && k.method == method;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(route) * 31 + method.hashCode();
    }
  }

  private void read(Actor actor, Supplier<String> operation) {
    if (actor.anonymous() && settings.enabled() && !settings.anonymousCatalogueReads()) {
      throw unauthenticated(operation.get());
    }
  }

  private void platform(Actor actor, String operation) {
    if (actor.anonymous()) {
      throw unauthenticated(operation);
    }
    if (!actor.platform()) {
      throw new ApiException(
          HttpStatus.FORBIDDEN,
          "FORBIDDEN",
          (actor.domain() == null
                  ? "principal " + printable(actor.principal())
                  : "domain '" + actor.domain() + "'")
              + " may not "
              + operation
              + ": only the platform role ('"
              + settings.platformRole()
              + "') may");
    }
  }

  /** The domain the request acts as, or 401/403 saying why there is none. */
  private String domain(Actor actor, String operation, boolean quoted) {
    if (actor.anonymous()) {
      if (!settings.enabled()) {
        throw new ApiException(
            HttpStatus.UNAUTHORIZED,
            "ACTING_DOMAIN_MISSING",
            "this request must name the domain making it: send the "
                + Actor.HEADER
                + " header (or the domain as the basic-auth user)");
      }
      throw unauthenticated(operation);
    }
    if (actor.domain() == null) {
      if (actor.platform()) {
        throw new ApiException(
            HttpStatus.FORBIDDEN,
            "FORBIDDEN",
            "the platform role may not "
                + operation
                + " as itself: it acts for a domain only when it names the domain in the "
                + Actor.HEADER
                + " header");
      }
      throw new ApiException(
          HttpStatus.FORBIDDEN,
          "FORBIDDEN",
          "principal "
              + printable(actor.principal())
              + " is no domain of the mesh: it may not "
              + operation);
    }
    if (!Names.isValidDomain(actor.domain())) {
      throw new ApiException(
          HttpStatus.UNAUTHORIZED,
          "ACTING_DOMAIN_INVALID",
          "the acting domain is not a domain name: a domain name is " + Names.RULE);
    }
    return actor.domain();
  }

  private static Optional<String> ownerOfProduct(String id) {
    return ProductId.isValid(id) ? Optional.of(ProductId.parse(id).domain()) : Optional.empty();
  }

  private ApiException unauthenticated(String operation) {
    return new ApiException(
        HttpStatus.UNAUTHORIZED,
        "UNAUTHENTICATED",
        "authentication required to "
            + operation
            + ": send "
            + (settings.jwt() && settings.usersFiles().isEmpty()
                ? "a Bearer token"
                : settings.jwt()
                    ? "HTTP Basic credentials or a Bearer token"
                    : "HTTP Basic credentials"));
  }

  // ---- text ----

  private static String operation(String template, Map<String, Object> vars) {
    String text = template;
    for (var entry : vars.entrySet()) {
      text = text.replace("{" + entry.getKey() + "}", printable(text(entry.getValue())));
    }
    return text;
  }

  private static String text(Object value) {
    return value == null ? "" : value.toString();
  }

  static String printable(String text) {
    if (text == null) {
      return "";
    }
    String cut = text.length() > 120 ? text.substring(0, 120) + "..." : text;
    for (int i = 0; i < cut.length(); i++) {
      if (Character.isISOControl(cut.charAt(i))) {
        return cut.replaceAll("\\p{Cntrl}", "?");
      }
    }
    return cut;
  }

  private static String trimmed(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** The basic-auth user name, read leniently (security off only: nothing is checked then). */
  private static Optional<String> basicUser(HttpRequest<?> request) {
    Optional<String> authorization = request.getHeaders().getAuthorization();
    if (authorization.isEmpty() || !authorization.get().regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    try {
      String decoded =
          new String(
              Base64.getDecoder().decode(authorization.get().substring(6).trim()),
              StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      String user = colon < 0 ? decoded : decoded.substring(0, colon);
      return user.isBlank() ? Optional.empty() : Optional.of(user);
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
  }
}
