package dev.meshbone.serde;

/**
 * A schema registry request that failed: the registry's answer ({@link #status()} is the HTTP
 * status, {@link #errorCode()} Confluent's {@code error_code}, the message the registry's {@code
 * message}), or no answer at all after every retry on every URL ({@link #status()} 0).
 *
 * <p>Confluent's error codes: 40401 subject not found, 40402 version not found, 40403 schema not
 * found, 409 incompatible schema, 42201 invalid schema, 42202 invalid version, 42203 invalid
 * compatibility level, 50001 store error, 50002 operation timeout, 50003 error forwarding to the
 * leader. An answer without a JSON error body gets its HTTP status as error code.
 */
public class SchemaRegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public static final int SUBJECT_NOT_FOUND = 40401;
  public static final int VERSION_NOT_FOUND = 40402;
  public static final int SCHEMA_NOT_FOUND = 40403;
  public static final int INCOMPATIBLE_SCHEMA = 409;
  public static final int INVALID_SCHEMA = 42201;
  public static final int INVALID_VERSION = 42202;
  public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
  public static final int STORE_ERROR = 50001;
  public static final int OPERATION_TIMEOUT = 50002;
  public static final int FORWARDING_ERROR = 50003;

  private final int status;
  private final int errorCode;

  public SchemaRegistryException(int status, int errorCode, String message) {
    this(status, errorCode, message, null);
  }

  public SchemaRegistryException(int status, int errorCode, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
  }

  /** The HTTP status of the registry's answer; 0 when there was no answer (I/O failure). */
  public int status() {
    return status;
  }

  /** Confluent's {@code error_code} (e.g. 40403), the HTTP status without one, 0 without answer. */
  public int errorCode() {
    return errorCode;
  }

  /**
   * Whether the failure may pass on its own (no answer, or a 5xx): the client already retried it,
   * so it means the registry stayed unreachable or unwell for the whole retry budget.
   */
  public boolean isTransient() {
    return status == 0 || status >= 500;
  }

  /** Whether the registry said the subject, version or schema does not exist. */
  public boolean isNotFound() {
    return status == 404
        || errorCode == SUBJECT_NOT_FOUND
        || errorCode == VERSION_NOT_FOUND
        || errorCode == SCHEMA_NOT_FOUND;
  }
}
