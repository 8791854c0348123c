package dev.meshbone.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Temporary folders for tests, deleted when the test JVM exits. */
public final class TestDirs {
  private TestDirs() {}

  /**
   * A new, empty Kafka Streams {@code state.dir} for a TopologyTestDriver or an app under test.
   * Never share the default {@code /tmp/kafka-streams}: another JVM running the same topology (a
   * parallel build) would lock or delete the same folders.
   */
  public static String newStateDir() {
    try {
      Path dir = Files.createTempDirectory("meshbone-streams-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
      return dir.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) {
      // best effort at exit
    }
  }
}
