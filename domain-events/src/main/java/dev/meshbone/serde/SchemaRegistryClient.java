package dev.meshbone.serde;

import java.io.Closeable;
import org.apache.avro.Schema;

/**
 * A client of a schema registry speaking the Confluent REST API (meshbone's own {@code
 * mesh-registry}, Confluent Schema Registry, or any compatible one), for Avro schemas.
 *
 * <p>Every call blocks until the registry answers. Answers that cannot change are cached for the
 * life of the client: schema by id, id by (subject, schema), a numbered version of a subject; so
 * the serde's hot path does no I/O after the first record of each schema. {@link #latest(String)}
 * and {@link #testCompatibility} are never cached. A failure is a {@link SchemaRegistryException};
 * transient ones (no answer, a 5xx) are retried first, see {@link RestSchemaRegistryClient}.
 *
 * <p>Implementations are thread-safe.
 */
public interface SchemaRegistryClient extends Closeable {

  /**
   * Registers {@code schema} under {@code subject} ({@code POST /subjects/{s}/versions}) and
   * returns its id, or the id it already has. Java-only schema properties ({@code
   * avro.java.string}, ...) are left out of what is sent, so the id is the one non-Java clients get
   * for the same .avsc.
   *
   * @param normalize ask the registry to normalize the schema first ({@code ?normalize=true})
   */
  int register(String subject, Schema schema, boolean normalize);

  /**
   * The version of {@code subject} that has {@code schema} ({@code POST /subjects/{s}}), without
   * registering anything.
   *
   * @throws SchemaRegistryException 40401 (no such subject) or 40403 (schema not under it)
   */
  RegisteredSchema lookup(String subject, Schema schema, boolean normalize);

  /**
   * The schema with this id ({@code GET /schemas/ids/{id}}), references resolved.
   *
   * @throws SchemaRegistryException 40403 when no schema has this id
   */
  Schema schemaById(int id);

  /**
   * The latest version of {@code subject} ({@code GET /subjects/{s}/versions/latest}); not cached.
   */
  RegisteredSchema latest(String subject);

  /** One version of {@code subject} ({@code GET /subjects/{s}/versions/{version}}). */
  RegisteredSchema version(String subject, int version);

  /**
   * Whether {@code schema} could be registered as the next version of {@code subject} against its
   * latest version, with the registry's reasons ({@code POST
   * /compatibility/subjects/{s}/versions/latest?verbose=true}); not cached.
   */
  CompatibilityResult testCompatibility(String subject, Schema schema);

  /** As {@link #testCompatibility(String, Schema)} against one numbered version. */
  CompatibilityResult testCompatibility(String subject, int version, Schema schema);

  /** Releases the client's resources; caches are dropped. */
  @Override
  void close();
}
