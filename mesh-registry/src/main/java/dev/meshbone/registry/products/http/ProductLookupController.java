package dev.meshbone.registry.products.http;

import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.query.CatalogQueries;
import dev.meshbone.registry.products.routing.RegistryRouter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import java.util.concurrent.CompletableFuture;

/**
 * One product, the registry's hottest read. Unlike the other endpoints it runs on the HTTP server's
 * event loop, without a hop to a worker thread: the answer is a handful of reads of local stores
 * (memory and page cache), and a product held by another instance is forwarded without blocking.
 * The registry's stores must fit the page cache for this to stay fast (100,000 products take about
 * 100 MB).
 */
@Controller
public class ProductLookupController {
  private final RegistryRouter router;
  private final CatalogQueries queries;
  private final HistoryController history;
  private final java.util.concurrent.ExecutorService blocking;

  public ProductLookupController(
      RegistryRouter router,
      CatalogQueries queries,
      HistoryController history,
      @jakarta.inject.Named(io.micronaut.scheduling.TaskExecutors.BLOCKING)
          java.util.concurrent.ExecutorService blocking) {
    this.router = router;
    this.queries = queries;
    this.history = history;
    this.blocking = blocking;
  }

  @Get("/products/{id}")
  public CompletableFuture<HttpResponse<?>> product(
      HttpRequest<?> request, @PathVariable String id, @Nullable @QueryValue String asOf) {
    String productId = Ids.product(id).toString();
    java.time.Instant at = HistoryController.asOf(asOf);
    if (at != null) {
      // A replay of the product's history: a blocking read, off the event loop.
      return CompletableFuture.supplyAsync(
          () -> history.productAsOf(request, productId, at), blocking);
    }
    return router.routeAsync(
        request,
        CatalogStores.PRODUCTS_STORE,
        productId,
        partition -> HttpResponse.ok(queries.detail(partition, productId)));
  }
}
