package dev.meshbone.client;

import java.util.List;

/**
 * The registry refused to register a contract version: the schema is incompatible with the
 * product's earlier versions under the subject's compatibility level ({@link #errorCode()} 409), is
 * not valid Avro (42201), has unusable rules (42210), or is too large (42209). {@link #reasons()}
 * lists what broke, e.g. {@code READER_FIELD_MISSING_DEFAULT_VALUE: The field 'x' at path
 * '/fields/3' in the new schema has no default value and is missing in the old schema}. Nothing was
 * registered; change the schema (a new field needs a default to stay BACKWARD compatible) and
 * register again.
 */
public class ContractRefusedException extends MeshClientException {
  private static final long serialVersionUID = 1L;

  private final String productId;
  private final String subject;
  private final int errorCode;
  private final transient List<String> reasons;

  public ContractRefusedException(
      String productId, String subject, int errorCode, String message, List<String> reasons) {
    super(message);
    this.productId = productId;
    this.subject = subject;
    this.errorCode = errorCode;
    this.reasons = List.copyOf(reasons);
  }

  public String productId() {
    return productId;
  }

  /** The registry subject of the product's contract, e.g. {@code sales.orders-value}. */
  public String subject() {
    return subject;
  }

  /** Confluent's error code: 409 incompatible, 42201 invalid schema, 42210 invalid rules, ... */
  public int errorCode() {
    return errorCode;
  }

  /** Whether the schema was refused as incompatible (rather than invalid). */
  public boolean isIncompatible() {
    return errorCode == 409;
  }

  /** What broke, one line each. */
  public List<String> reasons() {
    return reasons;
  }
}
