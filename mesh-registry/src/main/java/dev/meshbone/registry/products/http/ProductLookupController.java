package dev.meshbone.registry.products.http;

import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.query.CatalogQueries;
import dev.meshbone.registry.products.routing.RegistryRouter;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
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

  public ProductLookupController(RegistryRouter router, CatalogQueries queries) {
    this.router = router;
    this.queries = queries;
  }

  @Get("/products/{id}")
  public CompletableFuture<HttpResponse<?>> product(
      HttpRequest<?> request, @PathVariable String id) {
    String productId = Ids.product(id).toString();
    return router.routeAsync(
        request,
        CatalogStores.PRODUCTS_STORE,
        productId,
        partition -> HttpResponse.ok(queries.detail(partition, productId)));
  }
}
