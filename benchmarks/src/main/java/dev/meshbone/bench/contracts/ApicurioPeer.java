package dev.meshbone.bench.contracts;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Apicurio Registry 3.3.3, the open-source schema registry a meshbone user would most likely pick
 * instead, as a peer for the contract registration benchmark: its Confluent-compatible API ({@code
 * /apis/ccompat/v7}) takes the same requests as meshbone's.
 *
 * <p>It runs from its published artifact, the ready-built Quarkus app {@value #ARTIFACT} on Maven
 * Central (about 151 MB): taken from the local Maven repository when it is there, else fetched into
 * it with {@code mvn dependency:copy}, unpacked once under {@code benchmarks/target/apicurio}, and
 * started in its own process with its defaults (prod profile, in-memory H2 storage, so every start
 * is empty; no authentication) on free ports. It needs Java 21 or newer: the {@code JAVA21}
 * environment variable (a {@code java} executable or a JDK folder), else the newest such JDK under
 * {@code /usr/lib/jvm}; {@link #java21()} is empty where there is none.
 */
public final class ApicurioPeer implements AutoCloseable {
  public static final String VERSION = "3.3.3";
  static final String ARTIFACT = "io.apicurio:apicurio-registry-app:" + VERSION + ":tar.gz:all";
  private static final String TAR = "apicurio-registry-app-" + VERSION + "-all.tar.gz";
  private static final Pattern RELEASE_VERSION =
      Pattern.compile("(?m)^JAVA_VERSION=\"?(\\d+)[^\"\\n]*\"?$");

  private final Process process;
  private final Path log;
  private final String url;

  private ApicurioPeer(Process process, Path log, String url) {
    this.process = process;
    this.log = log;
    this.url = url;
  }

  /** The Confluent-compatible API's base URL, e.g. {@code http://localhost:P/apis/ccompat/v7}. */
  public String url() {
    return url;
  }

  /** A Java 21 or newer {@code java} executable: {@code JAVA21}, else under /usr/lib/jvm. */
  public static Optional<Path> java21() {
    String configured = System.getenv("JAVA21");
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      Path java = Files.isDirectory(path) ? path.resolve("bin").resolve("java") : path;
      return Files.isExecutable(java) ? Optional.of(java) : Optional.empty();
    }
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    try (Stream<Path> homes = Files.list(jvms)) {
      return homes
          .filter(home -> Files.isExecutable(home.resolve("bin").resolve("java")))
          .filter(home -> !Files.isSymbolicLink(home))
          .filter(home -> feature(home) >= 21)
          .max(Comparator.comparingInt(ApicurioPeer::feature))
          .map(home -> home.resolve("bin").resolve("java"));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The feature release of the JDK at {@code home} from its {@code release} file, or 0. */
  private static int feature(Path home) {
    try {
      Matcher m = RELEASE_VERSION.matcher(Files.readString(home.resolve("release")));
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * Fetches (once) and starts Apicurio with {@code java} under {@code work}, and waits until its
   * API answers (at most 3 minutes).
   */
  public static ApicurioPeer start(Path java, Path work, Consumer<String> log) throws Exception {
    work = work.toAbsolutePath();
    Path dist = unpacked(work, log);
    int port = freePort();
    int management = freePort();
    Path logFile = work.resolve("apicurio.log");
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add("-Xmx1g");
    command.add("-Dquarkus.http.port=" + port);
    command.add("-Dquarkus.management.port=" + management);
    command.add("-jar");
    command.add("quarkus-run.jar");
    Process process =
        new ProcessBuilder(command)
            .directory(dist.toFile())
            .redirectErrorStream(true)
            .redirectOutput(logFile.toFile())
            .start();
    String url = "http://localhost:" + port + "/apis/ccompat/v7";
    var peer = new ApicurioPeer(process, logFile, url);
    try {
      peer.awaitUp(Duration.ofMinutes(3));
    } catch (Exception | Error e) {
      peer.close();
      throw e;
    }
    return peer;
  }

  /** The unpacked app (the folder of {@code quarkus-run.jar}), fetching the artifact if needed. */
  private static Path unpacked(Path work, Consumer<String> log) throws Exception {
    Path dist = work.resolve(VERSION);
    if (Files.exists(dist.resolve("quarkus-run.jar"))) {
      return dist;
    }
    Files.createDirectories(dist);
    Path tar =
        localRepository().resolve("io/apicurio/apicurio-registry-app/" + VERSION + "/" + TAR);
    if (!Files.exists(tar)) {
      log.accept("fetching " + ARTIFACT + " (about 151 MB) with mvn dependency:copy...");
      run(
          work,
          Duration.ofMinutes(15),
          "mvn",
          "-B",
          "-ntp",
          "-q",
          "dependency:copy",
          "-Dartifact=" + ARTIFACT,
          "-DoutputDirectory=" + work.toAbsolutePath());
      tar = work.resolve(TAR);
    }
    run(work, Duration.ofMinutes(5), "tar", "-C", dist.toString(), "-xzf", tar.toString());
    if (!Files.exists(dist.resolve("quarkus-run.jar"))) {
      throw new IllegalStateException("no quarkus-run.jar in " + tar);
    }
    Files.deleteIfExists(work.resolve(TAR));
    return dist;
  }

  private static Path localRepository() {
    String configured = System.getProperty("maven.repo.local");
    return configured != null
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  private static void run(Path dir, Duration timeout, String... command) throws Exception {
    Path out = Files.createTempFile("apicurio-fetch", ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + ": timed out");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed: " + Files.readString(out).strip());
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private void awaitUp(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Apicurio exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
      }
      try {
        var response =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/subjects"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Apicurio did not answer within " + timeout + "; see " + log.toAbsolutePath());
      }
      Thread.sleep(250);
    }
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Stops it (SIGTERM, then SIGKILL after 30 s) and waits for the process to end. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
