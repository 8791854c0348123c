package dev.meshbone.local;

import dev.meshbone.local.demo.DemoMesh;
import dev.meshbone.quality.QualityApp;
import dev.meshbone.registry.RegistryApp;
import dev.meshbone.runtime.ServiceLauncher;
import dev.meshbone.runtime.security.UsersFile;
import dev.meshbone.validator.ValidatorApp;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The one-command local mesh: a single-node KRaft broker and contract-validator, mesh-registry and
 * quality-monitor in one JVM, each in its own Micronaut application context with its own Kafka
 * Streams application id, as they would run on a cluster.
 */
public final class LocalMesh implements AutoCloseable {
  /** A service of the mesh: its name, Micronaut environment, port and how to start it. */
  record Service(
      String name,
      String environment,
      int port,
      Function<Map<String, Object>, ApplicationContext> start) {}

  /**
   * Partitions of each topic the local mesh creates for a declared product, unless {@code
   * MESHBONE_VALIDATOR_PRODUCT_PARTITIONS} says otherwise (a cluster keeps the validator's default,
   * 3).
   */
  public static final int PRODUCT_PARTITIONS = 1;

  private static int productPartitions() {
    String configured = System.getenv("MESHBONE_VALIDATOR_PRODUCT_PARTITIONS");
    if (configured == null || configured.isBlank()) {
      return PRODUCT_PARTITIONS;
    }
    try {
      int partitions = Integer.parseInt(configured.trim());
      if (partitions > 0) {
        return partitions;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(
        "MESHBONE_VALIDATOR_PRODUCT_PARTITIONS must be a whole number of partitions above 0, not '"
            + configured
            + "'");
  }

  /** The local mesh's services' {@code meshbone.instance-id}. */
  static final String INSTANCE_ID = "local-mesh";

  private final LocalMeshOptions options;
  private LocalKafka kafka;
  private final List<ApplicationContext> contexts = new ArrayList<>();
  private DemoMesh demo;
  private LocalCredentials credentials;
  private LocalKafkaSecurity kafkaSecurity;
  private LocalKafkaSecurity.Prepared kafkaUsers;

  public LocalMesh(LocalMeshOptions options) {
    this.options = options;
  }

  public static void main(String[] args) {
    LocalMeshOptions options;
    try {
      options = LocalMeshOptions.parse(args);
      productPartitions();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.print(LocalMeshOptions.USAGE);
      return;
    }
    var mesh = new LocalMesh(options);
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("\nstopping the local mesh...");
                  mesh.close();
                  System.out.println("stopped; data kept in " + options.dataDir().toAbsolutePath());
                  stopped.countDown();
                },
                "local-mesh-shutdown"));
    try {
      mesh.start();
    } catch (PortTakenException e) {
      System.err.println(e.getMessage());
      Runtime.getRuntime().halt(2);
    } catch (ServiceLauncher.MissingConfigurationException
        | UsersFile.InvalidUsersFileException e) {
      System.err.println(e.getMessage());
      Runtime.getRuntime().halt(1);
    } catch (Exception e) {
      System.err.println("the local mesh failed to start: " + e.getMessage());
      e.printStackTrace();
      System.exit(1);
    }
  }

  /** Starts the broker and the services and waits until every health endpoint says UP. */
  public void start() throws Exception {
    long begin = System.nanoTime();
    List<Service> services = services();
    checkPorts(services);
    for (Service service : services) {
      // Before the broker starts: a mesh on the code's defaults alone is broken in quiet ways.
      ServiceLauncher.requireConfigurationFiles(service.environment());
    }

    Path dataDir = options.dataDir().toAbsolutePath();
    if (options.wipe()) {
      LocalKafka.wipe(dataDir);
      System.out.println("wiped " + dataDir);
    }
    if (options.secure()) {
      credentials = LocalCredentials.prepare(dataDir, options.usersFile(), credentialNames());
    }
    kafkaSecurity = credentials == null ? null : LocalKafkaSecurity.generate();
    boolean restart = Files.exists(dataDir.resolve("kafka").resolve("meta.properties"));
    kafka =
        LocalKafka.start(
            dataDir.resolve("kafka"), options.kafkaPort(), options.controllerPort(), kafkaSecurity);
    System.out.printf(
        "Kafka broker up at %s (%d ms)%n", kafka.bootstrapServers(), millisSince(begin));
    if (kafkaSecurity != null) {
      kafkaUsers = kafkaSecurity.prepare(kafka.bootstrapServers(), credentials);
    }
    if (restart) {
      endHangingTransactions();
    }

    for (Service service : services) {
      var properties = new LinkedHashMap<String, Object>();
      properties.put("kafka.bootstrap.servers", kafka.bootstrapServers());
      properties.put("micronaut.server.port", service.port());
      properties.put("meshbone.state-dir", dataDir.resolve("streams").toString());
      properties.put("meshbone.replication-factor", 1);
      // One broker and one stream thread: more partitions a product buy no parallelism here, and
      // each is a log the broker keeps open and recovers after a crash (2,000 products at 3 would
      // need about 19,000 open files).
      properties.put("meshbone.validator.product-partitions", productPartitions());
      // The console and the quality dashboard link to each other on their actual ports.
      properties.put("meshbone.console.quality-url", qualityUrl());
      properties.put("meshbone.dashboard.console-url", consoleUrl());
      // One instance of each service, the same one after every restart: static members, so a
      // restart after a crash (SIGKILL, power loss) need not wait out the dead members' sessions.
      properties.put("meshbone.instance-id", INSTANCE_ID);
      if (credentials == null) {
        properties.put("meshbone.security.enabled", false);
      } else {
        properties.put(
            "meshbone.security.users-file",
            String.join(",", credentials.usersFiles().stream().map(Path::toString).toList()));
        properties.put("meshbone.security.platform-role", LocalCredentials.ADMIN);
        properties.putAll(kafkaSecurity.serviceProperties(service.name(), credentials));
      }
      contexts.add(service.start().apply(properties));
    }
    for (Service service : services) {
      awaitHealthy(service, Duration.ofSeconds(60));
    }
    long ms = millisSince(begin);
    System.out.println();
    System.out.println("meshbone local mesh is up (" + ms + " ms)");
    String row = "  %-27s %s%n";
    System.out.printf(row, "console", consoleUrl());
    System.out.printf(row, "Kafka", kafka.bootstrapServers());
    System.out.printf(
        row, "registry API", "http://localhost:" + options.registryPort() + "/products");
    System.out.printf(
        row,
        "schema registry API",
        "http://localhost:" + options.registryPort() + " (Confluent-compatible)");
    System.out.printf(row, "quality dashboard", qualityUrl());
    for (Service service : services) {
      System.out.printf(
          row, service.name() + " health", "http://localhost:" + service.port() + "/health");
    }
    System.out.printf(row, "data", dataDir);
    if (credentials == null) {
      System.out.printf(
          row,
          "security",
          "OFF: open for local work; writes name their domain in X-Mesh-Domain, unchecked"
              + " (--secure turns it on)");
    } else {
      System.out.printf(
          row,
          "security",
          "ON: users from "
              + String.join(", ", credentials.usersFiles().stream().map(Path::toString).toList()));
      credentials
          .generatedFile()
          .ifPresent(file -> System.out.printf(row, "generated passwords", file + " (mode 600)"));
      printKafkaSecurity(row);
    }
    if (options.demo()) {
      System.out.printf(
          row, "demo", "clinical-trials, supply-chain, pharmacovigilance (lines tagged 'demo')");
    }
    System.out.println("Ctrl-C stops everything.");
    if (options.demo()) {
      LocalCredentials known = credentials;
      demo =
          DemoMesh.start(
              kafka.bootstrapServers(),
              "http://localhost:" + options.registryPort(),
              domain -> known == null ? java.util.Optional.empty() : known.password(domain),
              domain ->
                  known == null || known.password(domain).isEmpty()
                      ? Map.of()
                      : LocalKafkaSecurity.scramClient(domain, known.password(domain).get()));
    }
  }

  private String consoleUrl() {
    return "http://localhost:" + options.registryPort() + "/console";
  }

  private String qualityUrl() {
    return "http://localhost:" + options.qualityPort() + "/";
  }

  /** What a secure mesh's broker enforces, and which users could not get a Kafka credential. */
  private void printKafkaSecurity(String row) {
    System.out.printf(
        row,
        "Kafka security",
        "SASL/SCRAM-SHA-512 (SASL_PLAINTEXT), ACLs only (StandardAuthorizer); Kafka users: "
            + String.join(", ", kafkaUsers.users()));
    if (!kafkaUsers.hashOnly().isEmpty()) {
      System.out.printf(
          row,
          "no Kafka credential",
          String.join(", ", kafkaUsers.hashOnly())
              + " (the users file holds only a hash of the password; SCRAM needs the password)");
    }
    System.out.printf(
        row,
        "ACL table",
        "java -cp mesh-registry/target/mesh-registry.jar dev.meshbone.registry.access.AclTableCommand");
  }

  /**
   * The principals the mesh's own clients log in as on a secure mesh, who need a password (in the
   * users file, or else generated): the demo domains with {@code --demo}.
   */
  List<String> credentialNames() {
    var names = new ArrayList<String>();
    if (options.demo()) {
      names.addAll(DemoMesh.DOMAINS);
    }
    return names;
  }

  /** The credentials of a secure mesh ({@code --secure}), else null. */
  LocalCredentials credentials() {
    return credentials;
  }

  /** The running demo, when started with {@code --demo} (for tests). */
  DemoMesh demo() {
    return demo;
  }

  List<Service> services() {
    return List.of(
        new Service(
            "contract-validator",
            ValidatorApp.ENVIRONMENT,
            options.validatorPort(),
            ValidatorApp::start),
        new Service(
            "mesh-registry", RegistryApp.ENVIRONMENT, options.registryPort(), RegistryApp::start),
        new Service(
            "quality-monitor", QualityApp.ENVIRONMENT, options.qualityPort(), QualityApp::start));
  }

  private void checkPorts(List<Service> services) {
    var ports = new LinkedHashMap<String, int[]>();
    ports.put("Kafka", new int[] {options.kafkaPort()});
    ports.put("Kafka controller", new int[] {options.controllerPort()});
    for (Service s : services) {
      ports.put(s.name(), new int[] {s.port()});
    }
    Map<String, String> flags =
        Map.of(
            "Kafka", "--kafka-port",
            "Kafka controller", "--controller-port",
            "contract-validator", "--validator-port",
            "mesh-registry", "--registry-port",
            "quality-monitor", "--quality-port");
    for (var entry : ports.entrySet()) {
      int port = entry.getValue()[0];
      if (!isFree(port)) {
        throw new PortTakenException(
            String.format(
                "port %d, wanted by %s, is taken by another program (an earlier local mesh still"
                    + " running?). Stop that program, or pick another port: bin/local-mesh %s %d",
                port,
                entry.getKey(),
                flags.get(entry.getKey()),
                port + 10000 > 65535 ? port - 1000 : port + 10000));
      }
    }
  }

  private static boolean isFree(int port) {
    try (var socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("localhost", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void awaitHealthy(Service service, Duration timeout) throws InterruptedException {
    var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    var request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + service.port() + "/health"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
          return;
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        service.name() + " did not become healthy within " + timeout + ": " + last);
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  /**
   * Before the services start on the data of an earlier run: the transactions a crash left hanging
   * would stop their {@code read_committed} readers for good ({@link HangingTransactions}).
   */
  private void endHangingTransactions() {
    Map<String, Object> config =
        kafkaSecurity == null
            ? Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers())
            : kafkaSecurity.superClient(kafka.bootstrapServers());
    long begin = System.nanoTime();
    try {
      var outcome = HangingTransactions.endAll(config, Duration.ofSeconds(10));
      int ended = outcome.committed().size() + outcome.aborted().size();
      if (ended > 0) {
        System.out.printf(
            "ended %d transaction(s) the last crash left hanging, as their coordinator decided"
                + " (%d ms):%n",
            ended, millisSince(begin));
        outcome.committed().forEach(line -> System.out.println("  committed " + line));
        outcome.aborted().forEach(line -> System.out.println("  aborted " + line));
      }
      if (!outcome.undecided().isEmpty()) {
        System.out.println(
            "open transactions whose coordinator has not decided them (left alone; if a reader"
                + " stops at one for good, see kafka-transactions.sh find-hanging):");
        outcome.undecided().forEach(line -> System.out.println("  " + line));
      }
    } catch (Exception e) {
      System.out.println(
          "could not look for hanging transactions ("
              + e
              + "); if a reader stops at a partition for good, see kafka-transactions.sh"
              + " find-hanging");
    }
  }

  /** Stops the demo, then the services in reverse order, then the broker. */
  @Override
  public synchronized void close() {
    if (demo != null) {
      demo.close();
      demo = null;
    }
    for (int i = contexts.size() - 1; i >= 0; i--) {
      try {
        contexts.get(i).close();
      } catch (RuntimeException e) {
        System.err.println("stopping a service failed: " + e);
      }
    }
    contexts.clear();
    if (kafka != null) {
      kafka.close();
      kafka = null;
    }
  }

  /** The contexts of the running services, in start order (for tests). */
  List<ApplicationContext> contexts() {
    return List.copyOf(contexts);
  }

  static final class PortTakenException extends IllegalStateException {
    PortTakenException(String message) {
      super(message);
    }
  }
}
