package dev.meshbone.runtime.security;

import static dev.meshbone.runtime.security.Access.CONSUMER;
import static dev.meshbone.runtime.security.Access.CONSUMER_OR_OWNER;
import static dev.meshbone.runtime.security.Access.DOMAIN;
import static dev.meshbone.runtime.security.Access.METRICS;
import static dev.meshbone.runtime.security.Access.NAMED_DOMAIN;
import static dev.meshbone.runtime.security.Access.OPEN;
import static dev.meshbone.runtime.security.Access.PLATFORM;
import static dev.meshbone.runtime.security.Access.PRODUCT_OWNER;
import static dev.meshbone.runtime.security.Access.PRODUCT_OWNER_OR_PLATFORM;
import static dev.meshbone.runtime.security.Access.READ;
import static dev.meshbone.runtime.security.Access.SUBJECT_OWNER;

import dev.meshbone.runtime.http.ApiException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one table of who may call what, for every endpoint of the three services: each route (method
 * and URI template, as the controllers declare them) has one rule. {@link AccessControl} applies it
 * to every request before a controller sees it; a route without a rule is refused, and the
 * route-table integration test fails for it.
 *
 * <p>The operation names what a refusal message says the caller may not do; {@code {x}} stands for
 * the path variable {@code x}.
 */
public final class AccessRules {
  /** One row: a route, who may call it, and what it does in words. */
  public record Rule(String method, String template, Access access, String operation) {
    String key() {
      return method + " " + template;
    }
  }

  /** Every rule, in the order the services' APIs are documented. */
  public static final List<Rule> RULES =
      List.of(
          // management, every service
          rule("GET", "/health", OPEN, "read the health"),
          rule("GET", "/health/{selector}", OPEN, "read the health"),
          rule("GET", "/prometheus", METRICS, "read the metrics"),
          // mesh-registry: products
          rule("GET", "/products", READ, "list products"),
          rule("POST", "/products", DOMAIN, "register a product"),
          rule("GET", "/products/{id}", READ, "read product {id}"),
          rule("PUT", "/products/{id}", PRODUCT_OWNER, "change product {id}"),
          rule("GET", "/products/{id}/lineage", READ, "read the lineage of {id}"),
          rule("GET", "/products/{id}/subscribers", READ, "read the subscribers of {id}"),
          rule(
              "GET",
              "/products/{id}/readers",
              PRODUCT_OWNER_OR_PLATFORM,
              "read the consumer groups reading {id}"),
          rule("GET", "/products/{id}/stats", READ, "read the stats of {id}"),
          rule("GET", "/products/{id}/health", READ, "read the recent health of {id}"),
          rule(
              "GET",
              "/products/{id}/events/{eventId}",
              READ,
              "read the verdict on a write to {id}"),
          rule("POST", "/products/{id}/deprecation", PRODUCT_OWNER, "deprecate product {id}"),
          rule("POST", "/products/{id}/retirement", PRODUCT_OWNER, "retire product {id}"),
          rule("GET", "/products/{id}/retirement", READ, "read the sunset of {id}"),
          rule(
              "POST",
              "/products/{id}/quality-results",
              PRODUCT_OWNER,
              "publish quality results of {id}"),
          rule("POST", "/products/{id}/subscriptions", DOMAIN, "subscribe to {id}"),
          rule(
              "DELETE",
              "/products/{id}/subscriptions/{consumer}",
              CONSUMER_OR_OWNER,
              "end the subscription of {consumer} to {id}"),
          rule(
              "PUT",
              "/products/{id}/subscriptions/{consumer}",
              CONSUMER,
              "declare the fields {consumer} reads of {id}"),
          rule(
              "POST",
              "/products/{id}/impact",
              PRODUCT_OWNER_OR_PLATFORM,
              "check the impact of a contract change on {id}"),
          rule(
              "POST",
              "/products/{id}/subscriptions/{consumer}/approval",
              PRODUCT_OWNER,
              "approve subscriptions to {id}"),
          rule(
              "POST",
              "/products/{id}/subscriptions/{consumer}/rejection",
              PRODUCT_OWNER,
              "reject subscriptions to {id}"),
          // mesh-registry: product issues; who may change or comment on an issue (its owner,
          // its reporter) is decided with the issue, in stream order
          rule("POST", "/products/{id}/issues", DOMAIN, "report an issue on {id}"),
          rule("GET", "/products/{id}/issues", READ, "read the issues of {id}"),
          rule("GET", "/products/{id}/issues/{issueId}", READ, "read issue {issueId} of {id}"),
          rule(
              "POST",
              "/products/{id}/issues/{issueId}/state",
              DOMAIN,
              "change the state of issue {issueId} of {id}"),
          rule(
              "POST",
              "/products/{id}/issues/{issueId}/comments",
              DOMAIN,
              "comment on issue {issueId} of {id}"),
          rule("GET", "/domains/{domain}/issues", READ, "read the issues of domain {domain}"),
          rule("GET", "/domains", READ, "list domains"),
          rule("GET", "/domains/{domain}/products", READ, "list the products of {domain}"),
          rule(
              "POST",
              "/domains/{domain}/products",
              NAMED_DOMAIN,
              "register products of domain {domain}"),
          rule(
              "GET",
              "/domains/{domain}/notifications",
              NAMED_DOMAIN,
              "read the notifications of domain {domain}"),
          rule(
              "GET",
              "/domains/{domain}/notifications/stream",
              NAMED_DOMAIN,
              "read the notifications of domain {domain}"),
          // mesh-registry: the console (its script and style are static files, read like the
          // dashboard's); what it shows and offers follows the caller's own rules above
          rule("GET", "/console", READ, "open the mesh console"),
          rule("GET", "/console/me", READ, "read who is using the console"),
          // mesh-registry: what instances ask each other, on behalf of their caller
          rule("GET", "/internal/products", READ, "list products"),
          rule("GET", "/internal/domains", READ, "list domains"),
          rule("GET", "/internal/issues", READ, "list issues"),
          rule("GET", "/internal/history/products", READ, "list products as they were"),
          rule("POST", "/internal/lineage/nodes", READ, "read lineage"),
          rule("GET", "/internal/read-sets", READ, "read declared fields"),
          // mesh-registry: the Confluent-compatible schema registry API
          rule("GET", "/subjects", READ, "list subjects"),
          rule(
              "POST",
              "/subjects/{subject}/versions",
              SUBJECT_OWNER,
              "register a schema under subject '{subject}'"),
          rule("POST", "/subjects/{subject}", READ, "look up a schema under '{subject}'"),
          rule("GET", "/subjects/{subject}/versions", READ, "read subject '{subject}'"),
          rule("GET", "/subjects/{subject}/versions/{version}", READ, "read subject '{subject}'"),
          rule(
              "GET",
              "/subjects/{subject}/versions/{version}/schema",
              READ,
              "read subject '{subject}'"),
          rule(
              "GET",
              "/subjects/{subject}/versions/{version}/referencedby",
              READ,
              "read subject '{subject}'"),
          rule("DELETE", "/subjects/{subject}", SUBJECT_OWNER, "delete subject '{subject}'"),
          rule(
              "DELETE",
              "/subjects/{subject}/versions/{version}",
              SUBJECT_OWNER,
              "delete a version of subject '{subject}'"),
          rule("GET", "/config", READ, "read the global compatibility level"),
          rule("PUT", "/config", PLATFORM, "change the global compatibility level"),
          rule("DELETE", "/config", PLATFORM, "reset the global compatibility level"),
          rule("GET", "/config/{subject}", READ, "read the compatibility level of '{subject}'"),
          rule(
              "PUT",
              "/config/{subject}",
              SUBJECT_OWNER,
              "change the compatibility level of subject '{subject}'"),
          rule(
              "DELETE",
              "/config/{subject}",
              SUBJECT_OWNER,
              "reset the compatibility level of subject '{subject}'"),
          rule("GET", "/schemas", READ, "list schemas"),
          rule("GET", "/schemas/types", READ, "list schema types"),
          rule("GET", "/schemas/ids/{id}", READ, "read schema {id}"),
          rule("GET", "/schemas/ids/{id}/schema", READ, "read schema {id}"),
          rule("GET", "/schemas/ids/{id}/subjects", READ, "read schema {id}"),
          rule("GET", "/schemas/ids/{id}/versions", READ, "read schema {id}"),
          rule(
              "POST",
              "/compatibility/subjects/{subject}/versions/{version}",
              READ,
              "test compatibility with '{subject}'"),
          rule(
              "POST",
              "/compatibility/subjects/{subject}/versions",
              READ,
              "test compatibility with '{subject}'"),
          rule("GET", "/associations/{+path}", READ, "read associations"),
          rule("GET", "/contexts", READ, "list contexts"),
          rule("GET", "/mode", READ, "read the mode"),
          // quality-monitor (its GET /products and /products/{id} share the registry's rows)
          rule("GET", "/", READ, "open the quality dashboard"),
          // (mesh-registry answers it too: every change to the product)
          rule("GET", "/products/{id}/history", READ, "read the history of {id}"),
          rule("GET", "/summary", READ, "read the health summary"),
          rule("GET", "/stream", READ, "follow health changes"));

