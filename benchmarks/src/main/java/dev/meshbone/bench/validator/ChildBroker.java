package dev.meshbone.bench.validator;

import dev.meshbone.testkit.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link BrokerProcess} in a child JVM, started and stopped by the harness. */
public final class ChildBroker implements AutoCloseable {
  private final Process process;
  private final String bootstrap;

  private ChildBroker(Process process, String bootstrap) {
    this.process = process;
    this.bootstrap = bootstrap;
  }

  public static ChildBroker start() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx2g"));
    command.addAll(ChildJvm.options());
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), BrokerProcess.class.getName()));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    var reader =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.startsWith("BOOTSTRAP=")) {
        String bootstrap = line.substring("BOOTSTRAP=".length());
        Thread drain =
            new Thread(
                () -> {
                  try {
                    while (reader.readLine() != null) {
                      // discard
                    }
                  } catch (IOException ignored) {
                    // the broker is gone
                  }
                });
        drain.setDaemon(true);
        drain.start();
        return new ChildBroker(p, bootstrap);
      }
    }
    throw new IOException("the broker process ended before it was ready");
  }

  public String bootstrapServers() {
    return bootstrap;
  }

  @Override
  public void close() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
