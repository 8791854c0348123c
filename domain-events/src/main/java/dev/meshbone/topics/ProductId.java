package dev.meshbone.topics;

import java.util.Objects;

/**
 * A data product's id, {@code <domain>.<product>}: the domain that owns it and its name inside the
 * domain. Both parts follow {@link Names}; construction validates them, so a {@code ProductId} in
 * hand is always well formed.
 */
public record ProductId(String domain, String product) implements Comparable<ProductId> {

  public ProductId {
    Names.requireDomain(domain);
    Names.requireProduct(product);
  }

  /**
   * Parses {@code <domain>.<product>}.
   *
   * @throws InvalidNameException naming the rule the text breaks
   */
  public static ProductId parse(String id) {
    Objects.requireNonNull(id, "product id");
    int dot = id.indexOf('.');
    if (dot < 0 || dot != id.lastIndexOf('.')) {
      throw new InvalidNameException(
          "product id '"
              + (id.length() > 80 ? id.substring(0, 80) + "..." : id)
              + "' is invalid: a product id is <domain>.<product> with exactly one dot, each part "
              + Names.RULE);
    }
    return new ProductId(id.substring(0, dot), id.substring(dot + 1));
  }

  /** Whether {@code id} parses; for validation paths that collect reasons instead of throwing. */
  public static boolean isValid(String id) {
    if (id == null) {
      return false;
    }
    int dot = id.indexOf('.');
    return dot > 0
        && dot == id.lastIndexOf('.')
        && Names.isValidDomain(id.substring(0, dot))
        && Names.isValidProduct(id.substring(dot + 1));
  }

  /** The schema-registry subject of the product's record values by default: {@code <id>-value}. */
  public String defaultValueSubject() {
    return this + "-value";
  }

  @Override
  public int compareTo(ProductId other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public String toString() {
    return domain + "." + product;
  }
}
