package dev.meshbone.serde;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One version of a subject as the registry serves it: {@code POST /subjects/{s}} (lookup), {@code
 * GET /subjects/{s}/versions/{v}} or {@code .../latest}.
 *
 * @param subject the subject
 * @param id the registry-wide schema id, the one written in the wire format
 * @param version the version under the subject (1, 2, ...)
 * @param schema the Avro schema, parsed (with its references resolved)
 */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {
  public RegisteredSchema {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
  }
}
