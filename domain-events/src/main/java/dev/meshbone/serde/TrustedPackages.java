package dev.meshbone.serde;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * The Java packages whose generated Avro classes this JVM's serdes may instantiate.
 *
 * <p>Avro 1.12.2 refuses to load a specific-record class from a package it has not been told to
 * trust ({@code SecurityException: Forbidden ... not trusted}): with the Confluent wire format the
 * class name comes from the writer schema, that is from the registry and the data, so loading any
 * class it names would let data pick the classes a consumer instantiates. The serde trusts the
 * mesh's own contracts ({@link MeshAvro}), the packages listed in {@code
 * specific.avro.trusted.packages}, and the package of a configured reader type ({@code
 * specific.avro.value.type} / {@code specific.avro.key.type}); anything else is refused with a
 * message naming the setting. Trusting a package trusts its subpackages.
 *
 * <p>Avro's validator is global to the JVM, so this set is too; it only grows. Avro's own system
 * properties ({@code org.apache.avro.SERIALIZABLE_PACKAGES}) keep working beside it.
 */
public final class TrustedPackages {
  private static final Set<String> PACKAGES = ConcurrentHashMap.newKeySet();
  private static volatile boolean installed;

  private TrustedPackages() {}

  /** Trusts the generated classes of these packages (and their subpackages); idempotent. */
  public static void trust(Collection<String> packages) {
    install();
    for (String name : packages) {
      String trimmed = name.trim();
      while (trimmed.endsWith(".") || trimmed.endsWith("*")) {
        trimmed = trimmed.substring(0, trimmed.length() - 1);
      }
      if (!trimmed.isEmpty()) {
        PACKAGES.add(trimmed);
      }
    }
  }

  /** Trusts the package of {@code type}. */
  public static void trustPackageOf(Class<?> type) {
    String name = type.getName();
    int dot = name.lastIndexOf('.');
    if (dot > 0) {
      trust(List.of(name.substring(0, dot)));
    } else {
      install();
    }
  }

  /** Whether a class of this name is in a package trusted here (not counting Avro's defaults). */
  public static boolean isTrusted(String className) {
    if (className.startsWith(MeshAvro.EVENTS_PACKAGE + ".")) {
      return true;
    }
    for (String pkg : PACKAGES) {
      if (className.startsWith(pkg)
          && className.length() > pkg.length()
          && className.charAt(pkg.length()) == '.') {
        return true;
      }
    }
    return false;
  }

  private static void install() {
    if (installed) {
      return;
    }
    MeshAvro.trustMeshPackages();
    synchronized (TrustedPackages.class) {
      if (!installed) {
        ClassSecurityValidator.setGlobal(
            ClassSecurityValidator.composite(
                ClassSecurityValidator.getGlobal(), c -> isTrusted(c.getName())));
        installed = true;
      }
    }
  }
}
