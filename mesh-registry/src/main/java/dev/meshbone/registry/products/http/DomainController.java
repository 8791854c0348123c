package dev.meshbone.registry.products.http;

import dev.meshbone.registry.products.RegistrySettings;
import dev.meshbone.registry.products.query.Paging;
import dev.meshbone.registry.products.query.SearchFilter;
import dev.meshbone.registry.products.view.Dto.DomainList;
import dev.meshbone.registry.products.view.Dto.ProductPage;
import dev.meshbone.runtime.http.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** The mesh's domains, each with its product counts, and one domain's products. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class DomainController {
  private final ProductSearch search;
  private final RegistrySettings settings;

  public DomainController(ProductSearch search, RegistrySettings settings) {
    this.search = search;
    this.settings = settings;
  }

  @Get("/domains")
  public DomainList domains() {
    return search.domains();
  }

  @Get("/domains/{domain}/products")
  public ProductPage products(
      @PathVariable String domain,
      @Nullable @QueryValue String status,
      @Nullable @QueryValue String limit,
      @Nullable @QueryValue String cursor,
      @Nullable @QueryValue String offset) {
    String d = Ids.domain(domain);
    Paging paging =
        Paging.parse(
            limit,
            cursor,
            offset,
            settings.defaultPageSize(),
            settings.maxPageSize(),
            settings.maxOffset());
    ProductPage page = search.page(SearchFilter.parse(d, null, null, null, status, null), paging);
    if (page.items().isEmpty()
        && paging.after() == null
        && paging.offset() == 0
        && status == null) {
      throw ApiException.notFound(
          "DOMAIN_NOT_FOUND", "domain " + d + " has no products registered in the mesh");
    }
    return page;
  }
}
