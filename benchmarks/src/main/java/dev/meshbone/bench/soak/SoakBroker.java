package dev.meshbone.bench.soak;

import dev.meshbone.local.LocalKafka;
import java.nio.file.Path;

/**
 * The soak's broker in a JVM of its own, so the soak can SIGKILL it and start it again on the same
 * data and ports: the local mesh's single-node KRaft broker ({@link LocalKafka}, with its
 * settings). Arguments: data folder, client port, controller port. Prints {@code READY} once it
 * serves.
 */
public final class SoakBroker {
  private SoakBroker() {}

  public static void main(String[] args) throws Exception {
    try (var kafka =
        LocalKafka.start(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]))) {
      System.out.println("READY " + kafka.bootstrapServers());
      System.out.flush();
      while (System.in.read() >= 0) {
        // Runs until the soak closes our input, or kills us.
      }
    }
  }
}
