package dev.meshbone.client;

import dev.meshbone.events.SubscriptionState;

/**
 * A consumer domain's subscription to a product.
 *
 * @param productId the product
 * @param consumerDomain the subscribing domain
 * @param state REQUESTED (waiting for the owner), APPROVED, REJECTED or REVOKED
 * @param purpose why the consumer wants the data
 * @param decidedBy the domain that approved, rejected or revoked it, or null
 * @param fields the dot paths of the product's contract the consumer declared it reads (its read
 *     set), empty when it declared none; a contract change that breaks one of them is refused
 */
public record ProductSubscription(
    String productId,
    String consumerDomain,
    SubscriptionState state,
    String purpose,
    String decidedBy,
    java.util.List<String> fields) {

  public ProductSubscription {
    fields = fields == null ? java.util.List.of() : java.util.List.copyOf(fields);
  }
}
