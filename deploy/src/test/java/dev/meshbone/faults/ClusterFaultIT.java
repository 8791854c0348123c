package dev.meshbone.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshbone.testkit.KafkaBroker;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * The mesh on a three-broker cluster as it runs in production: replication factor 3, {@code
 * min.insync.replicas=2}, the transaction state log replicated. Under load the test stops the
 * broker that leads an ingest partition, then the one that coordinates the validator's
 * transactions, then restarts all three one after another. Every record comes through exactly once,
 * in order per partition; the services keep running and the registry keeps answering; the test
 * prints how long the output stalled at each step.
 */
class ClusterFaultIT {
  private static final int RECORDS = FaultSizes.pick(20_000, 100_000);
  private static final int CHUNK = 500;

  private record Address(String bootstrapServers) implements KafkaBroker {
    @Override
    public String kind() {
      return "three brokers";
    }
  }

  @Test
  void shouldLoseAndDuplicateNothingWhenBrokersLeadingTheWorkGoAway() throws Exception {
    try (var cluster = startCluster()) {
      var broker = new Address(cluster.bootstrapServers());
      var records = new FaultRecords(false);
      records.declare(broker, (short) 3);
      try (var mesh =
              new FaultMesh(
                  broker,
                  Map.of(
                      "meshbone.validator.max-record-bytes", FaultRecords.MAX_RECORD_BYTES,
                      "meshbone.replication-factor", 3,
                      "kafka.streams.consumer.metadata.max.age.ms", 2000));
          var admin = broker.admin()) {
        var http = new Http(mesh.registryUrl());
        String productPath = "/products/" + records.product;
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> http.get(productPath, Map.of()).status() == 200);

        List<Exception> sendErrors = new CopyOnWriteArrayList<>();
        var config = new HashMap<>(broker.producerConfig());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
        var stepsDone = new AtomicBoolean();
        var produced = new AtomicInteger();
        // 5,000 records a second up to half, then 100 a second for as long as the steps take (so
        // each step runs under load), then the rest at full speed.
        CompletableFuture<Void> producing =
            CompletableFuture.runAsync(
                () -> {
                  try (var producer = new KafkaProducer<byte[], byte[]>(config)) {
                    records.awaitLeaders(producer);
                    int from = 0;
                    while (!stepsDone.get() || from < RECORDS) {
                      boolean trickle = !stepsDone.get() && from >= RECORDS / 2;
                      int to = trickle ? from + 20 : Math.min(RECORDS, from + CHUNK);
                      try {
                        records.produce(producer, from, to);
                      } catch (IllegalStateException e) {
                        sendErrors.add(e);
                      }
                      from = to;
                      produced.set(from);
                      FaultLoad.pause(trickle ? 200 : 100);
                    }
                  }
                });

        List<String> stalls = new ArrayList<>();
        int total;
        try (var out = new FaultRecords.Outputs(broker, records)) {
          var watch =
              new OutputWatch(
                  out, producing, () -> http.get(productPath, Map.of()).assertReadAnswered());
          watch.until(n -> n >= RECORDS / 4);

          int leader = leaderOf(admin, records.ingest(), 0);
          stalls.add(step(cluster, leader, "leader of " + records.ingest() + "-0", watch, mesh));

          int coordinator = coordinatorOf(admin, "faults-validator");
          stalls.add(
              step(cluster, coordinator, "validator's transaction coordinator", watch, mesh));

          // The rolling restart: every broker in turn. The default run restarts only those the two
          // steps above did not, so each broker has been restarted once; the long run all three.
          for (int id : cluster.brokers().keySet()) {
            if (FaultSizes.LONG || id != leader && id != coordinator) {
              stalls.add(step(cluster, id, "rolling restart", watch, mesh));
            }
          }
          stepsDone.set(true);

          producing.get(5, TimeUnit.MINUTES);
          total = produced.get();
          assertThat(sendErrors).as("sends the cluster never took").isEmpty();
          out.assertExactlyOnce(records, total, Duration.ofMinutes(FaultSizes.pick(3, 10)));
          assertThat(out.reasons()).isEqualTo(records.expectedReasons(total));
          out.assertStatsMatch(broker, records, Duration.ofMinutes(1));
        }
        for (ApplicationContext context : mesh.all()) {
          assertThat(FaultMesh.state(context)).isEqualTo(KafkaStreams.State.RUNNING);
        }
        System.out.printf(
            "three-broker cluster: %,d records exactly once; output stalls: %s%n",
            total, String.join("; ", stalls));
      }
    }
  }

  /**
   * Stops broker {@code id} (a controlled shutdown) under load, waits until output has grown by a
   * few hundred records with it gone, starts it again and waits until every partition has all its
   * replicas in sync; returns the longest output stall it saw.
   */
  private static String step(
      KafkaClusterTestKit cluster, int id, String what, OutputWatch watch, FaultMesh mesh)
      throws Exception {
    BrokerServer server = cluster.brokers().get(id);
    watch.takeWorstStall();
    // Stopping and starting block for seconds: the output is read meanwhile, so a stall is the
    // output's, not this thread's.
    watch.whilePolling(
        () -> {
          server.shutdown();
          server.awaitShutdown();
        });
    watch.grow(300);
    for (ApplicationContext context : mesh.all()) {
      assertThat(FaultMesh.state(context))
          .as("a service with broker %d down", id)
          .isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
    }
    watch.whilePolling(server::startup);
    try (Admin admin = cluster.admin()) {
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                watch.poll();
                return fullyInSync(admin);
              });
    }
    watch.grow(300);
    return String.format("broker %d (%s) %.1f s", id, what, watch.takeWorstStall());
  }

  private static boolean fullyInSync(Admin admin) throws Exception {
    var names =
        admin
            .listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
            .names()
            .get(10, TimeUnit.SECONDS);
    return admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
        .flatMap(t -> t.partitions().stream())
        .allMatch(p -> p.isr().size() == p.replicas().size());
  }

  private static int leaderOf(Admin admin, String topic, int partition) throws Exception {
    return admin
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get(10, TimeUnit.SECONDS)
        .get(topic)
        .partitions()
        .get(partition)
        .leader()
        .id();
  }

  /**
   * The broker coordinating the transactions of the app whose id starts with {@code prefix}; asked
   * again while the admin client's view of a just restarted broker settles.
   */
  private static int coordinatorOf(Admin admin, String prefix) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () -> {
              String transactionalId =
                  admin.listTransactions().all().get(10, TimeUnit.SECONDS).stream()
                      .map(TransactionListing::transactionalId)
                      .filter(id -> id.startsWith(prefix))
                      .findFirst()
                      .orElseThrow();
              return admin
                  .describeTransactions(List.of(transactionalId))
                  .description(transactionalId)
                  .get(10, TimeUnit.SECONDS)
                  .coordinatorId();
            },
            id -> id >= 0);
  }

  private static KafkaClusterTestKit startCluster() throws Exception {
    var cluster =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(false)
                    .setNumBrokerNodes(3)
                    .setNumControllerNodes(1)
                    .setBootstrapMetadataVersion(MetadataVersion.LATEST_PRODUCTION)
                    .build())
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("auto.create.topics.enable", "false")
            .setConfigProp("default.replication.factor", "3")
            .setConfigProp("min.insync.replicas", "2")
            .setConfigProp("offsets.topic.replication.factor", "3")
            .setConfigProp("offsets.topic.num.partitions", "6")
            .setConfigProp("transaction.state.log.replication.factor", "3")
            .setConfigProp("transaction.state.log.min.isr", "2")
            .setConfigProp("transaction.state.log.num.partitions", "6")
            .setConfigProp("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000")
            .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    return cluster;
  }
}
