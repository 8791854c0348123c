package dev.meshbone.bench.local;

import dev.meshbone.topics.DomainTopics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * Recovery on a three-broker cluster under load: a KRaft controller and three brokers, each a child
 * JVM ({@link ClusterNode}), replication factor 3, {@code min.insync.replicas=2}, the transaction
 * state replicated; contract-validator in a child JVM as it runs in production (a static member,
 * exactly-once, replication factor 3) under a steady load ({@link SteadyLoad}) into a product of 3
 * partitions. Each round, in turn:
 *
 * <ul>
 *   <li>clean restart (the baseline): the broker leading ingest partition 0 stopped with SIGTERM (a
 *       controlled shutdown: the controller moves its leaderships first) and started again;
 *   <li>ingest leader SIGKILL: the broker leading ingest partition 0 killed, started again at once;
 *   <li>coordinator SIGKILL: the broker coordinating the validator's transactions killed, started
 *       again at once;
 *   <li>leader move: every ingest partition's leadership moved to its next replica (a reassignment
 *       that only reorders the replicas, then a preferred leader election); no broker stops.
 * </ul>
 *
 * <p>Each fault is timed from the moment it is made: time to resume output until every partition of
 * the product's validated topic delivered (read_committed) a record sent after the fault; time to
 * healthy until the broker serves again, every partition of every topic (internal ones included)
 * has its full ISR and the validator's {@code /health} is UP. At the end the load stops and each
 * round's records are checked: lost (acknowledged, never read) and duplicated (read twice).
 */
public final class ClusterRecoveryBench {
  public static final List<String> FAULTS =
      List.of("clean restart", "ingest leader SIGKILL", "coordinator SIGKILL", "leader move");
  private static final int PARTITIONS = 3;
  private static final String APP_ID = "recov-validator";
  private static final long SETTLE_MILLIS = 1_000;

  /** One fault of one round. */
  public record Round(
      String fault,
      int round,
      int broker,
      double input,
      double resume,
      double healthy,
      long lost,
      long dup) {}

  /** The rounds, with the run's own account. */
  public record Result(List<Round> rounds, int rate, long sent, long refused, long outOfOrder) {}

  private final Path work;
  private final String clusterId = Uuid.randomUuid().toString();
  private final int controllerPort;
  private final int[] ports = new int[4];
  private final Map<Integer, Process> nodes = new ConcurrentHashMap<>();
  private final int httpPort;
  private Process validator;

  private ClusterRecoveryBench(Path work) throws IOException {
    this.work = work;
    try (var a = new ServerSocket(0);
        var b = new ServerSocket(0);
        var c = new ServerSocket(0);
        var d = new ServerSocket(0);
        var e = new ServerSocket(0)) {
      controllerPort = a.getLocalPort();
      ports[1] = b.getLocalPort();
      ports[2] = c.getLocalPort();
      ports[3] = d.getLocalPort();
      httpPort = e.getLocalPort();
    }
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    measure(rounds, rate, System.out::println);
  }

  /** Runs {@code rounds} rounds of every fault at {@code rate} records a second. */
  public static Result measure(int rounds, int rate, Consumer<String> log) throws Exception {
    var bench = new ClusterRecoveryBench(Files.createTempDirectory("bench-cluster"));
    try {
      return bench.run(rounds, rate, log);
    } finally {
      bench.stopAll();
      log.accept(
          String.format(
              "the brokers logged %d OutOfOrderSequenceException(s) (transaction.version %s)",
              bench.count("OutOfOrderSequenceException: Invalid sequence number"),
              System.getProperty("bench.transaction-version", "default")));
      ColdStartBench.wipe(bench.work);
    }
  }

