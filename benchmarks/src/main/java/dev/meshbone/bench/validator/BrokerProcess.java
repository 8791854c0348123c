package dev.meshbone.bench.validator;

import dev.meshbone.testkit.EmbeddedKafkaBroker;
import java.io.IOException;

/**
 * Runs an embedded single-node broker in its own JVM for the end-to-end harnesses, so the broker's
 * work and garbage do not land in the JVM being measured. Prints {@code BOOTSTRAP=<servers>} when
 * ready and stops when its standard input closes.
 */
public final class BrokerProcess {
  private BrokerProcess() {}

  public static void main(String[] args) throws IOException {
    try (var broker = EmbeddedKafkaBroker.start()) {
      System.out.println("BOOTSTRAP=" + broker.bootstrapServers());
      System.out.flush();
      while (System.in.read() >= 0) {
        // Wait for the parent to close our input (or die).
      }
    }
  }
}
