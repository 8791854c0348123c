package dev.meshbone.registry.products.http;

import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.history.HistoryQueries;
import dev.meshbone.registry.products.history.HistoryViews.CatalogueAsOf;
import dev.meshbone.registry.products.history.HistoryViews.ProductAsOf;
import dev.meshbone.registry.products.query.CatalogQueries;
import dev.meshbone.registry.products.routing.RegistryRouter;
import dev.meshbone.runtime.http.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A product's history, and products as they were at an instant ({@code asOf} on {@code GET
 * /products/{id}} and {@code GET /products}, which hand over to this controller).
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class HistoryController {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final RegistryRouter router;
  private final CatalogQueries catalog;
  private final HistoryQueries history;

  public HistoryController(RegistryRouter router, CatalogQueries catalog, HistoryQueries history) {
    this.router = router;
    this.catalog = catalog;
    this.history = history;
  }

  @Get("/products/{id}/history")
  public HttpResponse<?> history(
      HttpRequest<?> request,
      @PathVariable String id,
      @Nullable @QueryValue String after,
      @Nullable @QueryValue String limit) {
    String productId = Ids.product(id).toString();
    long afterSeq = number("after", after, 0, Long.MAX_VALUE - 1, 0);
    int max = (int) number("limit", limit, 1, MAX_LIMIT, DEFAULT_LIMIT);
    return router.route(
        request,
        CatalogStores.PRODUCTS_STORE,
        productId,
        null,
        partition -> {
          var page = history.page(partition, productId, afterSeq, max);
          if (page.changes().isEmpty() && afterSeq == 0) {
            catalog.requireProduct(partition, productId);
          }
          return HttpResponse.ok(page);
        });
  }

  /** {@code GET /products/{id}?asOf=}: the product as it was then. */
  HttpResponse<?> productAsOf(HttpRequest<?> request, String productId, Instant at) {
    return router.route(
        request,
        CatalogStores.PRODUCTS_STORE,
        productId,
        null,
        partition -> HttpResponse.ok(history.asOf(partition, productId, at)));
  }

  /**
   * {@code GET /products?asOf=}: the catalogue as it was then (of one domain, if given), a page of
   * up to {@code limit} products after product {@code after} (from the page's {@code cursor}),
   * gathered from every instance; {@code nextCursor} continues it.
   */
  CatalogueAsOf catalogueAsOf(Instant at, String domain, String after, int limit) {
    String query =
        "/internal/history/products?asOf="
            + URLEncoder.encode(at.toString(), StandardCharsets.UTF_8)
            + "&limit="
            + limit
            + (domain == null ? "" : "&domain=" + URLEncoder.encode(domain, StandardCharsets.UTF_8))
            + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
    List<ProductAsOf> all = new ArrayList<>();
    for (CatalogueAsOf part :
        router.gather(
            CatalogStores.HISTORY_STORE,
            query,
            Argument.of(CatalogueAsOf.class),
            () ->
                new CatalogueAsOf(
                    at.toString(), history.allAsOf(at, domain, after, limit), null))) {
      all.addAll(part.items());
    }
    all.sort(HistoryQueries.PAGE_ORDER);
    if (all.size() <= limit) {
      return new CatalogueAsOf(at.toString(), all, null);
    }
    List<ProductAsOf> page = all.subList(0, limit);
    return new CatalogueAsOf(
        at.toString(),
        List.copyOf(page),
        dev.meshbone.registry.products.query.Paging.cursorAfter(page.get(limit - 1).id()));
  }

  /** This instance's part of {@code GET /products?asOf=}: up to {@code limit + 1} products. */
  @Get("/internal/history/products")
  public CatalogueAsOf internal(
      @Nullable @QueryValue String asOf,
      @Nullable @QueryValue String domain,
      @Nullable @QueryValue String after,
      @Nullable @QueryValue String limit) {
    Instant at = asOf(asOf);
    if (at == null) {
      throw ApiException.badRequest("INVALID_REQUEST", "asOf is required");
    }
    return new CatalogueAsOf(
        at.toString(),
        history.allAsOf(
            at,
            domain == null ? null : Ids.domain(domain),
            after == null ? null : Ids.product(after).toString(),
            (int) number("limit", limit, 1, 1000, 100)),
        null);
  }

  /** An {@code asOf} parameter: an ISO-8601 instant or a date, else 400; null when absent. */
  static Instant asOf(String raw) {
    return Bodies.instant("asOf", raw);
  }

  private static long number(String name, String raw, long min, long max, long otherwise) {
    if (raw == null || raw.isBlank()) {
      return otherwise;
    }
    try {
      long v = Long.parseLong(raw.trim());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw ApiException.badRequest(
        "INVALID_PAGING", name + " must be a whole number from " + min + " to " + max);
  }
}
