package dev.meshbone.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro set-up shared by every serde of the mesh.
 *
 * <p>Avro 1.12.2 refuses to instantiate specific-record classes from packages it has not been told
 * to trust ({@code SecurityException: Forbidden ... not trusted}). The mesh's own contracts live in
 * {@code dev.meshbone.events}; {@link #trustMeshPackages()} adds that package (and nothing else) to
 * the validator Avro already has, once per JVM.
 */
public final class MeshAvro {
  public static final String EVENTS_PACKAGE = "dev.meshbone.events";

  private static volatile boolean trusted;

  private MeshAvro() {}

  /** Idempotent; safe to call from every serde's constructor. */
  public static void trustMeshPackages() {
    if (trusted) {
      return;
    }
    synchronized (MeshAvro.class) {
      if (!trusted) {
        ClassSecurityValidator.setGlobal(
            ClassSecurityValidator.composite(
                ClassSecurityValidator.getGlobal(),
                c -> c.getName().startsWith(EVENTS_PACKAGE + ".")));
        trusted = true;
      }
    }
  }
}
