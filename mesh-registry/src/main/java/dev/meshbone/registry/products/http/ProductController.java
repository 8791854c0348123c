package dev.meshbone.registry.products.http;

import dev.meshbone.events.SubscriptionState;
import dev.meshbone.registry.products.RegistrySettings;
import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.lineage.LineageService;
import dev.meshbone.registry.products.query.CatalogQueries;
import dev.meshbone.registry.products.query.Paging;
import dev.meshbone.registry.products.query.ReaderQueries;
import dev.meshbone.registry.products.query.SearchFilter;
import dev.meshbone.registry.products.routing.RegistryRouter;
import dev.meshbone.registry.products.view.Dto.LineageGraph;
import dev.meshbone.runtime.http.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Locale;

/**
 * Reading the registry: list and search products, one product, its lineage, subscribers, observed
 * readers and stats. A request about one product is answered by the instance that holds it
 * (forwarded there if need be); a list asks every instance.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class ProductController {
  private final RegistryRouter router;
  private final CatalogQueries queries;
  private final ProductSearch search;
  private final LineageService lineage;
  private final RegistrySettings settings;
  private final HistoryController history;
  private final ReaderQueries readers;

  public ProductController(
      RegistryRouter router,
      CatalogQueries queries,
      ProductSearch search,
      LineageService lineage,
      RegistrySettings settings,
      HistoryController history,
      ReaderQueries readers) {
    this.history = history;
    this.readers = readers;
    this.router = router;
    this.queries = queries;
    this.search = search;
    this.lineage = lineage;
    this.settings = settings;
  }

  @Get("/products")
  public HttpResponse<?> list(
      @Nullable @QueryValue String asOf,
      @Nullable @QueryValue String domain,
      @Nullable @QueryValue String tag,
      @Nullable @QueryValue String classification,
      @Nullable @QueryValue String owner,
      @Nullable @QueryValue String status,
      @Nullable @QueryValue String q,
      @Nullable @QueryValue String health,
      @Nullable @QueryValue String limit,
      @Nullable @QueryValue String cursor,
      @Nullable @QueryValue String offset) {
    java.time.Instant at = HistoryController.asOf(asOf);
    if (at != null) {
      if (tag != null
          || classification != null
          || owner != null
          || status != null
          || q != null
          || health != null) {
        throw dev.meshbone.runtime.http.ApiException.badRequest(
            "INVALID_FILTER",
            "asOf lists the whole catalogue, or one domain's: only domain goes with it");
      }
      if (offset != null) {
        throw dev.meshbone.runtime.http.ApiException.badRequest(
            "INVALID_REQUEST", "asOf pages with limit and cursor (the nextCursor of a page)");
      }
      Paging page = paging(limit, cursor, null);
      return HttpResponse.ok(
          history.catalogueAsOf(
              at, domain == null ? null : Ids.domain(domain), page.after(), page.limit()));
    }
    return HttpResponse.ok(
        search.page(
            SearchFilter.parse(domain, tag, classification, owner, status, q, health),
            paging(limit, cursor, offset)));
  }

  Paging paging(String limit, String cursor, String offset) {
    return Paging.parse(
        limit,
        cursor,
        offset,
        settings.defaultPageSize(),
        settings.maxPageSize(),
        settings.maxOffset());
  }

  @Get("/products/{id}/lineage")
  public HttpResponse<?> lineage(
      HttpRequest<?> request,
      @PathVariable String id,
      @Nullable @QueryValue String direction,
      @Nullable @QueryValue String depth,
      @Nullable @QueryValue String observed) {
    String productId = Ids.product(id).toString();
    boolean withReaders = observed(observed);
    LineageGraph graph =
        lineage.lineage(
            productId,
            LineageService.Direction.parse(direction),
            LineageService.parseDepth(depth, settings.maxLineageDepth()));
    if (!withReaders) {
      return HttpResponse.ok(graph);
    }
    return onProduct(request, productId, p -> readers.observedLineage(p, graph));
  }

  /** The consumer groups reading the product's topic, as last observed. */
  @Get("/products/{id}/readers")
  public HttpResponse<?> readers(HttpRequest<?> request, @PathVariable String id) {
    String productId = Ids.product(id).toString();
    return onProduct(request, productId, p -> readers.readers(p, productId));
  }

  /** The sunset of a DEPRECATED product: readiness, who blocks it, what was sent. */
  @Get("/products/{id}/retirement")
  public HttpResponse<?> retirement(HttpRequest<?> request, @PathVariable String id) {
    String productId = Ids.product(id).toString();
    return onProduct(
        request, productId, p -> readers.retirement(p, productId, java.time.Instant.now()));
  }

  /** {@code read} on the instance and partition that hold the product (forwarded if elsewhere). */
  private HttpResponse<?> onProduct(
      HttpRequest<?> request, String productId, java.util.function.IntFunction<Object> read) {
    return router.route(
        request,
        CatalogStores.PRODUCTS_STORE,
        productId,
        null,
        partition -> HttpResponse.ok(read.apply(partition)));
  }

  static boolean observed(String observed) {
    if (observed == null || observed.isBlank() || observed.equalsIgnoreCase("false")) {
      return false;
    }
    if (observed.equalsIgnoreCase("true")) {
      return true;
    }
    throw ApiException.badRequest(
        "INVALID_FILTER", "observed must be true or false, not \"" + observed + "\"");
  }

  @Get("/products/{id}/subscribers")
  public HttpResponse<?> subscribers(
      HttpRequest<?> request, @PathVariable String id, @Nullable @QueryValue String state) {
    String productId = Ids.product(id).toString();
    SubscriptionState wanted = subscriptionState(state);
    return onProduct(request, productId, p -> queries.subscribers(p, productId, wanted));
  }

  /** The product's recent health, the points the console draws. */
  @Get("/products/{id}/health")
  public HttpResponse<?> health(HttpRequest<?> request, @PathVariable String id) {
    String productId = Ids.product(id).toString();
    return onProduct(request, productId, p -> queries.healthTrail(p, productId));
  }

  @Get("/products/{id}/stats")
  public HttpResponse<?> stats(HttpRequest<?> request, @PathVariable String id) {
    String productId = Ids.product(id).toString();
    return onProduct(request, productId, p -> queries.stats(p, productId));
  }

  static SubscriptionState subscriptionState(String state) {
    if (state == null || state.isBlank()) {
      return null;
    }
    try {
      SubscriptionState s = SubscriptionState.valueOf(state.trim().toUpperCase(Locale.ROOT));
      if (s != SubscriptionState.UNKNOWN) {
        return s;
      }
    } catch (IllegalArgumentException e) {
      // falls through
    }
    throw ApiException.badRequest(
        "INVALID_FILTER",
        "filter state='"
            + Ids.printable(state)
            + "' is invalid: expected one of REQUESTED, APPROVED, REJECTED, REVOKED");
  }
}
