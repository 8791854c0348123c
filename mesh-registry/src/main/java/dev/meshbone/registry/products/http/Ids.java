package dev.meshbone.registry.products.http;

import dev.meshbone.runtime.http.ApiException;
import dev.meshbone.topics.InvalidNameException;
import dev.meshbone.topics.Names;
import dev.meshbone.topics.ProductId;

/** Ids from request paths, checked before they reach a store. */
final class Ids {
  private Ids() {}

  /** A well-formed product id, or 400. */
  static ProductId product(String raw) {
    try {
      return ProductId.parse(raw);
    } catch (InvalidNameException | NullPointerException e) {
      throw ApiException.badRequest(
          "INVALID_PRODUCT_ID", e.getMessage() == null ? "product id is missing" : e.getMessage());
    }
  }

  /** A well-formed domain name, or 400. */
  static String domain(String raw) {
    if (!Names.isValidDomain(raw)) {
      throw ApiException.badRequest(
          "INVALID_DOMAIN",
          "domain '" + printable(raw) + "' is invalid: a domain name is " + Names.RULE);
    }
    return raw;
  }

  static String printable(String raw) {
    if (raw == null) {
      return "";
    }
    String v = raw.replaceAll("\\p{Cntrl}", "?");
    return v.length() > 60 ? v.substring(0, 60) + "..." : v;
  }
}
