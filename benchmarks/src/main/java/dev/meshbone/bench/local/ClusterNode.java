package dev.meshbone.bench.local;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One node of {@link ClusterRecoveryBench}'s three-broker cluster, in a JVM of its own so the bench
 * can SIGKILL it: a KRaft controller or a broker, with its data in a folder kept across restarts
 * (formatted on the first start). A SIGTERM or the end of its standard input stops it cleanly (a
 * controlled shutdown: the controller moves its leaderships away first). Prints {@code READY} once
 * it serves.
 *
 * <p>Arguments: {@code controller|broker}, node id, data folder, client port (unused by the
 * controller), controller port, cluster id.
 *
 * <p>Settings as a production cluster has them: replication factor 3, {@code
 * min.insync.replicas=2}, the transaction state and consumer offsets replicated 3 times with a
 * minimum in-sync of 2; everything else at Kafka's defaults (among them {@code
 * broker.session.timeout.ms} 9 s, after which the controller fences a broker that stopped
 * heartbeating, and {@code replica.lag.time.max.ms} 30 s).
 */
public final class ClusterNode {
  private ClusterNode() {}

  public static void main(String[] args) throws Exception {
    boolean controller = args[0].equals("controller");
    int id = Integer.parseInt(args[1]);
    Path dir = Path.of(args[2]).toAbsolutePath();
    int port = Integer.parseInt(args[3]);
    int controllerPort = Integer.parseInt(args[4]);
    String clusterId = args[5];
    Files.createDirectories(dir);
    if (!Files.exists(dir.resolve("meta.properties"))) {
      var formatter = new Formatter();
      // -Dbench.transaction-version=1 formats the cluster with transactions v1 instead of Kafka
      // 4.3's default v2 (a new producer epoch per transaction), to compare the two.
      String transactionVersion = System.getProperty("bench.transaction-version");
      if (transactionVersion != null && !transactionVersion.isEmpty()) {
        formatter.setFeatureLevel("transaction.version", Short.parseShort(transactionVersion));
      }
      formatter
          .setNodeId(id)
          .setClusterId(clusterId)
          .setDirectories(List.of(dir.toString()))
          .setMetadataLogDirectory(dir.toString())
          .setControllerListenerName("CONTROLLER")
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .run();
    }
    var server =
        new KafkaRaftServer(
            new KafkaConfig(config(controller, id, dir, port, controllerPort), false), Time.SYSTEM);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.shutdown();
                  server.awaitShutdown();
                },
                "node-shutdown"));
    server.startup();
    System.out.println("READY");
    System.out.flush();
    while (System.in.read() >= 0) {
      // Runs until the bench closes our input, stops or kills us.
    }
    System.exit(0);
  }

  static Properties config(boolean controller, int id, Path dir, int port, int controllerPort) {
    var p = new Properties();
    p.put("node.id", Integer.toString(id));
    p.put("process.roles", controller ? "controller" : "broker");
    p.put("controller.quorum.voters", "0@localhost:" + controllerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dir.toString());
    if (controller) {
      p.put("listeners", "CONTROLLER://localhost:" + controllerPort);
    } else {
      p.put("listeners", "PLAINTEXT://localhost:" + port);
      p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
      p.put("inter.broker.listener.name", "PLAINTEXT");
    }
    p.put("default.replication.factor", "3");
    p.put("min.insync.replicas", "2");
    p.put("offsets.topic.replication.factor", "3");
    p.put("offsets.topic.num.partitions", "6");
    p.put("transaction.state.log.replication.factor", "3");
    p.put("transaction.state.log.min.isr", "2");
    p.put("transaction.state.log.num.partitions", "6");
    p.put("share.coordinator.state.topic.replication.factor", "3");
    p.put("share.coordinator.state.topic.min.isr", "2");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    return p;
  }
}
