package dev.meshbone.registry.products.http;

import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.query.CatalogQueries;
import dev.meshbone.registry.products.query.Paging;
import dev.meshbone.registry.products.query.SearchFilter;
import dev.meshbone.registry.products.routing.RegistryRouter;
import dev.meshbone.registry.products.view.Dto.DomainDto;
import dev.meshbone.registry.products.view.Dto.DomainList;
import dev.meshbone.registry.products.view.Dto.ProductPage;
import dev.meshbone.registry.products.view.Dto.ProductSummary;
import dev.meshbone.registry.products.view.Dto.SummaryList;
import io.micronaut.core.type.Argument;
import jakarta.inject.Singleton;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lists and searches across every instance: each returns its first matches after the cursor in id
 * order, and the merge of those is the global order, so a page is exact however the partitions are
 * spread.
 */
@Singleton
public class ProductSearch {
  private final RegistryRouter router;
  private final CatalogQueries queries;

  public ProductSearch(RegistryRouter router, CatalogQueries queries) {
    this.router = router;
    this.queries = queries;
  }

  public ProductPage page(SearchFilter filter, Paging paging) {
    // One more than the page needs says whether another page follows.
    int want = paging.offset() + paging.limit() + 1;
    String query =
        "/internal/products?limit="
            + want
            + (paging.after() == null
                ? ""
                : "&after=" + URLEncoder.encode(paging.after(), StandardCharsets.UTF_8))
            + filter.toQuery();
    List<SummaryList> parts =
        router.gather(
            CatalogStores.PRODUCTS_STORE,
            query,
            Argument.of(SummaryList.class),
            () -> new SummaryList(queries.search(filter, paging.after(), want)));
    var merged = new TreeMap<String, ProductSummary>();
    for (SummaryList part : parts) {
      for (ProductSummary s : part.items() == null ? List.<ProductSummary>of() : part.items()) {
        merged.put(s.id(), s);
      }
    }
    List<ProductSummary> all = new ArrayList<>(merged.values());
    int from = Math.min(paging.offset(), all.size());
    int to = Math.min(paging.offset() + paging.limit(), all.size());
    List<ProductSummary> items = List.copyOf(all.subList(from, to));
    String next =
        all.size() > paging.offset() + paging.limit() && !items.isEmpty()
            ? Paging.cursorAfter(items.get(items.size() - 1).id())
            : null;
    return new ProductPage(
        items, paging.limit(), paging.after() == null ? paging.offset() : null, next);
  }

  public DomainList domains() {
    List<DomainList> parts =
        router.gather(
            CatalogStores.PRODUCTS_STORE,
            "/internal/domains",
            Argument.of(DomainList.class),
            () -> new DomainList(queries.domains()));
    Map<String, long[]> sums = new TreeMap<>();
    for (DomainList part : parts) {
      for (DomainDto d : part.domains() == null ? List.<DomainDto>of() : part.domains()) {
        long[] s = sums.computeIfAbsent(d.domain(), k -> new long[4]);
        s[0] += d.products();
        s[1] += d.active();
        s[2] += d.deprecated();
        s[3] += d.retired();
      }
    }
    return new DomainList(
        sums.entrySet().stream()
            .map(
                e ->
                    new DomainDto(
                        e.getKey(),
                        e.getValue()[0],
                        e.getValue()[1],
                        e.getValue()[2],
                        e.getValue()[3]))
            .sorted(Comparator.comparing(DomainDto::domain))
            .toList());
  }
}
