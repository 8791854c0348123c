package dev.meshbone.topics;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The naming rules for domains and products. A name is 2 to 40 characters of lowercase ASCII
 * letters, digits and hyphens, starting with a letter and not ending with a hyphen; a few words the
 * mesh uses itself are reserved. Dots never appear in a name: they separate the parts of a topic
 * name, so {@code <domain>.<product>.ingest} always parses back to one domain and product.
 */
public final class Names {
  public static final int MIN_LENGTH = 2;
  public static final int MAX_LENGTH = 40;

  /** The rule as a pattern, for use in other patterns; see {@link #RULE} for the words. */
  public static final String NAME_REGEX = "[a-z](?:[a-z0-9-]{0,38}[a-z0-9])";

  /** The rule in words, quoted by every error about a bad name. */
  public static final String RULE =
      "2 to 40 characters of lowercase letters (a-z), digits and hyphens, starting with a letter"
          + " and not ending with a hyphen";

  private static final Pattern NAME = Pattern.compile(NAME_REGEX);
  private static final Set<String> RESERVED_DOMAINS = Set.of("mesh", "meshbone", "kafka");
  private static final Set<String> RESERVED_PRODUCTS = Set.of("mesh", "ingest", "dlq");

  private Names() {}

  /** Returns the domain name if it follows the rules, else throws naming the rule it breaks. */
  public static String requireDomain(String domain) {
    requireName("domain", domain);
    if (RESERVED_DOMAINS.contains(domain)) {
      throw new InvalidNameException(
          "domain name '"
              + domain
              + "' is reserved for the mesh itself; reserved: "
              + RESERVED_DOMAINS);
    }
    return domain;
  }

  /** Returns the product name if it follows the rules, else throws naming the rule it breaks. */
  public static String requireProduct(String product) {
    requireName("product", product);
    if (RESERVED_PRODUCTS.contains(product)) {
      throw new InvalidNameException(
          "product name '"
              + product
              + "' is reserved because it would clash with the mesh's own topic names; reserved: "
              + RESERVED_PRODUCTS);
    }
    return product;
  }

  /** The domain names the mesh keeps for itself. */
  public static Set<String> reservedDomains() {
    return RESERVED_DOMAINS;
  }

  /** The product names that would clash with the mesh's own topic names. */
  public static Set<String> reservedProducts() {
    return RESERVED_PRODUCTS;
  }

  public static boolean isValidDomain(String domain) {
    return domain != null && NAME.matcher(domain).matches() && !RESERVED_DOMAINS.contains(domain);
  }

  public static boolean isValidProduct(String product) {
    return product != null
        && NAME.matcher(product).matches()
        && !RESERVED_PRODUCTS.contains(product);
  }

  private static void requireName(String kind, String name) {
    if (name == null || name.isEmpty()) {
      throw new InvalidNameException(kind + " name is missing; a " + kind + " name is " + RULE);
    }
    if (!NAME.matcher(name).matches()) {
      throw new InvalidNameException(
          kind + " name '" + printable(name) + "' is invalid: a " + kind + " name is " + RULE);
    }
  }

  private static String printable(String name) {
    String cut = name.length() > 60 ? name.substring(0, 60) + "..." : name;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
