package dev.meshbone.runtime.security;

import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.BasicAuthAuthenticationFetcher;
import io.micronaut.security.config.SecurityConfiguration;
import io.micronaut.security.filters.AuthenticationFetcher;
import io.micronaut.security.filters.SecurityFilter;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.security.token.TokenAuthenticationFetcher;
import io.micronaut.security.token.reader.TokenResolver;
import java.util.Collection;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * micronaut-security's filter, with a shortcut for a request that carries no credentials: the same
 * decision by the same rule ({@link AccessControl}, the one authorization table), without the
 * reactive pipeline that asks each authentication fetcher for nothing and each rule in turn. A
 * request with credentials, or any set-up this class cannot vouch for, takes micronaut-security's
 * own way.
 *
 * <p>The shortcut holds only when every authentication fetcher is HTTP Basic (which reads only the
 * {@code Authorization} header) or the token fetcher (which reads only what its token resolver
 * finds, asked here the same way), and the first security rule is {@link AccessControl}, which
 * never answers UNKNOWN: then a request without an {@code Authorization} header and without a token
 * is anonymous to micronaut-security, and {@link AccessControl} alone decides it, as in {@link
 * SecurityFilter}.
 */
@Replaces(SecurityFilter.class)
@Requires(property = "micronaut.security.enabled", notEquals = "false")
@Requires(
    property = "micronaut.security.filter.enabled",
    notEquals = "false",
    defaultValue = "true")
@Requires(beans = SecurityConfiguration.class)
@Filter("${micronaut.security.filter.pattern:/**}")
public class AccessFilter extends SecurityFilter {
  private final AccessControl access;
  private final TokenResolver<HttpRequest<?>> tokens;
  private final boolean shortcut;

  @SuppressWarnings({"unchecked", "rawtypes"})
  public AccessFilter(
      Collection<SecurityRule<HttpRequest<?>>> securityRules,
      Collection<AuthenticationFetcher<HttpRequest<?>>> authenticationFetchers,
      SecurityConfiguration securityConfiguration,
      BeanContext beans) {
    super(securityRules, authenticationFetchers, securityConfiguration);
    SecurityRule<HttpRequest<?>> first =
        securityRules.isEmpty() ? null : securityRules.iterator().next();
    this.access = first instanceof AccessControl a ? a : null;
    boolean knownFetchers =
        authenticationFetchers.stream()
            .allMatch(
                f ->
                    f.getClass() == BasicAuthAuthenticationFetcher.class
                        || f.getClass() == TokenAuthenticationFetcher.class);
    boolean tokenFetcher =
        authenticationFetchers.stream()
            .anyMatch(f -> f.getClass() == TokenAuthenticationFetcher.class);
    Collection<TokenResolver> resolvers = beans.getBeansOfType(TokenResolver.class);
    this.tokens =
        tokenFetcher && resolvers.size() == 1
            ? (TokenResolver<HttpRequest<?>>) resolvers.iterator().next()
            : null;
    this.shortcut = access != null && knownFetchers && (!tokenFetcher || tokens != null);
  }

  @Override
  public Publisher<MutableHttpResponse<?>> doFilter(
      HttpRequest<?> request, ServerFilterChain chain) {
    if (!shortcut || !anonymous(request)) {
      return super.doFilter(request, chain);
    }
    request.getAttributes().put(KEY, true);
    request.setAttribute(AUTHENTICATION, null);
    if (access.decide(request, null) == SecurityRuleResult.ALLOWED) {
      return chain.proceed(request);
    }
    request.setAttribute(REJECTION, HttpStatus.UNAUTHORIZED);
    return Mono.error(new AuthorizationException(null));
  }

  /** Whether no fetcher can find credentials in the request. */
  private boolean anonymous(HttpRequest<?> request) {
    if (request.getHeaders().contains(HttpHeaders.AUTHORIZATION)) {
      return false;
    }
    return tokens == null || tokens.resolveTokens(request).isEmpty();
  }
}
