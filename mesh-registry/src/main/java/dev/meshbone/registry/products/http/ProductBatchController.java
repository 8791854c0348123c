package dev.meshbone.registry.products.http;

import dev.meshbone.contracts.RegistryErrors;
import dev.meshbone.contracts.Subjects;
import dev.meshbone.events.ChangeType;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.catalog.ProductState;
import dev.meshbone.registry.products.query.CatalogQueries;
import dev.meshbone.registry.products.routing.RegistryRouter;
import dev.meshbone.registry.products.view.Dto.BatchItemResult;
import dev.meshbone.registry.products.view.Dto.BatchResult;
import dev.meshbone.registry.products.view.Dto.LifecycleDto;
import dev.meshbone.registry.products.view.Dto.SchemaOutcome;
import dev.meshbone.registry.products.view.Views;
import dev.meshbone.registry.products.writes.ProductWriter;
import dev.meshbone.registry.schema.ContractBatch;
import dev.meshbone.runtime.http.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Bulk onboarding: {@code POST /domains/{domain}/products} declares many products of one domain and
 * registers each one's value contract, with the same checks and the same exactly-once decisions by
 * contract-validator as {@code POST /products} and {@code POST /subjects/{s}/versions} one by one,
 * but in three waits for the whole batch rather than three per product: all declarations are sent
 * at once and their verdicts awaited together, then all contract proposals likewise.
 *
 * <p>Each product's outcome is its own (200 with one result per product, in request order): a
 * refused or failed product does not hold back the others. A product whose declaration was accepted
 * stays declared when its contract is refused; sending the item again with the same {@code eventId}
 * registers the contract without declaring it twice.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class ProductBatchController {
  private final Acting acting;
  private final Bodies bodies;
  private final RegistryRouter router;
  private final CatalogQueries queries;
  private final ProductWriter writer;
  private final ContractBatch contracts;
  private final JsonMapper json;

  public ProductBatchController(
      Acting acting,
      Bodies bodies,
      RegistryRouter router,
      CatalogQueries queries,
      ProductWriter writer,
      ContractBatch contracts,
      JsonMapper json) {
    this.acting = acting;
    this.bodies = bodies;
    this.router = router;
    this.queries = queries;
    this.writer = writer;
    this.contracts = contracts;
    this.json = json;
  }

  @Post("/domains/{domain}/products")
  public HttpResponse<?> registerAll(
      HttpRequest<?> request, @PathVariable String domain, @Nullable @Body String body) {
    Ids.domain(domain);
    acting.require(request, domain, "register products of domain " + domain);
    List<BatchRequests.Item> items = BatchRequests.parse(bodies, body, domain);
    BatchItemResult[] results = new BatchItemResult[items.size()];

    // Each product is written by the instance that holds it, as POST /products routes it.
    List<Integer> local = new ArrayList<>();
    List<Integer> partitions = new ArrayList<>();
    Map<HostInfo, List<Integer>> remote = new LinkedHashMap<>();
    boolean forwarded = request.getHeaders().contains(RegistryRouter.FORWARDED_HEADER);
    for (int i = 0; i < items.size(); i++) {
      String id = items.get(i).id().toString();
      try {
        RegistryRouter.Location location = router.locate(CatalogStores.PRODUCTS_STORE, id);
        if (location.local()) {
          local.add(i);
          partitions.add(location.partition());
        } else if (forwarded) {
          results[i] =
              failed(
                  items.get(i),
                  new ApiException(
                      HttpStatus.SERVICE_UNAVAILABLE,
                      "REGISTRY_REBALANCING",
                      "this instance no longer holds " + id + "; retry shortly"));
        } else {
          remote.computeIfAbsent(location.host(), h -> new ArrayList<>()).add(i);
        }
      } catch (ApiException e) {
        results[i] = failed(items.get(i), e);
      }
    }
    // Sent first, so the other instances work while this one writes its own; no thread waits.
    Map<HostInfo, CompletableFuture<HttpResponse<?>>> elsewhere = new LinkedHashMap<>();
    for (var group : remote.entrySet()) {
      elsewhere.put(
          group.getKey(),
          router.forwardAsync(
              request, group.getKey(), body(group.getValue().stream().map(items::get).toList())));
    }
    List<BatchItemResult> here =
        writeHere(request, local.stream().map(items::get).toList(), partitions);
    for (int j = 0; j < local.size(); j++) {
      results[local.get(j)] = here.get(j);
    }
    for (var group : remote.entrySet()) {
      List<BatchItemResult> there =
          answer(
              group.getKey(),
              group.getValue().stream().map(items::get).toList(),
              elsewhere.get(group.getKey()));
      for (int j = 0; j < group.getValue().size(); j++) {
        results[group.getValue().get(j)] = there.get(j);
      }
    }
    int accepted = 0;
    for (BatchItemResult r : results) {
      accepted += "ACCEPTED".equals(r.outcome()) ? 1 : 0;
    }
    return HttpResponse.ok(new BatchResult(accepted, results.length - accepted, List.of(results)));
  }

  /** The products this instance holds: declarations together, then contracts together. */
  private List<BatchItemResult> writeHere(
      HttpRequest<?> request, List<BatchRequests.Item> items, List<Integer> partitions) {
    BatchItemResult[] results = new BatchItemResult[items.size()];
    LifecycleDto[] declared = new LifecycleDto[items.size()];
    List<DataProductEvent> events = new ArrayList<>();
    List<Integer> sent = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      BatchRequests.Item item = items.get(i);
      try {
        DataProductEvent before = queries.product(partitions.get(i), item.id().toString());
        if (before != null && item.eventId().equals(before.getEventId())) {
          // A retry of a declaration already accepted: answered from the catalog, not sent again.
          declared[i] = Views.lifecycle(before);
        } else if (before != null) {
          results[i] =
              failed(
                  item,
                  ApiException.conflict(
                      "PRODUCT_EXISTS",
                      item.id()
                          + " is already registered; change it with PUT /products/"
                          + item.id()));
        } else {
          events.add(event(item));
          sent.add(i);
        }
      } catch (ApiException e) {
        results[i] = failed(item, e);
      }
    }
    List<ProductWriter.Outcome> outcomes = events.isEmpty() ? List.of() : writer.publishAll(events);
    for (int j = 0; j < outcomes.size(); j++) {
      int i = sent.get(j);
      BatchRequests.Item item = items.get(i);
      ProductWriter.Outcome outcome = outcomes.get(j);
      String check = "/products/" + item.id() + "/events/" + item.eventId();
      if (outcome.failed() != null) {
        results[i] =
            failed(
                item,
                outcome.failed() instanceof ApiException e
                    ? e
                    : new ApiException(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "KAFKA_UNAVAILABLE",
                        String.valueOf(outcome.failed().getMessage())));
      } else if (outcome.pending()) {
        results[i] =
            new BatchItemResult(
                item.id().toString(),
                item.eventId(),
                202,
                "PENDING",
                "PENDING",
                "no verdict yet; ask " + check,
                null,
                null,
                check,
                notAttempted(item));
      } else if (!outcome.verdict().isAccepted()) {
        var reasons = outcome.verdict().refused().getReasons().stream().map(Views::reason).toList();
        results[i] =
            new BatchItemResult(
                item.id().toString(),
                item.eventId(),
                422,
                "REFUSED",
                "EVENT_REFUSED",
                "contract-validator refused the event: "
                    + String.join(
                        "; ", reasons.stream().map(r -> r.code() + ": " + r.message()).toList()),
                reasons,
                null,
                null,
                notAttempted(item));
      } else {
        ReadYourWrites.await(queries, partitions.get(i), outcome.verdict().accepted());
        declared[i] = Views.lifecycle(ProductState.normalize(null, outcome.verdict().accepted()));
      }
    }

    // Contracts of the products now declared, together.
    List<ContractBatch.Registration> registrations = new ArrayList<>();
    List<Integer> registering = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      BatchRequests.Item item = items.get(i);
      if (declared[i] == null) {
        continue;
      }
      if (item.schema() == null) {
        results[i] = accepted(item, declared[i], null);
      } else {
        registrations.add(
            new ContractBatch.Registration(
                Subjects.valueSubject(item.id()),
                item.schema(),
                item.ruleSet(),
                item.eventId() + "/value"));
        registering.add(i);
      }
    }
    List<ContractBatch.Registered> registered =
        registrations.isEmpty() ? List.of() : contracts.registerAll(request, registrations);
    for (int j = 0; j < registered.size(); j++) {
      int i = registering.get(j);
      BatchRequests.Item item = items.get(i);
      ContractBatch.Registered r = registered.get(j);
      String subject = Subjects.valueSubject(item.id());
      if (r.ok()) {
        results[i] =
            accepted(
                item,
                declared[i],
                new SchemaOutcome(subject, "REGISTERED", r.schemaId(), r.version(), null, null));
      } else {
        int status = RegistryErrors.httpStatus(r.errorCode());
        boolean refused = status == 409 || status == 422;
        results[i] =
            new BatchItemResult(
                item.id().toString(),
                item.eventId(),
                status,
                refused ? "REFUSED" : "FAILED",
                "SCHEMA_NOT_REGISTERED",
                "the product is declared but its contract was not registered: " + r.message(),
                null,
                declared[i],
                null,
                new SchemaOutcome(
                    subject,
                    refused ? "REFUSED" : "FAILED",
                    null,
                    null,
                    r.errorCode(),
                    r.message()));
      }
    }
    return List.of(results);
  }

  private static String body(List<BatchRequests.Item> part) {
    return "[" + String.join(",", part.stream().map(BatchRequests.Item::json).toList()) + "]";
  }

  /** The other instance's answer for its products, or each of them failed with why. */
  private List<BatchItemResult> answer(
      HostInfo host, List<BatchRequests.Item> part, CompletableFuture<HttpResponse<?>> forwarded) {
    try {
      HttpResponse<?> answer;
      try {
        answer = forwarded.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
      byte[] bytes = answer.getBody(byte[].class).orElse(new byte[0]);
      if (answer.getStatus().getCode() == 200) {
        BatchResult result = json.readValue(bytes, Argument.of(BatchResult.class));
        if (result != null && result.products().size() == part.size()) {
          return result.products();
        }
      }
      var error = json.readValue(bytes, Argument.of(dev.meshbone.runtime.http.ApiError.class));
      ApiException e =
          new ApiException(
              answer.getStatus(),
              error == null ? "REGISTRY_UNAVAILABLE" : error.code(),
              error == null ? "instance " + host + " did not answer" : error.message());
      return part.stream().map(item -> failed(item, e)).toList();
    } catch (ApiException e) {
      return part.stream().map(item -> failed(item, e)).toList();
    } catch (IOException | RuntimeException e) {
      ApiException failure =
          new ApiException(
              HttpStatus.SERVICE_UNAVAILABLE,
              "REGISTRY_UNAVAILABLE",
              "instance " + host + " gave no readable answer: " + e.getMessage());
      return part.stream().map(item -> failed(item, failure)).toList();
    }
  }

  private static DataProductEvent event(BatchRequests.Item item) {
    return DataProductEvent.newBuilder()
        .setEventId(item.eventId())
        .setProductId(item.id().toString())
        .setDomain(item.id().domain())
        .setType(ChangeType.CREATED)
        .setOccurredAt(Instant.now())
        .setDescriptor(item.descriptor())
        .setReason(item.reason())
        .setActor(item.actor())
        .build();
  }

  private static BatchItemResult accepted(
      BatchRequests.Item item, LifecycleDto lifecycle, SchemaOutcome schema) {
    return new BatchItemResult(
        item.id().toString(),
        item.eventId(),
        201,
        "ACCEPTED",
        null,
        null,
        null,
        lifecycle,
        null,
        schema);
  }

  private static BatchItemResult failed(BatchRequests.Item item, ApiException e) {
    return new BatchItemResult(
        item.id().toString(),
        item.eventId(),
        e.status().getCode(),
        e.status().getCode() == 409 ? "REFUSED" : "FAILED",
        e.code(),
        e.getMessage(),
        null,
        null,
        null,
        notAttempted(item));
  }

  private static SchemaOutcome notAttempted(BatchRequests.Item item) {
    return item.schema() == null
        ? null
        : new SchemaOutcome(
            Subjects.valueSubject(item.id()), "NOT_ATTEMPTED", null, null, null, null);
  }
}
