package dev.meshbone.registry.products.http;

import dev.meshbone.registry.products.lineage.LineageService;
import dev.meshbone.registry.products.query.CatalogQueries;
import dev.meshbone.registry.products.query.SearchFilter;
import dev.meshbone.registry.products.view.Dto.DomainList;
import dev.meshbone.registry.products.view.Dto.NodeInfos;
import dev.meshbone.registry.products.view.Dto.NodeRequest;
import dev.meshbone.registry.products.view.Dto.ReadSetList;
import dev.meshbone.registry.products.view.Dto.SummaryList;
import dev.meshbone.runtime.http.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * What registry instances ask each other: this instance's part of a list, of the domain counts, of
 * a lineage level, and of a subject's declared read sets. Read-only; only this instance's active
 * partitions answer.
 */
@Controller("/internal")
@ExecuteOn(TaskExecutors.BLOCKING)
public class InternalController {
  private static final int MAX_IDS = 10_000;

  private final CatalogQueries queries;
  private final LineageService lineage;
  private final Bodies bodies;

  public InternalController(CatalogQueries queries, LineageService lineage, Bodies bodies) {
    this.queries = queries;
    this.bodies = bodies;
    this.lineage = lineage;
  }

  @Get("/products")
  public SummaryList products(
      @Nullable @QueryValue String domain,
      @Nullable @QueryValue String tag,
      @Nullable @QueryValue String classification,
      @Nullable @QueryValue String owner,
      @Nullable @QueryValue String status,
      @Nullable @QueryValue String q,
      @Nullable @QueryValue String health,
      @Nullable @QueryValue String after,
      @Nullable @QueryValue String limit) {
    int max;
    try {
      max = limit == null ? 50 : Integer.parseInt(limit);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("INVALID_PAGING", "limit must be a whole number");
    }
    if (max < 1 || max > 100_000) {
      throw ApiException.badRequest("INVALID_PAGING", "limit must be from 1 to 100000");
    }
    return new SummaryList(
        queries.search(
            SearchFilter.parse(domain, tag, classification, owner, status, q, health),
            after == null || after.isBlank() ? null : after,
            max));
  }

  @Get("/domains")
  public DomainList domains() {
    return new DomainList(queries.domains());
  }

  /** This instance's declared read sets of the APPROVED consumers of the subject's products. */
  @Get("/read-sets")
  public ReadSetList readSets(@Nullable @QueryValue String subject) {
    if (subject == null || subject.isBlank()) {
      throw ApiException.badRequest("INVALID_REQUEST", "give the subject");
    }
    return new ReadSetList(queries.readSets(dev.meshbone.contracts.Subjects.canonical(subject)));
  }

  @Post("/lineage/nodes")
  public NodeInfos nodes(@Nullable @Body String body) {
    NodeRequest request = bodies.parse(body, NodeRequest.class);
    if (request == null
        || request.ids() == null
        || request.ids().isEmpty()
        || request.ids().size() > MAX_IDS) {
      throw ApiException.badRequest("INVALID_REQUEST", "give 1 to " + MAX_IDS + " product ids");
    }
    return lineage.localNodes(request.ids());
  }
}
