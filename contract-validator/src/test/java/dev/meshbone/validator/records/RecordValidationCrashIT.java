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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
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

    // A steady stream, so the kill lands mid-stream: 20,000 records over about 8 seconds.
    CompletableFuture<Void> producing =
        CompletableFuture.runAsync(
            () -> {
              for (int from = 0; from < N; from += 500) {
                records.produce(broker, from, from + 500);
                pause(200);
              }
            });

    Process first = startValidator(broker, appId, stateDir, "first");
    try (var committed = new Counter(broker, records, "read_committed");
        var uncommitted = new Counter(broker, records, "read_uncommitted")) {
      // Kill only once a transaction is seen holding output nobody may read yet.
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () -> {
                long c = committed.poll();
                return c > 0 && uncommitted.poll() - c >= 100;
              });
      first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      assertThat(committed.poll()).isLessThan(N);
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
        second.destroyForcibly();
      }
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
