package dev.meshbone.registry.products.http;

import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.query.CatalogQueries;
import dev.meshbone.registry.products.routing.RegistryRouter;
import dev.meshbone.registry.products.subscriptions.FieldDeclarations;
import dev.meshbone.registry.products.subscriptions.SubscriptionService;
import dev.meshbone.registry.products.subscriptions.SubscriptionService.Decision;
import dev.meshbone.registry.products.view.Dto.ReadSetRequest;
import dev.meshbone.registry.products.view.Dto.SubscribeRequest;
import dev.meshbone.registry.products.view.Views;
import dev.meshbone.topics.ProductId;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;

/**
 * Subscribing to a product and deciding subscriptions. The acting domain subscribes for itself; the
 * product's owner approves or rejects; the consumer (unsubscribing) or the owner (revoking) ends a
 * subscription. A consumer may declare the fields it reads, when subscribing or later (PUT).
 */
@Controller("/products/{id}/subscriptions")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SubscriptionController {
  private final Acting acting;
  private final Bodies bodies;
  private final RegistryRouter router;
  private final SubscriptionService subscriptions;

  private final FieldDeclarations declarations;
  private final CatalogQueries queries;

  public SubscriptionController(
      Acting acting,
      Bodies bodies,
      RegistryRouter router,
      SubscriptionService subscriptions,
      FieldDeclarations declarations,
      CatalogQueries queries) {
    this.acting = acting;
    this.bodies = bodies;
    this.router = router;
    this.subscriptions = subscriptions;
    this.declarations = declarations;
    this.queries = queries;
  }

  @Post
  public HttpResponse<?> subscribe(
      HttpRequest<?> request, @PathVariable String id, @Nullable @Body String body) {
    ProductId product = Ids.product(id);
    String consumer = acting.domain(request);
    SubscribeRequest ask =
        body == null || body.isBlank()
            ? new SubscribeRequest(null, null, null, null)
            : bodies.parse(body, SubscribeRequest.class);
    return router.route(
        request,
        CatalogStores.PRODUCTS_STORE,
        product.toString(),
        body,
        partition -> {
          List<String> fields =
              declarations.resolve(
                  product.toString(),
                  queries.requireProduct(partition, product.toString()),
                  ask.fields(),
                  ask.readerSchema());
          var result =
              subscriptions.subscribe(
                  partition, product, consumer, ask.purpose(), ask.principal(), fields);
          var dto = Views.subscription(result.subscription());
          return result.changed()
              ? HttpResponse.created(dto)
                  .header("Location", "/products/" + product + "/subscribers?state=" + dto.state())
              : HttpResponse.ok(dto);
        });
  }

  /**
   * The consumer replaces the fields it declares it reads: {@code {"fields": [...]}} or {@code
   * {"readerSchema": "..."}}; an empty list clears them.
   */
  @Put("/{consumer}")
  public HttpResponse<?> declareFields(
      HttpRequest<?> request,
      @PathVariable String id,
      @PathVariable String consumer,
      @Nullable @Body String body) {
    ProductId product = Ids.product(id);
    String who = acting.domain(request);
    String named = Ids.domain(consumer);
    if (!who.equals(named)) {
      throw Acting.forbidden(
          who, "declare the fields " + named + " reads of " + product + "; only " + named + " may");
    }
    ReadSetRequest ask = bodies.parse(body, ReadSetRequest.class);
    if (ask.fields() == null && ask.readerSchema() == null) {
      throw dev.meshbone.runtime.http.ApiException.badRequest(
          "INVALID_FIELDS", "give fields (a list of dot paths) or readerSchema");
    }
    return router.route(
        request,
        CatalogStores.PRODUCTS_STORE,
        product.toString(),
        body,
        partition -> {
          List<String> fields =
              declarations.resolve(
                  product.toString(),
                  queries.requireProduct(partition, product.toString()),
                  ask.fields(),
                  ask.readerSchema());
          return HttpResponse.ok(
              Views.subscription(
                  subscriptions.declare(partition, product, named, fields).subscription()));
        });
  }

  @Delete("/{consumer}")
  public HttpResponse<?> unsubscribe(
      HttpRequest<?> request, @PathVariable String id, @PathVariable String consumer) {
    ProductId product = Ids.product(id);
    String who = acting.domain(request);
    if (!who.equals(consumer) && !who.equals(product.domain())) {
      throw Acting.forbidden(
          who,
          "end the subscription of "
              + consumer
              + " to "
              + product
              + "; only the consumer or domain "
              + product.domain()
              + " may");
    }
    return decide(request, product, Ids.domain(consumer), who, Decision.REVOKE);
  }

  @Post("/{consumer}/approval")
  public HttpResponse<?> approve(
      HttpRequest<?> request, @PathVariable String id, @PathVariable String consumer) {
    ProductId product = Ids.product(id);
    String who = acting.require(request, product.domain(), "approve subscriptions to " + product);
    return decide(request, product, Ids.domain(consumer), who, Decision.APPROVE);
  }

  @Post("/{consumer}/rejection")
  public HttpResponse<?> reject(
      HttpRequest<?> request, @PathVariable String id, @PathVariable String consumer) {
    ProductId product = Ids.product(id);
    String who = acting.require(request, product.domain(), "reject subscriptions to " + product);
    return decide(request, product, Ids.domain(consumer), who, Decision.REJECT);
  }

  private HttpResponse<?> decide(
      HttpRequest<?> request, ProductId product, String consumer, String who, Decision decision) {
    return router.route(
        request,
        CatalogStores.PRODUCTS_STORE,
        product.toString(),
        null,
        partition ->
            HttpResponse.status(HttpStatus.OK)
                .body(
                    Views.subscription(
                        subscriptions
                            .decide(partition, product, consumer, who, decision)
                            .subscription())));
  }
}
