package dev.meshbone.registry.products.http;

import dev.meshbone.contracts.FieldBreaks;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.Subscription;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.catalog.ProductState;
import dev.meshbone.registry.products.query.CatalogQueries;
import dev.meshbone.registry.products.routing.RegistryRouter;
import dev.meshbone.registry.products.view.Dto.BreakDto;
import dev.meshbone.registry.products.view.Dto.ImpactAnswer;
import dev.meshbone.registry.schema.ContractImpact;
import dev.meshbone.registry.schema.SchemaRegistryException;
import dev.meshbone.runtime.http.ApiException;
import dev.meshbone.topics.ProductId;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.ArrayList;
import java.util.List;

/**
 * What a candidate contract would do to a product's consumers, before it is registered: the
 * subject's compatibility verdict (as {@code POST /compatibility/subjects/{subject}/versions}
 * answers it) and, for every APPROVED consumer that declared the fields it reads, which of them the
 * candidate breaks ({@link FieldBreaks}, against the latest version). Nothing is written.
 */
@Controller("/products/{id}/impact")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ImpactController {
  private final RegistryRouter router;
  private final CatalogQueries queries;
  private final ContractImpact contracts;

  public ImpactController(RegistryRouter router, CatalogQueries queries, ContractImpact contracts) {
    this.router = router;
    this.queries = queries;
    this.contracts = contracts;
  }

  @Post
  public HttpResponse<?> impact(
      HttpRequest<?> request, @PathVariable String id, @Nullable @Body String body) {
    ProductId product = Ids.product(id);
    if (body == null || body.isBlank()) {
      throw ApiException.badRequest(
          "INVALID_REQUEST", "this request needs a JSON body: {\"schema\": ..., \"ruleSet\": ...}");
    }
    return router.route(
        request,
        CatalogStores.PRODUCTS_STORE,
        product.toString(),
        body,
        partition -> HttpResponse.ok(answer(partition, product.toString(), body)));
  }

  private ImpactAnswer answer(int partition, String productId, String body) {
    DataProductEvent p = queries.requireProduct(partition, productId);
    String subject =
        dev.meshbone.contracts.Subjects.canonical(ProductState.contractSubject(productId, p));
    ContractImpact.Verdict verdict;
    try {
      verdict = contracts.verdict(subject, body);
    } catch (SchemaRegistryException e) {
      throw ApiException.badRequest("INVALID_SCHEMA", e.getMessage());
    }
    List<BreakDto> breaks = new ArrayList<>();
    List<String> unaffected = new ArrayList<>();
    List<String> undeclared = new ArrayList<>();
    for (Subscription s : queries.subscriptions(partition, productId).all()) {
      if (s.getState() != SubscriptionState.APPROVED) {
        continue;
      }
      if (s.getFields().isEmpty()) {
        undeclared.add(s.getConsumerDomain());
        continue;
      }
      int before = breaks.size();
      if (verdict.latest().isPresent()) {
        for (String field : s.getFields()) {
          FieldBreaks.check(verdict.latest().get().schema(), verdict.candidate(), field)
              .ifPresent(
                  problem ->
                      breaks.add(
                          new BreakDto(
                              s.getConsumerDomain(),
                              field,
                              problem.kind().name(),
                              problem.reason())));
        }
      }
      if (breaks.size() == before) {
        unaffected.add(s.getConsumerDomain());
      }
    }
    return new ImpactAnswer(
        productId,
        subject,
        verdict.level(),
        verdict.latest().map(ContractImpact.Latest::version).orElse(null),
        verdict.compatible(),
        verdict.messages(),
        breaks,
        unaffected,
        undeclared);
  }
}
