package dev.meshbone.faults;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The fault records streamed into the ingest topic in the background, so that a fault meets records
 * on their way: chunks at a steady pace, then from {@code trickleFrom} on only a trickle until the
 * test says its faults are done, so some records are still arriving at the last fault; after that
 * the rest at full speed.
 */
final class FaultLoad {
  /** {@code chunk} records, then a pause of {@code pauseMillis}. */
  record Pace(int chunk, long pauseMillis) {}

  private FaultLoad() {}

  /** Sends records {@code [0, total)}; the future fails if a send does. */
  static CompletableFuture<Void> start(
      FaultRecords records,
      Map<String, Object> producerConfig,
      int total,
      Pace steady,
      int trickleFrom,
      Pace trickle,
      AtomicBoolean faultsDone) {
    return CompletableFuture.runAsync(
        () -> {
          try (var producer = new KafkaProducer<byte[], byte[]>(producerConfig)) {
            records.awaitLeaders(producer);
            int from = 0;
            while (from < total) {
              boolean faulting = !faultsDone.get();
              Pace pace = faulting && from >= trickleFrom ? trickle : steady;
              int to = Math.min(total, from + pace.chunk());
              records.produce(producer, from, to);
              from = to;
              if (faulting) {
                pause(pace.pauseMillis());
              }
            }
          }
        });
  }

  /** Sleeps; an interrupt ends the sleep and stays set. */
  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
