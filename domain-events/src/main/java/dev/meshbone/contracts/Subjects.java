package dev.meshbone.contracts;

import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.Names;
import dev.meshbone.topics.ProductId;
import java.util.Optional;

/**
 * Schema-registry subjects as the mesh reads them.
 *
 * <p><b>Ownership.</b> A subject belongs to the domain its name starts with: {@code
 * sales.orders-value} belongs to {@code sales}. A subject that does not start with a valid {@code
 * <domain>.} belongs to nobody and cannot be registered.
 *
 * <p><b>The ingest alias.</b> A product's records are written to {@code <domain>.<product>.ingest},
 * so a stock Confluent serializer (TopicNameStrategy) registers and looks up {@code
 * <domain>.<product>.ingest-value}. The registry treats that name, and its {@code -key} twin, as an
 * alias of the product's canonical subject {@code <domain>.<product>-value} ({@code -key}): every
 * write and read under the alias acts on the canonical subject, so the contract log only ever holds
 * canonical subjects.
 */
public final class Subjects {
  // Not compile-time constants, on purpose: javac would copy a constant's text into every class
  // that uses it, and the house rules' scan of class files (HouseRulesTest) could then no longer
  // tell a use of these from a literal written elsewhere.
  public static final String VALUE_SUFFIX = declared("-value");
  public static final String KEY_SUFFIX = declared("-key");

  /** The longest subject accepted: a Kafka topic name (249) plus {@code -value}, rounded up. */
  public static final int MAX_LENGTH = 255;

  /**
   * The acting domain of mesh-wide writes (the global compatibility level): a reserved domain name
   * that no real domain can have.
   */
  public static final String PLATFORM_DOMAIN = "mesh";

  private static final String INGEST_VALUE = DomainTopics.INGEST_SUFFIX + VALUE_SUFFIX;
  private static final String INGEST_KEY = DomainTopics.INGEST_SUFFIX + KEY_SUFFIX;

  private Subjects() {}

  /**
   * The subject the registry stores {@code subject} under: the product's canonical subject for an
   * ingest alias ({@code sales.orders.ingest-value} → {@code sales.orders-value}), else the subject
   * itself.
   */
  public static String canonical(String subject) {
    if (subject == null) {
      return null;
    }
    for (String alias : new String[] {INGEST_VALUE, INGEST_KEY}) {
      if (subject.endsWith(alias)) {
        String id = subject.substring(0, subject.length() - alias.length());
        if (ProductId.isValid(id)) {
          String suffix = alias.substring(DomainTopics.INGEST_SUFFIX.length());
          return id + suffix;
        }
      }
    }
    return subject;
  }

  /** Whether {@code subject} is an ingest alias of a product's canonical subject. */
  public static boolean isAlias(String subject) {
    return subject != null && !subject.equals(canonical(subject));
  }

  /** The domain that owns {@code subject}: the part before its first dot, if that is a domain. */
  public static Optional<String> owner(String subject) {
    if (subject == null) {
      return Optional.empty();
    }
    int dot = subject.indexOf('.');
    if (dot <= 0) {
      return Optional.empty();
    }
    String domain = subject.substring(0, dot);
    return Names.isValidDomain(domain) ? Optional.of(domain) : Optional.empty();
  }

  /**
   * The product whose canonical value or key subject this is ({@code sales.orders-value} → {@code
   * sales.orders}), after resolving the ingest alias.
   */
  public static Optional<ProductId> product(String subject) {
    String canonical = canonical(subject);
    if (canonical == null) {
      return Optional.empty();
    }
    for (String suffix : new String[] {VALUE_SUFFIX, KEY_SUFFIX}) {
      if (canonical.endsWith(suffix)) {
        String id = canonical.substring(0, canonical.length() - suffix.length());
        if (ProductId.isValid(id)) {
          return Optional.of(ProductId.parse(id));
        }
      }
    }
    return Optional.empty();
  }

  /** The canonical value subject of a product: {@code <domain>.<product>-value}. */
  public static String valueSubject(ProductId product) {
    return product + VALUE_SUFFIX;
  }

  /** The canonical key subject of a product: {@code <domain>.<product>-key}. */
  public static String keySubject(ProductId product) {
    return product + KEY_SUFFIX;
  }

  /**
   * Confluent's TopicNameStrategy: {@code <topic>-value} for record values, {@code <topic>-key} for
   * record keys.
   */
  public static String ofTopic(String topic, boolean isKey) {
    return topic + (isKey ? KEY_SUFFIX : VALUE_SUFFIX);
  }

  /**
   * The key subject that goes with a value subject: {@code sales.orders-value} → {@code
   * sales.orders-key}; a subject without the {@code -value} suffix gets {@code -key} appended.
   */
  public static String keySubjectOf(String valueSubject) {
    String base =
        valueSubject.endsWith(VALUE_SUFFIX)
            ? valueSubject.substring(0, valueSubject.length() - VALUE_SUFFIX.length())
            : valueSubject;
    return base + KEY_SUFFIX;
  }

  /**
   * Why {@code subject} cannot be written to, or empty if it can: it must be non-blank, at most
   * {@value #MAX_LENGTH} characters without control characters, and start with {@code <domain>.}.
   */
  public static Optional<String> invalidReason(String subject) {
    if (subject == null || subject.isBlank()) {
      return Optional.of("the subject is missing");
    }
    if (subject.length() > MAX_LENGTH) {
      return Optional.of(
          "subject '"
              + subject.substring(0, 60)
              + "...' is "
              + subject.length()
              + " characters long; at most "
              + MAX_LENGTH
              + " are allowed");
    }
    if (subject.chars().anyMatch(Character::isISOControl)) {
      return Optional.of("subject '" + printable(subject) + "' contains control characters");
    }
    if (owner(subject).isEmpty()) {
      return Optional.of(
          "subject '"
              + subject
              + "' does not belong to a domain: a meshbone subject starts with '<domain>.', as"
              + " in 'sales.orders-value' for the value records of the product sales.orders"
              + " (a domain name is "
              + Names.RULE
              + "; 'mesh', 'meshbone' and 'kafka' are reserved)");
    }
    return Optional.empty();
  }

  private static String declared(String name) {
    return name;
  }

  private static String printable(String text) {
    String cut = text.length() > 60 ? text.substring(0, 60) + "..." : text;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
