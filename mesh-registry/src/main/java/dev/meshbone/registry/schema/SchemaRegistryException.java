package dev.meshbone.registry.schema;

import dev.meshbone.contracts.RegistryErrors;

/**
 * A refusal of the schema registry API, answered as Confluent does: the HTTP status that goes with
 * the error code, and {@code {"error_code": N, "message": "..."}}.
 */
public class SchemaRegistryException extends RuntimeException {
  private final int errorCode;

  public SchemaRegistryException(int errorCode, String message) {
    super(message, null, false, false);
    this.errorCode = errorCode;
  }

  public int errorCode() {
    return errorCode;
  }

  public int httpStatus() {
    return RegistryErrors.httpStatus(errorCode);
  }

  static SchemaRegistryException subjectNotFound(String subject) {
    return new SchemaRegistryException(
        RegistryErrors.SUBJECT_NOT_FOUND, RegistryErrors.subjectNotFound(subject));
  }

  static SchemaRegistryException versionNotFound(int version) {
    return new SchemaRegistryException(
        RegistryErrors.VERSION_NOT_FOUND, RegistryErrors.versionNotFound(version));
  }

  static SchemaRegistryException schemaNotFound(String id) {
    return new SchemaRegistryException(
        RegistryErrors.SCHEMA_NOT_FOUND,
        id == null ? "Schema not found" : "Schema " + id + " not found");
  }
}
