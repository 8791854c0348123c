package dev.meshbone.topics;

/**
 * The headers contract-validator adds to every record it writes to a product's dead-letter topic
 * ({@code <domain>.<product>.dlq}), beside the record's own headers, key, value and timestamp.
 * Values are UTF-8 text, numbers in decimal, so a person reading the topic with any tool can follow
 * them. Headers with these names that the producer had set are replaced.
 *
 * <p>The names are not compile-time constants, on purpose: javac would copy a constant's text into
 * every class that uses it, and the house rules' scan of class files ({@code HouseRulesTest}) could
 * then no longer tell a use of these names from a literal written elsewhere.
 */
public final class DlqHeaders {
  /** The reason code, e.g. {@code RULE_VIOLATION}, {@code UNKNOWN_SCHEMA_ID}: always present. */
  public static final String REASON = declared("mesh.dlq.reason");

  /** One sentence saying what was wrong: always present. */
  public static final String MESSAGE = declared("mesh.dlq.message");

  /** Which part of the record failed: {@code value} or {@code key}: always present. */
  public static final String PART = declared("mesh.dlq.part");

  /** The name of the data rule the record broke (for {@code RULE_VIOLATION}). */
  public static final String RULE = declared("mesh.dlq.rule");

  /**
   * The field path the broken rule checks, e.g. {@code order.amount} (for {@code RULE_VIOLATION}).
   */
  public static final String FIELD = declared("mesh.dlq.field");

  /** The schema id the record's bytes named, when they were in the Confluent format. */
  public static final String SCHEMA_ID = declared("mesh.dlq.schema-id");

  /** The subject the schema id was checked against, e.g. {@code sales.orders-value}. */
  public static final String SUBJECT = declared("mesh.dlq.subject");

  /** The ingest topic the record was read from: always present. */
  public static final String SOURCE_TOPIC = declared("mesh.dlq.source.topic");

  /** The partition of the ingest topic it was read from: always present. */
  public static final String SOURCE_PARTITION = declared("mesh.dlq.source.partition");

  /** Its offset in that partition: always present. */
  public static final String SOURCE_OFFSET = declared("mesh.dlq.source.offset");

  /**
   * Set only when the value was cut to fit the dead-letter topic (for {@code TOO_LARGE}): the
   * original size in bytes. The whole record stays in the ingest topic at the source offset for
   * that topic's retention.
   */
  public static final String ORIGINAL_SIZE = declared("mesh.dlq.original-size");

  /** The value of {@link #PART} for the record's value. */
  public static final String PART_VALUE = "value";

  /** The value of {@link #PART} for the record's key. */
  public static final String PART_KEY = "key";

  private DlqHeaders() {}

  private static String declared(String name) {
    return name;
  }

  /** Every header name above, for code that strips or copies them. */
  public static final java.util.List<String> ALL =
      java.util.List.of(
          REASON,
          MESSAGE,
          PART,
          RULE,
          FIELD,
          SCHEMA_ID,
          SUBJECT,
          SOURCE_TOPIC,
          SOURCE_PARTITION,
          SOURCE_OFFSET,
          ORIGINAL_SIZE);
}
