package dev.meshbone.validator.records;

import static dev.meshbone.validator.records.MixedRecords.seq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import dev.meshbone.validator.ValidatorApp;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * The exactly-once promise across a crash: the validator runs in a child JVM, is killed with
 * SIGKILL while a transaction holds output, and is started again on the same state; a
 * read_committed reader then sees every ingest record exactly once across the product topic and the
 * DLQ, in order per partition.
 */
@WithKafka
class RecordValidationCrashIT {
  private static final int N = 20_000;

  @Test
  void shouldDeliverEveryRecordExactlyOnceAcrossAKill(KafkaBroker broker) throws Exception {
    var records = new MixedRecords();
    records.declare(broker);
    broker.createTopics(
        MixedRecords.PARTITIONS, records.ingest(), records.validated(), records.dlq());
    Path stateDir = Files.createTempDirectory("rv-crash");
    String appId = KafkaBroker.unique("rv-crash");

    // A steady stream, so the kill lands mid-stream: 20,000 records over about 12 seconds.
    CompletableFuture<Void> producing =
        CompletableFuture.runAsync(
            () -> {
              for (int from = 0; from < N; from += 500) {
                records.produce(broker, from, from + 500);
                pause(300);
              }
            });

    try (Admin admin = broker.admin()) {
      boolean killedMidTransaction = false;
      for (int attempt = 1; attempt <= 3 && !killedMidTransaction; attempt++) {
        Process first = startValidator(broker, appId, stateDir, "first-" + attempt);
        try {
          // Kill once an output partition's last stable offset trails its end: a transaction
          // holds records nobody may read yet.
          await().atMost(Duration.ofMinutes(2)).until(() -> openTransaction(admin, records));
          first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          // Still open with the process dead (its commit was not under way): the kill caught it.
          killedMidTransaction = staysOpen(admin, records);
        } finally {
          if (first.isAlive()) {
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          }
        }
      }
      assertThat(killedMidTransaction)
          .as("the validator was killed with a transaction open")
          .isTrue();
    }

    Process second = startValidator(broker, appId, stateDir, "second");
    try {
      producing.get(2, TimeUnit.MINUTES);
      var out = new MixedRecords.Outputs(broker, records);
      try {
        await().atMost(Duration.ofMinutes(3)).until(() -> out.poll() >= N);
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(15))
            .until(() -> out.poll() == N);

        Set<Integer> seen = new HashSet<>();
        out.validated.forEach(r -> assertThat(seen.add(seq(r))).isTrue());
        out.dlq.forEach(r -> assertThat(seen.add(seq(r))).isTrue());
        assertThat(seen).hasSize(N);
        assertThat(out.reasons()).isEqualTo(MixedRecords.expectedReasons(N));
        assertOrdered(out.validated);
        assertOrdered(out.dlq);
      } finally {
        out.close();
      }
      try (var uncommitted = new Counter(broker, records, "read_uncommitted")) {
        // What the killed transaction had written is still in the log, aborted.
        await().atMost(Duration.ofSeconds(30)).until(() -> uncommitted.poll() > N);
      }
    } finally {
      second.destroy();
      if (!second.waitFor(60, TimeUnit.SECONDS)) {
        second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      records.deleteTopics(broker);
    }
  }

  /** Whether some output partition has records of a transaction not yet committed or aborted. */
  private static boolean openTransaction(Admin admin, MixedRecords records) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < MixedRecords.PARTITIONS; p++) {
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
  private static boolean staysOpen(Admin admin, MixedRecords records) {
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

  private static void assertOrdered(
      List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> out) {
    Map<Integer, Integer> last = new HashMap<>();
    for (var r : out) {
      Integer before = last.put(r.partition(), seq(r));
      assertThat(before == null || before < seq(r)).isTrue();
    }
  }

  /** The validator service in a child JVM, on the test's classpath. */
  private static Process startValidator(
      KafkaBroker broker, String appId, Path stateDir, String name) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    broker.clientConfig().forEach((k, v) -> command.add("-Dkafka." + k + "=" + v));
    command.add("-Dmicronaut.server.port=-1");
    command.add("-Dkafka.streams.application.id=" + appId);
    command.add("-Dmeshbone.state-dir=" + stateDir);
    command.add("-Dmeshbone.validator.max-record-bytes=" + MixedRecords.MAX_RECORD_BYTES);
    // Long transactions, so the kill finds one open; a short session, so the restart need not
    // wait out the dead member; a quick metadata refresh for the new ingest topic.
    command.add("-Dkafka.streams.commit.interval.ms=2000");
    command.add(
        "-Dkafka.streams.main.consumer." + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG + "=6000");
    command.add("-Dkafka.streams.consumer.metadata.max.age.ms=2000");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(ValidatorApp.class.getName());
    File log = Path.of("target", "rv-crash-" + name + ".log").toFile();
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        .start();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Counts the records in the product topic and DLQ at one isolation level. */
  private static final class Counter implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private long count;

    Counter(KafkaBroker broker, MixedRecords records, String isolation) {
      var config = new HashMap<>(broker.consumerConfig(KafkaBroker.unique("rv-count")));
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
      consumer = new KafkaConsumer<>(config);
      var parts = new ArrayList<TopicPartition>();
      for (int p = 0; p < MixedRecords.PARTITIONS; p++) {
        parts.add(new TopicPartition(records.validated(), p));
        parts.add(new TopicPartition(records.dlq(), p));
      }
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
    }

    long poll() {
      count += consumer.poll(Duration.ofMillis(100)).count();
      return count;
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
