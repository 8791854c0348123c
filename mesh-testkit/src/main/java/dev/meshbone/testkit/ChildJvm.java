package dev.meshbone.testkit;

import java.util.Arrays;
import java.util.List;

/**
 * The JVM options a test gives the child JVMs it starts (a service, a whole local mesh, the quick
 * benchmark suite's broker): the test JVM's own, from {@code -Dmeshbone.test.jvm} (the build's
 * {@code meshbone.test.jvm} property), so a child compiles as its parent does. None when the
 * property is unset: a test run from an IDE, and {@code bin/bench}, whose JVMs measure.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** The options, one list element each; empty when none are set. */
  public static List<String> options() {
    String options = System.getProperty("meshbone.test.jvm", "").strip();
    return options.isEmpty() ? List.of() : Arrays.asList(options.split("\\s+"));
  }
}
