package dev.meshbone.registry.products.query;

import dev.meshbone.events.Classification;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.HealthState;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.ProductDescriptor;
import dev.meshbone.runtime.http.ApiException;
import dev.meshbone.topics.Names;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a list or search asks for; every field is optional and they combine with AND. {@code text}
 * matches, case-insensitively, a substring of the product's id, name, description or one of its
 * glossary terms. {@code health} is the product's health state as quality-monitor last wrote it
 * ({@code UNKNOWN} when it has none).
 */
public record SearchFilter(
    String domain,
    String tag,
    Classification classification,
    String owner,
    LifecycleStatus status,
    String text,
    HealthState health) {

  public static final SearchFilter NONE =
      new SearchFilter(null, null, null, null, null, null, null);
  private static final int MAX_TEXT = 200;

  /**
   * Reads the query parameters of a list or search.
   *
   * @throws ApiException 400 naming the parameter that is wrong and what it accepts
   */
  public static SearchFilter parse(
      String domain, String tag, String classification, String owner, String status, String q) {
    return parse(domain, tag, classification, owner, status, q, null);
  }

  /** As {@link #parse(String, String, String, String, String, String)}, with a health state. */
  public static SearchFilter parse(
      String domain,
      String tag,
      String classification,
      String owner,
      String status,
      String q,
      String health) {
    String d = blankToNull(domain);
    if (d != null && !Names.isValidDomain(d)) {
      throw invalid("domain", domain, "a domain name: " + Names.RULE);
    }
    return new SearchFilter(
        d,
        bounded("tag", tag),
        parseEnum("classification", classification, Classification.class),
        bounded("owner", owner),
        parseEnum("status", status, LifecycleStatus.class),
        lower(bounded("q", q)),
        healthState(health));
  }

  /** Whether a product of health state {@code state} (null: none known) passes the filter. */
  public boolean matchesHealth(HealthState state) {
    return health == null || health == (state == null ? HealthState.UNKNOWN : state);
  }

  public boolean matches(DataProductEvent e) {
    if (status != null && e.getStatus() != status) {
      return false;
    }
    if (domain != null && !domain.equals(e.getDomain())) {
      return false;
    }
    ProductDescriptor d = e.getDescriptor();
    if (tag != null && (d == null || !d.getTags().contains(tag))) {
      return false;
    }
    if (classification != null && (d == null || d.getClassification() != classification)) {
      return false;
    }
    if (owner != null
        && (d == null || d.getOwner() == null || !owner.equals(d.getOwner().getTeam()))) {
      return false;
    }
    if (text != null) {
      return contains(e.getProductId(), text)
          || (d != null
              && (contains(d.getName(), text)
                  || contains(d.getDescription(), text)
                  || d.getGlossaryTerms().stream().anyMatch(t -> contains(t, text))));
    }
    return true;
  }

  /** The query string that asks another instance for the same filter. */
  public String toQuery() {
    var sb = new StringBuilder();
    append(sb, "domain", domain);
    append(sb, "tag", tag);
    append(sb, "classification", classification == null ? null : classification.name());
    append(sb, "owner", owner);
    append(sb, "status", status == null ? null : status.name());
    append(sb, "q", text);
    append(sb, "health", health == null ? null : health.name());
    return sb.toString();
  }

  private static void append(StringBuilder sb, String name, String value) {
    if (value != null) {
      sb.append('&')
          .append(name)
          .append('=')
          .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private static boolean contains(String haystack, String lowerNeedle) {
    return haystack != null && haystack.toLowerCase(Locale.ROOT).contains(lowerNeedle);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  private static String bounded(String name, String value) {
    String v = blankToNull(value);
    if (v != null && v.length() > MAX_TEXT) {
      throw invalid(name, v.substring(0, 40) + "...", "at most " + MAX_TEXT + " characters");
    }
    return v;
  }

  /** A health state; UNKNOWN is one here (a product quality-monitor has not judged). */
  private static HealthState healthState(String value) {
    String v = blankToNull(value);
    if (v != null && v.equalsIgnoreCase(HealthState.UNKNOWN.name())) {
      return HealthState.UNKNOWN;
    }
    return parseEnum("health", value, HealthState.class);
  }

  private static <E extends Enum<E>> E parseEnum(String name, String value, Class<E> type) {
    String v = blankToNull(value);
    if (v == null) {
      return null;
    }
    try {
      E e = Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
      if (e.name().equals("UNKNOWN")) {
        throw new IllegalArgumentException();
      }
      return e;
    } catch (IllegalArgumentException notOne) {
      String allowed =
          Arrays.stream(type.getEnumConstants())
              .map(Enum::name)
              .filter(n -> !n.equals("UNKNOWN"))
              .collect(Collectors.joining(", "));
      throw invalid(name, v, "one of " + allowed);
    }
  }

  static ApiException invalid(String parameter, String value, String expected) {
    String shown = value == null ? "" : value.replaceAll("\\p{Cntrl}", "?");
    if (shown.length() > 60) {
      shown = shown.substring(0, 60) + "...";
    }
    return ApiException.badRequest(
        "INVALID_FILTER",
        "filter " + parameter + "='" + shown + "' is invalid: expected " + expected);
  }
}
