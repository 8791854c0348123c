package dev.meshbone.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The local launcher's command line. Every option has a default that works on a laptop; ports are
 * options so a taken one can be moved.
 *
 * @param secure whether the services require credentials ({@code --secure}, or {@code --users})
 * @param usersFile the users file given with {@code --users}, or null
 */
public record LocalMeshOptions(
    Path dataDir,
    boolean wipe,
    int kafkaPort,
    int controllerPort,
    int registryPort,
    int validatorPort,
    int qualityPort,
    boolean demo,
    boolean help,
    boolean secure,
    Path usersFile) {

  /** Options of an open mesh (no {@code --secure}). */
  public LocalMeshOptions(
      Path dataDir,
      boolean wipe,
      int kafkaPort,
      int controllerPort,
      int registryPort,
      int validatorPort,
      int qualityPort,
      boolean demo,
      boolean help) {
    this(
        dataDir,
        wipe,
        kafkaPort,
        controllerPort,
        registryPort,
        validatorPort,
        qualityPort,
        demo,
        help,
        false,
        null);
  }

  /** These options with security on ({@code --secure}), with a users file or none (null). */
  public LocalMeshOptions secured(Path usersFile) {
    return new LocalMeshOptions(
        dataDir,
        wipe,
        kafkaPort,
        controllerPort,
        registryPort,
        validatorPort,
        qualityPort,
        demo,
        help,
        true,
        usersFile);
  }

  public static final String USAGE =
      """
      Usage: bin/local-mesh [options]

      Starts a single-node Kafka broker and every meshbone service in one JVM.
      Ctrl-C stops everything; data is kept in the data folder between runs.

        --data-dir DIR         where Kafka and the services keep their data (default: .meshbone)
        --wipe                 delete the data folder first and start an empty mesh
        --kafka-port N         Kafka's client port (default: 9092)
        --controller-port N    Kafka's KRaft controller port (default: 9093)
        --registry-port N      mesh-registry and schema registry API (default: 8081)
        --validator-port N     contract-validator health and metrics (default: 8082)
        --quality-port N       quality-monitor dashboard and API (default: 8083)
        --demo                 also run a small demo mesh of pharmaceutical R&D domains
        --secure               require a user and password on every HTTP API (and Kafka):
                               without --users, random passwords for admin (and, with
                               --demo, each demo domain) are written to
                               <data-dir>/credentials.properties (mode 600)
        --users FILE           the users file, one name=password a line (implies --secure)
        --help                 print this text

      Without --secure the mesh is open for local work: anyone may call every API, and a
      write names its domain in the X-Mesh-Domain header (or as the basic-auth user),
      unchecked.
      """;

  public static LocalMeshOptions defaults() {
    return new LocalMeshOptions(
        Path.of(".meshbone"), false, 9092, 9093, 8081, 8082, 8083, false, false, false, null);
  }

  /**
   * Parses the arguments.
   *
   * @throws IllegalArgumentException with a message naming the bad argument
   */
  public static LocalMeshOptions parse(String... args) {
    var o = defaults();
    Path dataDir = o.dataDir;
    boolean wipe = false;
    boolean demo = false;
    boolean help = false;
    boolean secure = false;
    Path users = null;
    int kafka = o.kafkaPort;
    int controller = o.controllerPort;
    int registry = o.registryPort;
    int validator = o.validatorPort;
    int quality = o.qualityPort;
    List<String> rest = new ArrayList<>(List.of(args));
    while (!rest.isEmpty()) {
      String arg = rest.remove(0);
      switch (arg) {
        case "--wipe" -> wipe = true;
        case "--demo" -> demo = true;
        case "--help", "-h" -> help = true;
        case "--secure" -> secure = true;
        case "--users" -> {
          users = Path.of(value(arg, rest));
          secure = true;
        }
        case "--data-dir" -> dataDir = Path.of(value(arg, rest));
        case "--kafka-port" -> kafka = port(arg, rest);
        case "--controller-port" -> controller = port(arg, rest);
        case "--registry-port" -> registry = port(arg, rest);
        case "--validator-port" -> validator = port(arg, rest);
        case "--quality-port" -> quality = port(arg, rest);
        default -> throw new IllegalArgumentException("unknown option " + arg + "\n\n" + USAGE);
      }
    }
    return new LocalMeshOptions(
        dataDir, wipe, kafka, controller, registry, validator, quality, demo, help, secure, users);
  }

  private static String value(String option, List<String> rest) {
    if (rest.isEmpty() || rest.get(0).startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value\n\n" + USAGE);
    }
    return rest.remove(0);
  }

  private static int port(String option, List<String> rest) {
    String text = value(option, rest);
    try {
      int port = Integer.parseInt(text);
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option + " needs a port between 1 and 65535, not '" + text + "'");
    }
  }
}
