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
 */
public record ProductSubscription(
    String productId,
    String consumerDomain,
    SubscriptionState state,
    String purpose,
    String decidedBy) {}
