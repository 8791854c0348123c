package dev.meshbone.registry.products.http;

import dev.meshbone.events.ChangeType;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.ProductDescriptor;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.catalog.ProductState;
import dev.meshbone.registry.products.query.CatalogQueries;
import dev.meshbone.registry.products.routing.RegistryRouter;
import dev.meshbone.registry.products.view.Dto;
import dev.meshbone.registry.products.view.Dto.ProductWrite;
import dev.meshbone.registry.products.view.Dto.Published;
import dev.meshbone.registry.products.view.Dto.QualityResult;
import dev.meshbone.registry.products.view.Dto.Refusal;
import dev.meshbone.registry.products.view.Dto.WriteResult;
import dev.meshbone.registry.products.view.Dto.WriteStatus;
import dev.meshbone.registry.products.view.Views;
import dev.meshbone.registry.products.writes.ProductWriter;
import dev.meshbone.registry.products.writes.VerdictWatcher;
import dev.meshbone.runtime.http.ApiException;
import dev.meshbone.topics.ProductId;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * Product writes for clients that do not speak Kafka: register, change, deprecate and retire a
 * product, and publish a quality result. Each is published on the acting domain's own control
 * topic, exactly as a Kafka client would, and a product write answers with contract-validator's
 * verdict: 201/200 accepted, 422 refused with the reasons, or 202 when no verdict came within
 * {@code meshbone.registry.write-timeout} (ask {@code GET /products/{id}/events/{eventId}} later),
 * 503 {@code KAFKA_UNAVAILABLE} with {@code Retry-After} when Kafka does not take the event within
 * {@code meshbone.registry.send-timeout}. A write sent again with the same {@code eventId} is not
 * made twice: one already accepted is answered from the catalog, and contract-validator drops a
 * second copy of an accepted event. Only the domain that owns a product may write it.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class ProductWriteController {
  private final Acting acting;
  private final Bodies bodies;
  private final RegistryRouter router;
  private final CatalogQueries queries;
  private final ProductWriter writer;
  private final VerdictWatcher watcher;

  public ProductWriteController(
      Acting acting,
      Bodies bodies,
      RegistryRouter router,
      CatalogQueries queries,
      ProductWriter writer,
      VerdictWatcher watcher) {
    this.acting = acting;
    this.bodies = bodies;
    this.router = router;
    this.queries = queries;
    this.writer = writer;
    this.watcher = watcher;
  }

  @Post("/products")
  public HttpResponse<?> register(HttpRequest<?> request, @Nullable @Body String body) {
    acting.domain(request);
    ProductWrite write = bodies.parse(body, ProductWrite.class);
    if (write.id() == null) {
      throw ApiException.badRequest("INVALID_REQUEST", "id is required: <domain>.<product>");
    }
    ProductId id = Ids.product(write.id());
    acting.require(request, id.domain(), "register a product of domain " + id.domain());
    ProductDescriptor descriptor = Requests.descriptor(write.descriptor());
    return router.route(
        request,
        CatalogStores.PRODUCTS_STORE,
        id.toString(),
        body,
        partition -> {
          DataProductEvent before = queries.product(partition, id.toString());
          DataProductEvent event = event(id, ChangeType.CREATED, write, descriptor, null);
          // A retry of the declaration that made the product is answered as the first time.
          if (before != null
              && !event.getEventId().equals(before.getEventId())
              && !acceptedLately(event.getEventId(), id)) {
            throw ApiException.conflict(
                "PRODUCT_EXISTS",
                id + " is already registered; change it with PUT /products/" + id);
          }
          return answer(event, before, HttpStatus.CREATED, partition);
        });
  }

  @Put("/products/{id}")
  public HttpResponse<?> change(
      HttpRequest<?> request, @PathVariable String id, @Nullable @Body String body) {
    ProductId productId = Ids.product(id);
    acting.require(request, productId.domain(), "change a product of domain " + productId.domain());
    ProductWrite write = bodies.parse(body, ProductWrite.class);
    ProductDescriptor descriptor = Requests.descriptor(write.descriptor());
    return router.route(
        request,
        CatalogStores.PRODUCTS_STORE,
        productId.toString(),
        body,
        partition -> {
          DataProductEvent before = existing(partition, productId, "changed");
          return answer(
              event(productId, ChangeType.UPDATED, write, keepSuccessor(descriptor, before), null),
              before,
              HttpStatus.OK,
              partition);
        });
  }

  @Post("/products/{id}/deprecation")
  public HttpResponse<?> deprecate(
      HttpRequest<?> request, @PathVariable String id, @Nullable @Body String body) {
    ProductId productId = Ids.product(id);
    acting.require(
        request, productId.domain(), "deprecate a product of domain " + productId.domain());
    ProductWrite write = bodies.parse(body, ProductWrite.class);
    Instant sunset = Bodies.instant("sunsetAt", write.sunsetAt());
    if (sunset == null) {
      throw ApiException.badRequest(
          "INVALID_REQUEST", "sunsetAt is required: when the product will be retired");
    }
    return router.route(
        request,
        CatalogStores.PRODUCTS_STORE,
        productId.toString(),
        body,
        partition -> {
          DataProductEvent before = existing(partition, productId, "deprecated");
          // A successor named here goes on a copy of the current descriptor; without one the
          // event carries no descriptor and the last is kept.
          ProductDescriptor descriptor =
              write.successor() == null
                      || write.successor().isBlank()
                      || before.getDescriptor() == null
                  ? null
                  : ProductDescriptor.newBuilder(before.getDescriptor())
                      .setSuccessor(write.successor())
                      .build();
          return answer(
              event(productId, ChangeType.DEPRECATED, write, descriptor, sunset),
              before,
              HttpStatus.OK,
              partition);
        });
  }

  @Post("/products/{id}/retirement")
  public HttpResponse<?> retire(
      HttpRequest<?> request, @PathVariable String id, @Nullable @Body String body) {
    ProductId productId = Ids.product(id);
    acting.require(request, productId.domain(), "retire a product of domain " + productId.domain());
    ProductWrite write =
        body == null || body.isBlank()
            ? new ProductWrite(null, null, null, null, null, null, null)
            : bodies.parse(body, ProductWrite.class);
    return router.route(
        request,
        CatalogStores.PRODUCTS_STORE,
        productId.toString(),
        body,
        partition -> {
          DataProductEvent before = existing(partition, productId, "retired");
          return answer(
              event(productId, ChangeType.RETIRED, write, null, null),
              before,
              HttpStatus.OK,
              partition);
        });
  }

  @Post("/products/{id}/quality-results")
  public HttpResponse<?> qualityResult(
      HttpRequest<?> request, @PathVariable String id, @Nullable @Body String body) {
    ProductId productId = Ids.product(id);
    acting.require(
        request,
        productId.domain(),
        "publish quality results of a product of domain " + productId.domain());
    QualityResult result = bodies.parse(body, QualityResult.class);
    Bodies.requireBooleanOrAbsent(body, "passed");
    if (result.checkName() == null || result.checkName().isBlank()) {
      throw ApiException.badRequest("INVALID_REQUEST", "checkName is required");
    }
    if (result.passed() == null) {
      throw ApiException.badRequest("INVALID_REQUEST", "passed is required: true or false");
    }
    Instant occurredAt = Bodies.instant("occurredAt", result.occurredAt());
    QualityEvent event =
        QualityEvent.newBuilder()
            .setEventId(Requests.eventId(result.eventId()))
            .setProductId(productId.toString())
            .setDomain(productId.domain())
            .setCheckName(result.checkName())
            .setDimension(Requests.dimension(result.dimension()))
            .setPassed(result.passed())
            .setMeasuredValue(result.measuredValue())
            .setThreshold(result.threshold())
            .setRecordCount(result.recordCount())
            .setOccurredAt(occurredAt == null ? Instant.now() : occurredAt)
            .setMessage(result.message())
            .build();
    return router.route(
        request,
        CatalogStores.PRODUCTS_STORE,
        productId.toString(),
        body,
        partition -> {
          if (queries.product(partition, productId.toString()) == null) {
            throw CatalogQueries.notFound(productId.toString());
          }
          var sent = writer.publish(event);
          return HttpResponse.accepted()
              .body(
                  new Published(event.getEventId(), sent.topic(), sent.partition(), sent.offset()));
        });
  }

  @Get("/products/{id}/events/{eventId}")
  public HttpResponse<?> eventStatus(
      HttpRequest<?> request, @PathVariable String id, @PathVariable String eventId) {
    ProductId productId = Ids.product(id);
    return router.route(
        request,
        CatalogStores.PRODUCTS_STORE,
        productId.toString(),
        null,
        partition -> {
          var verdict = watcher.recent(eventId);
          if (verdict.isPresent() && verdict.get().isAccepted()) {
            return HttpResponse.ok(
                new WriteStatus(eventId, productId.toString(), "ACCEPTED", null));
          }
          if (verdict.isPresent() && verdict.get().refused() != null) {
            return HttpResponse.ok(
                new WriteStatus(
                    eventId,
                    productId.toString(),
                    "REFUSED",
                    verdict.get().refused().getReasons().stream().map(Views::reason).toList()));
          }
          DataProductEvent current = queries.product(partition, productId.toString());
          String status =
              current != null && eventId.equals(current.getEventId()) ? "ACCEPTED" : "PENDING";
          return HttpResponse.ok(new WriteStatus(eventId, productId.toString(), status, null));
        });
  }

  private boolean acceptedLately(String eventId, ProductId id) {
    return watcher
        .recent(eventId)
        .filter(VerdictWatcher.Verdict::isAccepted)
        .map(v -> v.accepted().getProductId().equals(id.toString()))
        .orElse(false);
  }

  private DataProductEvent existing(int partition, ProductId id, String what) {
    DataProductEvent before = queries.product(partition, id.toString());
    if (before == null) {
      throw CatalogQueries.notFound(id.toString());
    }
    if (before.getStatus() == LifecycleStatus.RETIRED) {
      throw ApiException.conflict(
          "PRODUCT_RETIRED", id + " is retired and cannot be " + what + " any more");
    }
    return before;
  }

  /**
   * A change that does not name a successor keeps the one the product has: a declaration that does
   * not speak of it (the SDK's, an ODCS apply) must not undo what the deprecation said.
   */
  private static ProductDescriptor keepSuccessor(
      ProductDescriptor descriptor, DataProductEvent before) {
    String kept = before.getDescriptor() == null ? null : before.getDescriptor().getSuccessor();
    if (descriptor == null || descriptor.getSuccessor() != null || kept == null) {
      return descriptor;
    }
    return ProductDescriptor.newBuilder(descriptor).setSuccessor(kept).build();
  }

  private static DataProductEvent event(
      ProductId id,
      ChangeType type,
      ProductWrite write,
      ProductDescriptor descriptor,
      Instant sunsetAt) {
    return DataProductEvent.newBuilder()
        .setEventId(Requests.eventId(write.eventId()))
        .setProductId(id.toString())
        .setDomain(id.domain())
        .setType(type)
        .setOccurredAt(Instant.now())
        .setDescriptor(descriptor)
        .setSunsetAt(sunsetAt)
        .setReason(write.reason())
        .setActor(write.actor())
        .build();
  }

  private HttpResponse<?> answer(
      DataProductEvent event, DataProductEvent before, HttpStatus acceptedStatus, int partition) {
    String productId = event.getProductId();
    // A client's retry of an event already accepted (it may not have had the answer: a 503 whose
    // event landed all the same): the validator drops it as a duplicate and no verdict would come,
    // so answer from the catalog, or from the verdict seen lately.
    DataProductEvent accepted =
        before != null && event.getEventId().equals(before.getEventId())
            ? before
            : watcher
                .recent(event.getEventId())
                .filter(VerdictWatcher.Verdict::isAccepted)
                .map(VerdictWatcher.Verdict::accepted)
                .filter(e -> e.getProductId().equals(productId))
                .orElse(null);
    if (accepted != null) {
      var response =
          HttpResponse.status(acceptedStatus)
              .body(
                  new WriteResult(
                      "ACCEPTED", event.getEventId(), productId, Views.lifecycle(accepted), null));
      if (acceptedStatus == HttpStatus.CREATED) {
        response.header("Location", "/products/" + productId);
      }
      return response;
    }
    ProductWriter.Outcome outcome = writer.publish(event);
    String check = "/products/" + productId + "/events/" + event.getEventId();
    if (outcome.pending()) {
      return HttpResponse.accepted(URI.create(check))
          .body(new WriteResult("PENDING", event.getEventId(), productId, null, check));
    }
    var verdict = outcome.verdict();
    if (verdict.isAccepted()) {
      ReadYourWrites.await(queries, partition, verdict.accepted());
      var response =
          HttpResponse.status(acceptedStatus)
              .body(
                  new WriteResult(
                      "ACCEPTED",
                      event.getEventId(),
                      productId,
                      Views.lifecycle(ProductState.normalize(before, verdict.accepted())),
                      null));
      if (acceptedStatus == HttpStatus.CREATED) {
        response.header("Location", "/products/" + productId);
      }
      return response;
    }
    List<Dto.ReasonDto> reasons =
        verdict.refused().getReasons().stream().map(Views::reason).toList();
    return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY)
        .body(
            new Refusal(
                "EVENT_REFUSED",
                "contract-validator refused the event: "
                    + String.join(
                        "; ", reasons.stream().map(r -> r.code() + ": " + r.message()).toList()),
                event.getEventId(),
                productId,
                reasons));
  }
}
