package dev.meshbone.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.runtime.access.AclTable;
import dev.meshbone.runtime.access.MeshAccessState;
import dev.meshbone.runtime.access.PrincipalMapping;
import dev.meshbone.runtime.access.ServiceAccount;
import dev.meshbone.runtime.access.ServiceAccounts;
import dev.meshbone.runtime.access.TopicCreation;
import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.SecureKafkaBroker;
import dev.meshbone.testkit.WithKafka;
import dev.meshbone.topics.MeshTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Exactly once across repeated crashes: contract-validator runs in a child JVM and is killed with
 * SIGKILL several times, each time while a transaction holds output nobody may read yet, and
 * started again on the same state folder, while a stream of valid and every kind of invalid record
 * flows in. A read_committed reader then sees every input exactly once across the product topic and
 * the DLQ, with its reason, in order per partition, and the product's statistics ({@code
 * mesh.products.stats}) count exactly what it read: valid, invalid, and invalid by reason.
 */
@WithKafka
class ValidatorCrashFaultIT {
  private static final int RECORDS = FaultSizes.pick(60_000, 300_000);
  private static final int KILLS = FaultSizes.pick(2, 8);
  private static final int CHUNK = 1_000;

  @Test
  void shouldDeliverEveryRecordExactlyOnceAcrossRepeatedKills(KafkaBroker broker) throws Exception {
    var records = new FaultRecords(false);
    records.declare(broker);
    String appId = KafkaBroker.unique("faults-crash");
    crashRepeatedly(
        broker, records, appId, broker.clientConfig(), broker.producerConfig(), RECORDS, KILLS);
  }

  /**
   * The same on a broker that authenticates with SASL/SCRAM-SHA-512 and allows only what an ACL
   * does: the validator runs as its own principal with exactly the ACL table's rows for its
   * application id, and the records come from the owning domain's principal with the domain's rows.
   * Smaller than the plain run: it proves exactly once with ACLs in force, not again under the same
   * load. Long run only: the default run proves the validator's exactly-once writes under ACLs
   * without a crash (LocalMeshSecureIT, KafkaAccessEndToEndIT), and this adds a minute.
   */
  @Test
  void shouldDeliverEveryRecordExactlyOnceWithAclsInForce() throws Exception {
    assumeTrue(FaultSizes.LONG, "long run only (-Dmeshbone.faults.long=true)");
    try (var broker = SecureKafkaBroker.start()) {
      var records = new FaultRecords(false);
      records.declare(broker);
      String appId = KafkaBroker.unique("faults-crash-secure");
      var validator = ServiceAccount.defaults(ServiceAccount.VALIDATOR).withApplicationId(appId);
      var accounts =
          new ServiceAccounts(
              validator,
              ServiceAccount.defaults(ServiceAccount.REGISTRY),
              ServiceAccount.defaults(ServiceAccount.QUALITY));
      String domain = records.product.domain();
      String validatorPassword = SecureKafkaBroker.randomSecret();
      String domainPassword = SecureKafkaBroker.randomSecret();
      broker.addUsers(Map.of(validator.userName(), validatorPassword, domain, domainPassword));
      var state =
          new MeshAccessState(Map.of(records.product, LifecycleStatus.ACTIVE), Map.of(), Set.of());
      try (Admin admin = broker.admin()) {
        var bindings =
            new java.util.LinkedHashSet<>(
                AclTable.serviceBindings(accounts, MeshTopics.defaults(), TopicCreation.SERVICES));
        bindings.addAll(AclTable.domainBindings(domain, state, PrincipalMapping.defaults()));
        admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
      }
      var producer = new HashMap<>(broker.producerConfig());
      producer.putAll(broker.clientConfig(domain, domainPassword));
      crashRepeatedly(
          broker,
          records,
          appId,
          broker.clientConfig(validator.userName(), validatorPassword),
          producer,
          FaultSizes.pick(20_000, 100_000),
          FaultSizes.pick(1, 3));
    }
  }

