package dev.meshbone.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.local.ChildLocalMesh;
import dev.meshbone.testkit.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole local mesh crashes: {@code java -jar meshbone-local.jar} (broker and every service in
 * one JVM, as {@code bin/local-mesh} runs it) is killed with SIGKILL while records stream into a
 * product's ingest topic, and started again on the same data and ports. In the long run it is first
 * stopped with SIGTERM and restarted once, mid-stream too, for the clean restart time on the same
 * data (the default run compares with the first start). A read_committed reader then finds every
 * record exactly once across the product topic and the DLQ, in order per partition, and the
 * product's statistics count exactly those; the test prints each start's time to healthy and the
 * output's stalls.
 *
 * <p>A restarted mesh need not wait for its dead predecessor's group members: its services are
 * static members ({@code meshbone.instance-id}), and its broker's session is short.
 */
class LocalMeshCrashFaultIT {
  private static final int RECORDS = FaultSizes.pick(20_000, 100_000);
  private static final int CHUNK = 500;
  private static final Duration UP = Duration.ofMinutes(3);

  @Test
  void shouldComeBackFromSigkillQuicklyWithEveryRecordExactlyOnce(@TempDir Path work)
      throws Exception {
    Path data = work.resolve("data");
    int[] ports = ChildLocalMesh.freePorts(5);
    // The fault records' size limit; new ingest topics seen within 2 s.
    List<String> jvm =
        List.of(
            "-Dmeshbone.validator.max-record-bytes=" + FaultRecords.MAX_RECORD_BYTES,
            "-Dkafka.streams.consumer.metadata.max.age.ms=2000");
    long begin = System.nanoTime();
    ChildLocalMesh mesh = ChildLocalMesh.start(data, ports, jvm).awaitUp(UP);
    long firstStart = mesh.upMillis();
    KafkaBroker broker = broker(mesh.kafkaPort);
    var records = new FaultRecords(false);
    try {
      records.declare(broker);
      // Sends ride out each outage: the idempotent producer retries until the broker is back.
      var producerConfig = new HashMap<>(broker.producerConfig());
      producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
      producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
      var killed = new AtomicBoolean();
      // 5,000 records a second, then (the last quarter) a trickle until the kill, so records are
      // streaming in when it comes.
      CompletableFuture<Void> producing =
          FaultLoad.start(
              records,
              producerConfig,
              RECORDS,
              new FaultLoad.Pace(CHUNK, 100),
              RECORDS * 3 / 4,
              new FaultLoad.Pace(50, 500),
              killed);
      try (var out = new FaultRecords.Outputs(broker, records)) {
        var watch = new OutputWatch(out, producing, () -> {});
        watch.until(n -> n >= RECORDS / 4);

        // The long run also stops and restarts it cleanly mid-stream, for the clean restart time;
        // the default run compares with the first start (bin/bench's recovery section compares
        // with a clean restart).
        long cleanRestart = firstStart;
        double cleanStall = Double.NaN;
        if (FaultSizes.LONG) {
          mesh.stop(Duration.ofMinutes(1));
          mesh = ChildLocalMesh.start(data, ports, jvm).awaitUp(UP);
          cleanRestart = mesh.upMillis();
          watch.grow(1);
          cleanStall = watch.takeWorstStall();
        }
        watch.until(n -> n >= RECORDS / 2);

        assertThat(producing).as("still producing when killed").isNotDone();
        mesh.kill();
        long killedAt = System.nanoTime();
        killed.set(true);
        mesh = ChildLocalMesh.start(data, ports, jvm).awaitUp(UP);
        long crashRestart = mesh.upMillis();
        double crashWall = (System.nanoTime() - killedAt) / 1e9;
        watch.grow(1);
        double crashStall = watch.takeWorstStall();

        producing.get(5, TimeUnit.MINUTES);
        out.assertExactlyOnce(records, RECORDS, Duration.ofMinutes(FaultSizes.pick(3, 6)));
        assertThat(out.reasons()).isEqualTo(records.expectedReasons(RECORDS));
        out.assertStatsMatch(broker, records, Duration.ofMinutes(1));
        String clean =
            FaultSizes.LONG
                ? String.format(
                    " restart after SIGTERM %.1f s (output stalled %.1f s),",
                    cleanRestart / 1e3, cleanStall)
                : "";
        System.out.printf(
            "local mesh crash: %,d records exactly once; time to healthy: first start %.1f s,%s"
                + " after SIGKILL %.1f s (%.1f s from the kill, output stalled %.1f s); test %.0f"
                + " s%n",
            RECORDS,
            firstStart / 1e3,
            clean,
            crashRestart / 1e3,
            crashWall,
            crashStall,
            (System.nanoTime() - begin) / 1e9);
        // Up within twice the clean restart (the first start in the default run); a few seconds'
        // slack for a busy machine's noise.
        assertThat(crashRestart)
            .as("time to healthy after SIGKILL against a clean start's %d ms", cleanRestart)
            .isLessThanOrEqualTo(2 * cleanRestart + 5_000);
      }
    } finally {
      mesh.stop(Duration.ofMinutes(1));
      mesh.close();
    }
  }

  private static KafkaBroker broker(int port) {
    return new KafkaBroker() {
      @Override
      public String bootstrapServers() {
        return "localhost:" + port;
      }

      @Override
      public String kind() {
        return "local mesh";
      }
    };
  }
}
