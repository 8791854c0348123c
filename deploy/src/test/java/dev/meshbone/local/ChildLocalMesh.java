package dev.meshbone.local;

import dev.meshbone.testkit.ChildJvm;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local mesh as a user runs it: {@code java -jar deploy/target/meshbone-local.jar} with its
 * {@code lib/} folder, in a child JVM on free ports, its output kept in a log file. Only the
 * packaged artifacts are on its class path, so what the tests' own class path brings cannot hide a
 * dependency the jar lacks.
 */
public final class ChildLocalMesh implements AutoCloseable {
  static final Path JAR = Path.of("target", "meshbone-local.jar");
  private static final String UP = "meshbone local mesh is up";
  private static final Pattern UP_MILLIS = Pattern.compile(UP + " \\((\\d+) ms\\)");

  public final int kafkaPort;
  public final int controllerPort;
  public final int registryPort;
  public final int validatorPort;
  public final int qualityPort;
  private final Path log;
  private final Process process;

  private ChildLocalMesh(int[] ports, Path log, Process process) {
    this.kafkaPort = ports[0];
    this.controllerPort = ports[1];
    this.registryPort = ports[2];
    this.validatorPort = ports[3];
    this.qualityPort = ports[4];
    this.log = log;
    this.process = process;
  }

  /** Starts {@code java -jar meshbone-local.jar} with the given options plus free ports. */
  public static ChildLocalMesh start(Path dataDir, String... options) throws IOException {
    return start(dataDir, freePorts(5), List.of(), options);
  }

  /**
   * Starts it on {@code ports} (as {@link #ports()} gives them: a restart on the same data keeps
   * its ports), with extra JVM options such as {@code -Dmeshbone.validator.max-record-bytes=...}.
   */
  public static ChildLocalMesh start(
      Path dataDir, int[] ports, List<String> jvmOptions, String... options) throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run mvn package first");
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx1g");
    command.addAll(ChildJvm.options());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", JAR.toString(), "--data-dir", dataDir.toString()));
    command.addAll(
        List.of(
            "--kafka-port", String.valueOf(ports[0]),
            "--controller-port", String.valueOf(ports[1]),
            "--registry-port", String.valueOf(ports[2]),
            "--validator-port", String.valueOf(ports[3]),
            "--quality-port", String.valueOf(ports[4])));
    command.addAll(Arrays.asList(options));
    Path log = Files.createTempFile(dataDir.getParent(), "local-mesh", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new ChildLocalMesh(ports, log, process);
  }

  /** Waits for the launcher's "is up" line; fails with the log's tail if it exits or times out. */
  public ChildLocalMesh awaitUp(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (output().contains(UP)) {
        return this;
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            "the local mesh exited with " + process.exitValue() + " before it was up:\n" + tail());
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the local mesh was not up within " + timeout + ":\n" + tail());
  }

  /** The time to healthy the launcher reports on its "is up" line, from its start to all UP. */
  public long upMillis() throws IOException {
    Matcher m = UP_MILLIS.matcher(output());
    if (!m.find()) {
      throw new IllegalStateException("not up yet");
    }
    return Long.parseLong(m.group(1));
  }

  public int[] ports() {
    return new int[] {kafkaPort, controllerPort, registryPort, validatorPort, qualityPort};
  }

  static boolean isFree(int port) {
    try (var socket = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  String url(int port, String path) {
    return "http://localhost:" + port + path;
  }

  public String output() throws IOException {
    return Files.readString(log);
  }

  public String tail() throws IOException {
    String out = output();
    return out.substring(Math.max(0, out.length() - 4000));
  }

  /** Stops it as Ctrl-C does (SIGTERM) and returns the exit code. */
  public int stop(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("the local mesh did not stop within " + timeout + " of SIGTERM");
    }
    return process.exitValue();
  }

  /** SIGKILL, as a crash or the OOM killer ends it: no shutdown hook runs. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the local mesh did not die within 30 s of SIGKILL");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** {@code count} ports free right now, for {@link #start(Path, int[], List, String...)}. */
  public static int[] freePorts(int count) throws IOException {
    var sockets = new ServerSocket[count];
    try {
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0);
      }
      return Arrays.stream(sockets).mapToInt(ServerSocket::getLocalPort).toArray();
    } finally {
      for (ServerSocket s : sockets) {
        if (s != null) {
          s.close();
        }
      }
    }
  }
}
