package dev.meshbone.contracts;

/**
 * Confluent Schema Registry's error codes, as its clients read them from {@code {"error_code": N,
 * "message": "..."}}. The HTTP status is the code's first three digits (409 and the generic HTTP
 * codes are their own status).
 */
public final class RegistryErrors {
  public static final int BAD_REQUEST = 400;
  public static final int UNAUTHORIZED = 40101;
  public static final int FORBIDDEN = 40301;
  public static final int SUBJECT_NOT_FOUND = 40401;
  public static final int VERSION_NOT_FOUND = 40402;
  public static final int SCHEMA_NOT_FOUND = 40403;
  public static final int SUBJECT_SOFT_DELETED = 40404;
  public static final int SUBJECT_NOT_SOFT_DELETED = 40405;
  public static final int VERSION_SOFT_DELETED = 40406;
  public static final int VERSION_NOT_SOFT_DELETED = 40407;
  public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
  public static final int INCOMPATIBLE_SCHEMA = 409;
  public static final int INVALID_SCHEMA = 42201;
  public static final int INVALID_VERSION = 42202;
  public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
  public static final int OPERATION_NOT_PERMITTED = 42205;
  public static final int REFERENCE_EXISTS = 42206;
  public static final int INVALID_SUBJECT = 42208;
  public static final int SCHEMA_TOO_LARGE = 42209;
  public static final int INVALID_RULESET = 42210;
  public static final int STORE_ERROR = 50001;
  public static final int OPERATION_TIMEOUT = 50002;

  private RegistryErrors() {}

  /** The HTTP status that goes with an error code. */
  public static int httpStatus(int errorCode) {
    if (errorCode < 1000) {
      return errorCode;
    }
    int status = errorCode;
    while (status >= 1000) {
      status /= 10;
    }
    return status;
  }

  public static String subjectNotFound(String subject) {
    return "Subject '" + subject + "' not found.";
  }

  public static String versionNotFound(int version) {
    return "Version " + version + " not found.";
  }

  public static String subjectSoftDeleted(String subject) {
    return "Subject '" + subject + "' was soft deleted.Set permanent=true to delete permanently";
  }

  public static String subjectNotSoftDeleted(String subject) {
    return "Subject '" + subject + "' was not deleted first before being permanently deleted";
  }

  public static String versionSoftDeleted(String subject, int version) {
    return "Subject '"
        + subject
        + "' Version "
        + version
        + " was soft deleted.Set permanent=true to delete permanently";
  }

  public static String versionNotSoftDeleted(String subject, int version) {
    return "Subject '"
        + subject
        + "' Version "
        + version
        + " was not deleted first before being permanently deleted";
  }

  public static String invalidVersion(String version) {
    return "The specified version '"
        + version
        + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string"
        + " \"latest\"";
  }

  public static final String INVALID_COMPATIBILITY_MESSAGE =
      "Invalid compatibility level. Valid values are none, backward, forward, full,"
          + " backward_transitive, forward_transitive, and full_transitive";
}
