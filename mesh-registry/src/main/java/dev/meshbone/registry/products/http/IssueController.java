package dev.meshbone.registry.products.http;

import dev.meshbone.events.IssueState;
import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.issues.IssueQueries;
import dev.meshbone.registry.products.issues.IssueService;
import dev.meshbone.registry.products.issues.IssueViews;
import dev.meshbone.registry.products.issues.IssueViews.CommentRequest;
import dev.meshbone.registry.products.issues.IssueViews.DomainIssues;
import dev.meshbone.registry.products.issues.IssueViews.IssueList;
import dev.meshbone.registry.products.issues.IssueViews.IssueSummaries;
import dev.meshbone.registry.products.issues.IssueViews.IssueSummary;
import dev.meshbone.registry.products.issues.IssueViews.OpenIssueRequest;
import dev.meshbone.registry.products.issues.IssueViews.StateRequest;
import dev.meshbone.registry.products.query.CatalogQueries;
import dev.meshbone.registry.products.routing.RegistryRouter;
import dev.meshbone.runtime.http.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Product issues: any domain reports a problem or an improvement; the product's owner answers
 * (acknowledges, resolves or declines it); the reporter may reopen a resolved one; both comment.
 * Writes are decided in stream order by the registry's topology and answer with the decision; reads
 * go to the instance that holds the product.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class IssueController {
  private final Acting acting;
  private final Bodies bodies;
  private final RegistryRouter router;
  private final CatalogQueries catalog;
  private final IssueQueries queries;
  private final IssueService issues;

  public IssueController(
      Acting acting,
      Bodies bodies,
      RegistryRouter router,
      CatalogQueries catalog,
      IssueQueries queries,
      IssueService issues) {
    this.acting = acting;
    this.bodies = bodies;
    this.router = router;
    this.catalog = catalog;
    this.queries = queries;
    this.issues = issues;
  }

  @Post("/products/{id}/issues")
  public HttpResponse<?> open(
      HttpRequest<?> request, @PathVariable String id, @Nullable @Body String body) {
    var product = Ids.product(id);
    String actor = acting.domain(request);
    var issue = issues.open(product, actor, bodies.parse(body, OpenIssueRequest.class));
    return HttpResponse.created(IssueViews.issue(issue))
        .header("Location", "/products/" + product + "/issues/" + issue.getIssueId());
  }

  @Post("/products/{id}/issues/{issueId}/state")
  public HttpResponse<?> changeState(
      HttpRequest<?> request,
      @PathVariable String id,
      @PathVariable String issueId,
      @Nullable @Body String body) {
    var product = Ids.product(id);
    String issue = IssueService.issueId(issueId);
    String actor = acting.domain(request);
    return HttpResponse.ok(
        IssueViews.issue(
            issues.changeState(product, issue, actor, bodies.parse(body, StateRequest.class))));
  }

  @Post("/products/{id}/issues/{issueId}/comments")
  public HttpResponse<?> comment(
      HttpRequest<?> request,
      @PathVariable String id,
      @PathVariable String issueId,
      @Nullable @Body String body) {
    var product = Ids.product(id);
    String issue = IssueService.issueId(issueId);
    String actor = acting.domain(request);
    return HttpResponse.created(
        IssueViews.issue(
            issues.comment(product, issue, actor, bodies.parse(body, CommentRequest.class))));
  }

  @Get("/products/{id}/issues")
  public HttpResponse<?> list(
      HttpRequest<?> request, @PathVariable String id, @Nullable @QueryValue String state) {
    String productId = Ids.product(id).toString();
    IssueState wanted = state(state);
    return router.route(
        request,
        CatalogStores.PRODUCTS_STORE,
        productId,
        null,
        partition -> {
          catalog.requireProduct(partition, productId);
          return HttpResponse.ok(
              new IssueList(
                  productId,
                  queries.ofProduct(partition, productId).stream()
                      .filter(i -> wanted == null || i.getState() == wanted)
                      .map(IssueViews::summary)
                      .toList()));
        });
  }

  @Get("/products/{id}/issues/{issueId}")
  public HttpResponse<?> one(
      HttpRequest<?> request, @PathVariable String id, @PathVariable String issueId) {
    String productId = Ids.product(id).toString();
    String issue = IssueService.issueId(issueId);
    return router.route(
        request,
        CatalogStores.PRODUCTS_STORE,
        productId,
        null,
        partition -> {
          catalog.requireProduct(partition, productId);
          return HttpResponse.ok(IssueViews.issue(queries.require(partition, productId, issue)));
        });
  }

  @Get("/domains/{domain}/issues")
  public DomainIssues ofDomain(@PathVariable String domain, @Nullable @QueryValue String state) {
    String d = Ids.domain(domain);
    IssueState wanted = state(state);
    String query =
        "/internal/issues?domain="
            + URLEncoder.encode(d, StandardCharsets.UTF_8)
            + (wanted == null ? "" : "&state=" + wanted.name());
    List<IssueSummary> all = new ArrayList<>();
    for (IssueSummaries part :
        router.gather(
            CatalogStores.ISSUES_STORE,
            query,
            Argument.of(IssueSummaries.class),
            () -> new IssueSummaries(queries.ofDomain(d, wanted)))) {
      all.addAll(part.issues());
    }
    all.sort(Comparator.comparing(IssueSummary::openedAt).thenComparing(IssueSummary::issueId));
    return new DomainIssues(
        d,
        all.stream().filter(i -> i.reporterDomain().equals(d)).toList(),
        all.stream().filter(i -> i.ownerDomain().equals(d)).toList());
  }

  /** This instance's part of {@code GET /domains/{domain}/issues}. */
  @Get("/internal/issues")
  public IssueSummaries internal(
      @Nullable @QueryValue String domain, @Nullable @QueryValue String state) {
    return new IssueSummaries(queries.ofDomain(Ids.domain(domain), state(state)));
  }

  private static IssueState state(String raw) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      IssueState s = IssueState.valueOf(raw.trim().toUpperCase(Locale.ROOT));
      if (s != IssueState.UNKNOWN) {
        return s;
      }
    } catch (IllegalArgumentException e) {
      // refused below
    }
    throw ApiException.badRequest(
        "INVALID_REQUEST",
        "state '" + Ids.printable(raw) + "' is not one of OPEN, ACKNOWLEDGED, RESOLVED, WONT_FIX");
  }
}
