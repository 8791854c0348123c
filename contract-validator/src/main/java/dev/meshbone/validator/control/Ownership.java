package dev.meshbone.validator.control;

import dev.meshbone.events.ViolationCode;
import dev.meshbone.topics.InvalidNameException;
import dev.meshbone.topics.ProductId;
import java.util.Optional;

/**
 * Who may speak for a product: only the domain that owns it, on its own control topics. An event on
 * {@code <domain>.mesh.*-events} must say {@code domain = <domain>} and name a product {@code
 * <domain>.<product>}; no domain publishes for another's product.
 */
final class Ownership {
  private Ownership() {}

  /**
   * The product whose state an event on {@code source} may be checked against: its product id when
   * that is well formed and of the topic's domain. Empty when the event has no standing (a foreign
   * or malformed product id, or a topic of no valid domain): such an event is refused without
   * consulting any product's state.
   */
  static Optional<ProductId> standing(Source source, String productId) {
    if (!source.hasValidDomain() || !ProductId.isValid(productId)) {
      return Optional.empty();
    }
    ProductId id = ProductId.parse(productId);
    return id.domain().equals(source.domain()) ? Optional.of(id) : Optional.empty();
  }

  /** Adds a reason for each way the event's domain or product id is not the topic's domain's. */
  static void check(Reasons reasons, Source source, String eventDomain, String productId) {
    String topicDomain = source.domain();
    if (!source.hasValidDomain()) {
      reasons.add(
          ViolationCode.WRONG_DOMAIN,
          "domain",
          "topic "
              + Reasons.quote(source.topic())
              + " is no domain's control topic: "
              + Reasons.quote(topicDomain)
              + " is reserved or not a valid domain name; nothing published there is accepted");
    } else if (!topicDomain.equals(eventDomain)) {
      reasons.add(
          ViolationCode.WRONG_DOMAIN,
          "domain",
          "the event says domain "
              + Reasons.quote(eventDomain)
              + " but was published on "
              + source.topic()
              + ", which belongs to domain "
              + topicDomain
              + "; a domain publishes only on its own control topics");
    }
    if (!ProductId.isValid(productId)) {
      reasons.add(ViolationCode.INVALID_PRODUCT_ID, "productId", whyInvalid(productId));
    } else if (source.hasValidDomain()) {
      ProductId id = ProductId.parse(productId);
      if (!id.domain().equals(topicDomain)) {
        reasons.add(
            ViolationCode.WRONG_DOMAIN,
            "productId",
            "domain "
                + topicDomain
                + " published an event for product "
                + id
                + " of domain "
                + id.domain()
                + "; a domain may only speak for its own products");
      }
    }
  }

  private static String whyInvalid(String productId) {
    if (productId == null || productId.isEmpty()) {
      return "the product id is empty; it must be <domain>.<product>";
    }
    try {
      ProductId.parse(productId);
      return "product id " + Reasons.quote(productId) + " is invalid";
    } catch (InvalidNameException e) {
      // The name rules' own message says which part breaks which rule; it is already cut short.
      return Reasons.cut(e.getMessage(), 400);
    }
  }
}
