package dev.meshbone.registry.products.subscriptions;

import dev.meshbone.events.ConsumerReadSet;
import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.query.CatalogQueries;
import dev.meshbone.registry.products.routing.RegistryRouter;
import dev.meshbone.registry.products.view.Dto.ReadSetDto;
import dev.meshbone.registry.products.view.Dto.ReadSetList;
import dev.meshbone.registry.schema.ConsumerReadSets;
import dev.meshbone.runtime.http.ApiException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

/**
 * The declared read sets of the APPROVED consumers of every product whose contract is under a
 * subject, from every registry instance (each scans its own products): what the registry attaches
 * to a registration proposal, so contract-validator's gate decides on the proposal alone.
 */
@Singleton
public class SubjectReaders implements ConsumerReadSets {
  /** How long a registration waits for the catalog stores while they are being restored. */
  static final Duration STORES_WAIT = Duration.ofSeconds(10);

  private final RegistryRouter router;
  private final CatalogQueries queries;

  public SubjectReaders(RegistryRouter router, CatalogQueries queries) {
    this.router = router;
    this.queries = queries;
  }

  /**
   * The read sets, by product then consumer.
   *
   * @throws ApiException 503 when the catalog stores stay unavailable for {@link #STORES_WAIT}: the
   *     gate fails closed rather than let a version through unchecked
   */
  @Override
  public List<ConsumerReadSet> approved(String subject) {
    long deadline = System.nanoTime() + STORES_WAIT.toNanos();
    while (true) {
      try {
        return router
            .gather(
                CatalogStores.PRODUCTS_STORE,
                "/internal/read-sets?subject=" + URLEncoder.encode(subject, StandardCharsets.UTF_8),
                Argument.of(ReadSetList.class),
                () -> new ReadSetList(queries.readSets(subject)))
            .stream()
            .flatMap(part -> part.readSets().stream())
            .sorted(
                Comparator.comparing(ReadSetDto::productId)
                    .thenComparing(ReadSetDto::consumerDomain))
            .map(
                r ->
                    ConsumerReadSet.newBuilder()
                        .setProductId(r.productId())
                        .setConsumerDomain(r.consumerDomain())
                        .setFields(r.fields())
                        .build())
            .toList();
      } catch (ApiException e) {
        if (e.status() != HttpStatus.SERVICE_UNAVAILABLE || System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
