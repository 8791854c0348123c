package dev.meshbone.bench;

import java.util.List;

/** The JVMs the suite starts beside its own: a broker, a whole local mesh. */
public final class BenchJvm {
  private BenchJvm() {}

  /**
   * Extra options of those JVMs ({@code -Dbench.child-jvm-options="..."}): none in a measuring run;
   * the tests' quick run gives its children the test JVM's own (C1 only), as it asserts no speed.
   */
  public static List<String> childOptions() {
    String options = System.getProperty("bench.child-jvm-options", "").strip();
    return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
  }
}
