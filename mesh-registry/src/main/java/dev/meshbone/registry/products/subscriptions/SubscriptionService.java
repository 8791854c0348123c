package dev.meshbone.registry.products.subscriptions;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.Subscription;
import dev.meshbone.events.SubscriptionPolicy;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.registry.products.kafka.MeshClients;
import dev.meshbone.registry.products.query.CatalogQueries;
import dev.meshbone.runtime.http.ApiException;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.ProductId;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The subscription lifecycle. A consumer domain asks; the product's policy approves at once
 * (AUTO_APPROVE) or leaves the request to its owner (OWNER_APPROVAL), who approves or rejects it;
 * the consumer or the owner can end it (REVOKED). Each change is written to the compacted {@code
 * mesh.subscriptions} under {@code <productId>|<consumerDomain>}; the topology turns approvals and
 * revocations into access grants and notifications.
 *
 * <p>Runs on the instance that holds the product (requests are routed there), reads the current
 * state from that instance's store, and returns once the store shows the write, so a client reads
 * its own writes. Changes to one subscription are serialized per instance.
 */
@Singleton
public class SubscriptionService {
  private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(10);
  private static final int STRIPES = 64;

  /** What an owner or consumer decides about an existing subscription. */
  public enum Decision {
    APPROVE,
    REJECT,
    REVOKE
  }

  /** The subscription after a request, and whether the request changed it. */
  public record Result(Subscription subscription, boolean changed) {}

  private final CatalogQueries queries;
  private final MeshClients clients;
  private final MeshTopics topics;
  private final Object[] locks = new Object[STRIPES];

