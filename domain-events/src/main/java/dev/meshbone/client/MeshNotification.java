package dev.meshbone.client;

import dev.meshbone.events.NotificationType;
import java.time.Instant;
import java.util.Map;

/**
 * One notification to this domain: a product it subscribes to changed (new contract version,
 * descriptor change, deprecation, retirement, quality alert raised or cleared), a subscription to
 * one of its products was requested, its own subscription was decided, or one of its events was
 * refused.
 *
 * @param id stable per cause and recipient: the same notification always has the same id
 * @param recipient this domain
 * @param type what happened
 * @param productId the product it is about
 * @param summary one line a person can read
 * @param detail more, or null
 * @param attributes machine-readable details (e.g. {@code version}, {@code sunsetAt}, {@code slo})
 * @param createdAt when the registry made it
 */
public record MeshNotification(
    String id,
    String recipient,
    NotificationType type,
    String productId,
    String summary,
    String detail,
    Map<String, String> attributes,
    Instant createdAt) {
  public MeshNotification {
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }
}
