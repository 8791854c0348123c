package dev.meshbone.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft Kafka (broker and controller in one process) on fixed ports, with its log in
 * a folder kept between runs: the first start formats the folder, later starts reuse it, so
 * products and contracts survive a restart of the local mesh.
 */
public final class LocalKafka implements AutoCloseable {
  private final KafkaRaftServer server;
  private final int port;

  private LocalKafka(KafkaRaftServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Formats {@code dataDir} if it is new, then starts the node and returns once it is serving. */
  public static LocalKafka start(Path dataDir, int port, int controllerPort) throws Exception {
    return start(dataDir, port, controllerPort, null);
  }

  /**
   * As {@link #start(Path, int, int)}, with the client listener secured as {@code security} says
   * (SASL/SCRAM-SHA-512 and ACLs), or open when it is null.
   */
  public static LocalKafka start(
      Path dataDir, int port, int controllerPort, LocalKafkaSecurity security) throws Exception {
    Files.createDirectories(dataDir);
    String dir = dataDir.toAbsolutePath().toString();
    if (!Files.exists(dataDir.resolve("meta.properties"))) {
      new Formatter()
          .setNodeId(1)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(dir))
          .setMetadataLogDirectory(dir)
          .setControllerListenerName("CONTROLLER")
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
          .run();
    }
    Properties config = config(dir, port, controllerPort);
    if (security != null) {
      config.putAll(security.brokerConfig(port, controllerPort));
    }
    var server = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
    server.startup();
    return new LocalKafka(server, port);
  }

  static Properties config(String dir, int port, int controllerPort) {
    var props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
    props.put(
        "listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("log.dirs", dir);
    props.put("offsets.topic.replication.factor", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    // One node: the coordinators' topics need no 50 partitions each, and every log is one more to
    // check when the node starts after a crash. Only a new data folder gets these counts; the
    // coordinators of an older one keep using its topics' partitions.
    props.put("offsets.topic.num.partitions", "6");
    props.put("transaction.state.log.num.partitions", "6");
    // After a crash the controller (in this same process) still holds the dead node's broker
    // registration and refuses the new one until that session times out: 9 s by default. Nothing
    // crosses a network here, so a shorter session is safe and the restart is that much quicker.
    props.put("broker.heartbeat.interval.ms", "1000");
    props.put("broker.session.timeout.ms", "4000");
    props.put("num.partitions", "3");
    // Topics are created by the mesh with their declared configs, never by accident.
    props.put("auto.create.topics.enable", "false");
    return props;
  }

  public String bootstrapServers() {
    return "localhost:" + port;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  /** Deletes the data folder; the next start formats a new, empty cluster. */
  public static void wipe(Path dataDir) throws IOException {
    if (!Files.exists(dataDir)) {
      return;
    }
    try (var paths = Files.walk(dataDir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