  private static final Map<String, Rule> BY_ROUTE = index();

  private AccessRules() {}

  private static Rule rule(String method, String template, Access access, String operation) {
    return new Rule(method, template, access, operation);
  }

  private static Map<String, Rule> index() {
    Map<String, Rule> byRoute = new LinkedHashMap<>();
    for (Rule rule : RULES) {
      if (byRoute.put(rule.key(), rule) != null) {
        throw new IllegalStateException("two access rules for " + rule.key());
      }
    }
    return Map.copyOf(byRoute);
  }

  /** The rule of a route, by its method and URI template as the controller declares it. */
  public static Optional<Rule> find(String method, String template) {
    return Optional.ofNullable(BY_ROUTE.get(method + " " + template));
  }

  /**
   * For endpoints whose body names what they act on ({@link Access#DOMAIN}): the acting domain when
   * it is {@code owner}, else 403 saying who may.
   *
   * @param operation what the request does, for the message ("register product sales.orders")
   */
  public static String requireDomain(HttpRequest<?> request, String owner, String operation) {
    Actor actor = Actor.of(request);
    String domain =
        actor
            .actingDomain()
            .orElseThrow(
                () ->
                    new ApiException(
                        HttpStatus.UNAUTHORIZED,
                        "ACTING_DOMAIN_MISSING",
                        "this request must name the domain making it"));
    if (!domain.equals(owner)) {
      throw forbidden(domain, operation, "only domain " + owner + " may");
    }
    return domain;
  }

  /** The acting domain of a request that passed a {@link Access#DOMAIN} rule. */
  public static String actingDomain(HttpRequest<?> request) {
    return requireDomain(request, Actor.of(request).domain(), "act");
  }

  /** 403: domain {@code domain} may not {@code operation}; {@code why} (may be empty). */
  public static ApiException forbidden(String domain, String operation, String why) {
    return new ApiException(
        HttpStatus.FORBIDDEN,
        "FORBIDDEN",
        "domain " + domain + " may not " + operation + (why.isEmpty() ? "" : "; " + why));
  }
}