  private static void crashRepeatedly(
      KafkaBroker broker,
      FaultRecords records,
      String appId,
      Map<String, Object> validatorClient,
      Map<String, Object> producerConfig,
      int total,
      int wantedKills)
      throws Exception {
    Path stateDir = Files.createTempDirectory("faults-crash");
    var killsDone = new AtomicBoolean();

    // A stream that outlasts the kills: 4,000 records a second, then (with 5% left) a trickle
    // until the last kill, so the validator always has a transaction to be caught in.
    CompletableFuture<Void> producing =
        FaultLoad.start(
            records,
            producerConfig,
            total,
            new FaultLoad.Pace(CHUNK, 250),
            (int) (total * 0.95),
            new FaultLoad.Pace(50, 1_000),
            killsDone);

    List<String> kills = new ArrayList<>();
    try (Admin admin = broker.admin()) {
      for (int attempt = 1; kills.size() < wantedKills && attempt <= wantedKills + 4; attempt++) {
        // The killed one's transaction may still be open: only records written after this start
        // show the new process at work.
        long before = outputEnd(admin, records);
        Process validator =
            ChildValidator.start(validatorClient, appId, stateDir, "crash-" + attempt);
        try {
          // Kill once it has committed output of its own (so counts of committed records could be
          // lost, were they not committed with them) and an output partition's last stable offset
          // trails its end: a transaction holds records nobody may read yet.
          await()
              .atMost(Duration.ofMinutes(2))
              .until(
                  () ->
                      stableEnd(admin, records) > before + 100 && openTransaction(admin, records));
          ChildValidator.kill(validator);
          // Still open with the process dead (its commit was not under way): the kill caught it.
          if (staysOpen(admin, records)) {
            kills.add("attempt " + attempt);
          }
        } finally {
          if (validator.isAlive()) {
            ChildValidator.kill(validator);
          }
        }
      }
    } finally {
      killsDone.set(true);
    }
    assertThat(kills).as("kills with a transaction open").hasSize(wantedKills);

    Process last = ChildValidator.start(validatorClient, appId, stateDir, "crash-last");
    try {
      producing.get(5, TimeUnit.MINUTES);
      try (var out = new FaultRecords.Outputs(broker, records)) {
        out.assertExactlyOnce(records, total, Duration.ofMinutes(FaultSizes.pick(4, 10)));
        assertThat(out.reasons()).isEqualTo(records.expectedReasons(total));
        assertThat(out.validated).hasSize((int) records.expectedValid(total));
        out.assertStatsMatch(broker, records, Duration.ofMinutes(1));
      }
      // What the killed transactions had written is still in the log, aborted.
      assertThat(countUncommitted(broker, records, total)).isGreaterThan(total);
    } finally {
      ChildValidator.stop(last);
      records.deleteTopics(broker);
    }
  }

  /** The sum of the output partitions' end offsets (read_uncommitted). */
  private static long outputEnd(Admin admin, FaultRecords records) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < FaultRecords.PARTITIONS; p++) {
      latest.put(new TopicPartition(records.validated(), p), OffsetSpec.latest());
      latest.put(new TopicPartition(records.dlq(), p), OffsetSpec.latest());
    }
    return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
        .mapToLong(o -> o.offset())
        .sum();
  }

  /** The sum of the output partitions' last stable offsets (read_committed). */
  private static long stableEnd(Admin admin, FaultRecords records) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < FaultRecords.PARTITIONS; p++) {
      latest.put(new TopicPartition(records.validated(), p), OffsetSpec.latest());
      latest.put(new TopicPartition(records.dlq(), p), OffsetSpec.latest());
    }
    return admin
        .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
        .all()
        .get(10, TimeUnit.SECONDS)
        .values()
        .stream()
        .mapToLong(o -> o.offset())
        .sum();
  }

  /** Whether some output partition has records of a transaction not yet committed or aborted. */
  static boolean openTransaction(Admin admin, FaultRecords records) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < FaultRecords.PARTITIONS; p++) {
      latest.put(new TopicPartition(records.validated(), p), OffsetSpec.latest());
      latest.put(new TopicPartition(records.dlq(), p), OffsetSpec.latest());
    }
    var stable =
        admin
            .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
            .all()
            .get(10, TimeUnit.SECONDS);
    var end =
        admin
            .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
            .all()
            .get(10, TimeUnit.SECONDS);
    return latest.keySet().stream().anyMatch(tp -> stable.get(tp).offset() < end.get(tp).offset());
  }

  /**
   * Whether the transaction stays open for 3 s (well under the 10 s Streams gives a transaction
   * before the broker aborts it), so it was not a commit already on its way when the process died.
   */
  private static boolean staysOpen(Admin admin, FaultRecords records) {
    try {
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(() -> openTransaction(admin, records));
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }

  /** Records in the product topic and DLQ at read_uncommitted (aborted ones included). */
  private static long countUncommitted(KafkaBroker broker, FaultRecords records, int total) {
    var config = new HashMap<>(broker.consumerConfig(KafkaBroker.unique("faults-count")));
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    try (var consumer = new KafkaConsumer<byte[], byte[]>(config)) {
      var parts = new ArrayList<TopicPartition>();
      for (int p = 0; p < FaultRecords.PARTITIONS; p++) {
        parts.add(new TopicPartition(records.validated(), p));
        parts.add(new TopicPartition(records.dlq(), p));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      // Control records (commit and abort markers) take offsets too: count real records. A plain
      // loop, as an await's poll interval would cap the reading rate.
      long count = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (count <= total && System.nanoTime() < deadline) {
        count += consumer.poll(Duration.ofMillis(200)).count();
      }
      return count;
    }
  }
}