  public SubscriptionService(CatalogQueries queries, MeshClients clients, MeshTopics topics) {
    this.queries = queries;
    this.clients = clients;
    this.topics = topics;
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new Object();
    }
  }

  public static String key(String productId, String consumer) {
    return productId + "|" + consumer;
  }

  /**
   * A consumer domain subscribes; asking again while requested or approved changes nothing but the
   * declared fields, when given.
   *
   * @param fields the declared read set (checked by {@link FieldDeclarations}), or null for none
   */
  public Result subscribe(
      int partition,
      ProductId product,
      String consumer,
      String purpose,
      String principal,
      List<String> fields) {
    String productId = product.toString();
    DataProductEvent p = queries.requireProduct(partition, productId);
    if (p.getStatus() == LifecycleStatus.RETIRED) {
      throw ApiException.conflict(
          "PRODUCT_RETIRED", productId + " is retired and takes no new subscriptions");
    }
    synchronized (lock(productId, consumer)) {
      Subscription current = queries.subscription(partition, productId, consumer);
      if (current != null
          && (current.getState() == SubscriptionState.APPROVED
              || current.getState() == SubscriptionState.REQUESTED)) {
        if (fields != null && !fields.equals(current.getFields())) {
          return new Result(withFields(partition, current, fields), false);
        }
        return new Result(current, false);
      }
      boolean auto =
          p.getDescriptor() != null
              && p.getDescriptor().getSubscriptionPolicy() == SubscriptionPolicy.AUTO_APPROVE;
      Instant now = next(current);
      Subscription sub =
          Subscription.newBuilder()
              .setProductId(productId)
              .setConsumerDomain(consumer)
              .setState(auto ? SubscriptionState.APPROVED : SubscriptionState.REQUESTED)
              .setPurpose(purpose)
              .setPrincipal(
                  principal == null || principal.isBlank() ? "User:" + consumer : principal)
              .setRequestedAt(now)
              .setUpdatedAt(now)
              .setDecidedBy(auto ? "policy:AUTO_APPROVE" : null)
              .setFields(fields == null ? List.of() : fields)
              .build();
      write(partition, sub);
      return new Result(sub, true);
    }
  }

  /**
   * The consumer replaces its declared read set ({@code PUT .../subscriptions/{consumer}}); an
   * empty list clears it. Only a REQUESTED or APPROVED subscription has one.
   *
   * @param fields checked by {@link FieldDeclarations}
   */
  public Result declare(int partition, ProductId product, String consumer, List<String> fields) {
    String productId = product.toString();
    queries.requireProduct(partition, productId);
    synchronized (lock(productId, consumer)) {
      Subscription current = queries.subscription(partition, productId, consumer);
      if (current == null) {
        throw ApiException.notFound(
            "SUBSCRIPTION_NOT_FOUND", consumer + " has no subscription to " + productId);
      }
      if (current.getState() != SubscriptionState.APPROVED
          && current.getState() != SubscriptionState.REQUESTED) {
        throw ApiException.conflict(
            "SUBSCRIPTION_CONFLICT",
            "the subscription of "
                + consumer
                + " to "
                + productId
                + " is "
                + current.getState()
                + "; subscribe again to declare fields");
      }
      if (fields.equals(current.getFields())) {
        return new Result(current, false);
      }
      return new Result(withFields(partition, current, fields), true);
    }
  }

  private Subscription withFields(int partition, Subscription current, List<String> fields) {
    Subscription sub =
        Subscription.newBuilder(current).setFields(fields).setUpdatedAt(next(current)).build();
    write(partition, sub);
    return sub;
  }

  /**
   * The owner approves or rejects, or the owner or consumer revokes.
   *
   * @param actingDomain who decides; the caller has checked that it may
   */
  public Result decide(
      int partition, ProductId product, String consumer, String actingDomain, Decision decision) {
    String productId = product.toString();
    DataProductEvent p = queries.requireProduct(partition, productId);
    synchronized (lock(productId, consumer)) {
      Subscription current = queries.subscription(partition, productId, consumer);
      if (current == null) {
        throw ApiException.notFound(
            "SUBSCRIPTION_NOT_FOUND", consumer + " has no subscription to " + productId);
      }
      SubscriptionState state = current.getState();
      SubscriptionState target =
          switch (decision) {
            case APPROVE -> SubscriptionState.APPROVED;
            case REJECT -> SubscriptionState.REJECTED;
            case REVOKE -> SubscriptionState.REVOKED;
          };
      if (state == target || (decision == Decision.REVOKE && state == SubscriptionState.REJECTED)) {
        return new Result(current, false);
      }
      boolean allowed =
          switch (decision) {
            case APPROVE ->
                (state == SubscriptionState.REQUESTED || state == SubscriptionState.REJECTED)
                    && p.getStatus() != LifecycleStatus.RETIRED;
            case REJECT -> state == SubscriptionState.REQUESTED;
            case REVOKE ->
                state == SubscriptionState.APPROVED || state == SubscriptionState.REQUESTED;
          };
      if (!allowed) {
        throw ApiException.conflict(
            "SUBSCRIPTION_CONFLICT",
            "the subscription of "
                + consumer
                + " to "
                + productId
                + " is "
                + state
                + (p.getStatus() == LifecycleStatus.RETIRED ? " and the product is retired" : "")
                + "; it cannot become "
                + target
                + (state == SubscriptionState.APPROVED && decision == Decision.REJECT
                    ? " (revoke it instead: DELETE)"
                    : state == SubscriptionState.REVOKED
                        ? " (the consumer must subscribe again)"
                        : ""));
      }
      Subscription sub =
          Subscription.newBuilder(current)
              .setState(target)
              .setUpdatedAt(next(current))
              .setDecidedBy(actingDomain)
              .build();
      write(partition, sub);
      return new Result(sub, true);
    }
  }

  private void write(int partition, Subscription sub) {
    String productId = sub.getProductId();
    String consumer = sub.getConsumerDomain();
    clients.send(topics.subscriptions, topics.subscriptions.name(), key(productId, consumer), sub);
    long deadline = System.nanoTime() + VISIBLE_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      Subscription seen = queries.subscription(partition, productId, consumer);
      if (seen != null
          && seen.getState() == sub.getState()
          && Objects.equals(seen.getUpdatedAt(), sub.getUpdatedAt())) {
        return;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE,
        "REGISTRY_LAGGING",
        "the subscription change was written but the registry has not caught up with it within "
            + VISIBLE_WITHIN.toSeconds()
            + " s; read it back shortly");
  }

  /** Now, but always after the previous change, so each change has its own time (and id). */
  private static Instant next(Subscription current) {
    Instant now = Instant.now();
    if (current != null && !now.isAfter(current.getUpdatedAt())) {
      return current.getUpdatedAt().plusMillis(1);
    }
    return now;
  }

  private Object lock(String productId, String consumer) {
    return locks[Math.floorMod(key(productId, consumer).hashCode(), STRIPES)];
  }
}