  /** Lines of the nodes' logs that contain {@code text}. */
  private long count(String text) {
    long n = 0;
    for (int id = 0; id <= 3; id++) {
      Path file = work.resolve(id + ".log");
      if (!Files.exists(file)) {
        continue;
      }
      try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
        n += lines.filter(l -> l.contains(text)).count();
      } catch (IOException | java.io.UncheckedIOException e) {
        // a log we cannot read counts nothing
      }
    }
    return n;
  }

  private String bootstrap() {
    return "localhost:" + ports[1] + ",localhost:" + ports[2] + ",localhost:" + ports[3];
  }

  private Result run(int rounds, int rate, Consumer<String> log) throws Exception {
    long t0 = System.nanoTime();
    startNode(0);
    List<CompletableFuture<Void>> starting = new ArrayList<>();
    for (int id = 1; id <= 3; id++) {
      starting.add(startNodeAsync(id));
    }
    starting.forEach(CompletableFuture::join);
    SteadyLoad.declare(bootstrap(), (short) 3, PARTITIONS);
    validator =
        ServiceRestartBench.launch(
            bootstrap(), "contract-validator", validatorProps(), work.resolve("validator.log"));
    ServiceRestartBench.awaitHealthy(validator, "contract-validator", httpPort, System.nanoTime());
    log.accept(String.format("cluster and validator up in %.1f s", ColdStartBench.seconds(t0)));
    List<Round> result = new ArrayList<>();
    List<long[]> ranges = new ArrayList<>();
    try (var admin = Admin.create(Map.of("bootstrap.servers", bootstrap()));
        var load = SteadyLoad.start(bootstrap(), rate, PARTITIONS)) {
      load.mark();
      if (Double.isNaN(load.awaitResumed(Duration.ofSeconds(120)))) {
        throw new IllegalStateException("no validated output within 120 s; see " + work);
      }
      // Output and health are both awaited after each fault: a second of steady load is enough
      // before the next.
      Thread.sleep(SETTLE_MILLIS);
      for (int round = 0; round < rounds; round++) {
        for (String fault : FAULTS) {
          long from = load.nextSeq();
          Round r = fault(admin, load, fault, round);
          log.accept(
              String.format(
                  "%s round %d (broker %d): input acknowledged after %.1f s, output resumed after"
                      + " %.1f s, healthy after %.1f s",
                  fault, round, r.broker(), r.input(), r.resume(), r.healthy()));
          result.add(r);
          // Steady again before the next fault.
          Thread.sleep(SETTLE_MILLIS);
          ranges.add(new long[] {from, load.nextSeq()});
        }
      }
      load.stopAndSettle(Duration.ofSeconds(90));
      List<Round> counted = new ArrayList<>();
      for (int i = 0; i < result.size(); i++) {
        Round r = result.get(i);
        long[] range = ranges.get(i);
        counted.add(
            new Round(
                r.fault(),
                r.round(),
                r.broker(),
                r.input(),
                r.resume(),
                r.healthy(),
                load.lost(range[0], range[1]),
                load.duplicated(range[0], range[1])));
      }
      return new Result(counted, rate, load.nextSeq(), load.refused(), load.outOfOrder());
    }
  }

  private Map<String, String> validatorProps() {
    var props = new HashMap<String, String>();
    props.put("micronaut.server.port", Integer.toString(httpPort));
    props.put("meshbone.state-dir", work.resolve("validator-state").toString());
    props.put("meshbone.replication-factor", "3");
    props.put("kafka.streams.application.id", APP_ID);
    return props;
  }

  private Round fault(Admin admin, SteadyLoad load, String fault, int round) throws Exception {
    int broker;
    long t0;
    switch (fault) {
      case "clean restart" -> {
        broker = leaderOf(admin, 0);
        load.mark();
        t0 = System.nanoTime();
        Process p = nodes.remove(broker);
        p.destroy();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          throw new IllegalStateException("broker " + broker + " did not stop in 120 s");
        }
        startNodeAsync(broker);
      }
      case "ingest leader SIGKILL", "coordinator SIGKILL" -> {
        broker = fault.startsWith("ingest") ? leaderOf(admin, 0) : coordinator(admin);
        load.mark();
        t0 = System.nanoTime();
        nodes.remove(broker).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        startNodeAsync(broker);
      }
      default -> {
        broker = -1;
        load.mark();
        t0 = System.nanoTime();
        moveLeaders(admin);
      }
    }
    double healthy = awaitHealthy(admin, t0, fault.equals("leader move"));
    double resume = load.awaitResumed(Duration.ofMinutes(3));
    return new Round(fault, round, broker, load.inputResumedAfterMark(), resume, healthy, 0, 0);
  }

  /**
   * Moves each ingest partition's leadership to the replica after its leader: the replica list is
   * reordered so that one is preferred (no data moves), then a preferred leader election.
   */
  private static void moveLeaders(Admin admin) throws Exception {
    String topic = DomainTopics.ingest(SteadyLoad.PRODUCT);
    var reassignments = new HashMap<TopicPartition, Optional<NewPartitionReassignment>>();
    for (TopicPartitionInfo p : describe(admin, topic)) {
      List<Integer> replicas = new ArrayList<>(p.replicas().stream().map(n -> n.id()).toList());
      int at = replicas.indexOf(p.leader().id());
      List<Integer> order = new ArrayList<>();
      for (int i = 1; i <= replicas.size(); i++) {
        order.add(replicas.get((at + i) % replicas.size()));
      }
      reassignments.put(
          new TopicPartition(topic, p.partition()),
          Optional.of(new NewPartitionReassignment(order)));
    }
    admin.alterPartitionReassignments(reassignments).all().get(30, TimeUnit.SECONDS);
    admin
        .electLeaders(ElectionType.PREFERRED, reassignments.keySet())
        .partitions()
        .get(30, TimeUnit.SECONDS);
  }

  /**
   * Seconds from {@code t0} until all three brokers serve, every partition has its full ISR (and,
   * after a leader move, its preferred leader) and the validator is healthy.
   */
  private double awaitHealthy(Admin admin, long t0, boolean preferred) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      if (nodes.size() == 4 && inSync(admin, preferred) && ColdStartBench.healthy(httpPort)) {
        return ColdStartBench.seconds(t0);
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the cluster was not healthy within 3 minutes; see " + work);
  }

  private static boolean inSync(Admin admin, boolean preferred) {
    String ingest = DomainTopics.ingest(SteadyLoad.PRODUCT);
    try {
      var names =
          admin
              .listTopics(new ListTopicsOptions().listInternal(true))
              .names()
              .get(5, TimeUnit.SECONDS);
      for (var t : admin.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS).values()) {
        for (var p : t.partitions()) {
          boolean ok =
              p.leader() != null
                  && p.isr().size() == p.replicas().size()
                  && (!preferred
                      || !t.name().equals(ingest)
                      || p.leader().id() == p.replicas().get(0).id());
          if (!ok) {
            return false;
          }
        }
      }
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static List<TopicPartitionInfo> describe(Admin admin, String topic) throws Exception {
    return admin
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get(10, TimeUnit.SECONDS)
        .get(topic)
        .partitions();
  }

  private static int leaderOf(Admin admin, int partition) throws Exception {
    return describe(admin, DomainTopics.ingest(SteadyLoad.PRODUCT)).get(partition).leader().id();
  }

  /** The broker coordinating the validator's (first listed) transactional id. */
  private static int coordinator(Admin admin) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        String id =
            admin.listTransactions().all().get(10, TimeUnit.SECONDS).stream()
                .map(TransactionListing::transactionalId)
                .filter(t -> t.startsWith(APP_ID))
                .sorted()
                .findFirst()
                .orElseThrow();
        int coordinator =
            admin
                .describeTransactions(List.of(id))
                .description(id)
                .get(10, TimeUnit.SECONDS)
                .coordinatorId();
        if (coordinator >= 0) {
          return coordinator;
        }
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(200);
    }
  }

  // The nodes.

  private void startNode(int id) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var command =
        List.of(
            java,
            id == 0 ? "-Xmx256m" : "-Xmx512m",
            "-Dbench.transaction-version=" + System.getProperty("bench.transaction-version", ""),
            "-cp",
            System.getProperty("java.class.path"),
            ClusterNode.class.getName(),
            id == 0 ? "controller" : "broker",
            Integer.toString(id),
            work.resolve("node-" + id).toString(),
            Integer.toString(ports[id]),
            Integer.toString(controllerPort),
            clusterId);
    Process p =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(work.resolve(id + ".log").toFile()))
            .start();
    var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.equals("READY")) {
      // its log goes to the file
    }
    if (line == null) {
      throw new IllegalStateException("node " + id + " did not start; see " + work);
    }
    Thread drain =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // discard
                }
              } catch (IOException ignored) {
                // gone
              }
            });
    drain.setDaemon(true);
    drain.start();
    nodes.put(id, p);
  }

  private CompletableFuture<Void> startNodeAsync(int id) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            startNode(id);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  private void stopAll() {
    Set<Process> all = new HashSet<>();
    if (validator != null) {
      all.add(validator);
    }
    all.addAll(nodes.values());
    for (Process p : all) {
      p.destroyForcibly();
    }
    for (Process p : all) {
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
