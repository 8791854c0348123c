package dev.meshbone.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshbone.local.LocalKafka;
import dev.meshbone.testkit.KafkaBroker;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away under load and comes back on the same ports with the same data: the three
 * services reconnect by themselves (nobody restarts them), a producer that retries through the
 * outage has every record it sent in the product topic or the DLQ exactly once, and the registry's
 * HTTP reads answer all along, with the data or a 503 JSON error, never a hang.
 */
class BrokerRestartFaultIT {
  private static final int RECORDS = FaultSizes.pick(30_000, 150_000);
  private static final int RESTARTS = FaultSizes.pick(1, 3);
  private static final int CHUNK = 500;

  /** The broker as the services and test clients see it: its fixed address. */
  private record Address(String bootstrapServers) implements KafkaBroker {
    @Override
    public String kind() {
      return "local";
    }
  }

  @Test
  void shouldReconnectAndLoseNothingWhenTheBrokerRestarts() throws Exception {
    Path data = Files.createTempDirectory("faults-broker");
    int port = freePort();
    int controllerPort = freePort();
    LocalKafka kafka = LocalKafka.start(data, port, controllerPort);
    var broker = new Address(kafka.bootstrapServers());
    FaultMesh mesh = null;
    try {
      mesh =
          new FaultMesh(
              broker, Map.of("meshbone.validator.max-record-bytes", FaultRecords.MAX_RECORD_BYTES));
      var records = new FaultRecords(false);
      records.declare(broker);
      var http = new Http(mesh.registryUrl());
      String productPath = "/products/" + records.product;
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> http.get(productPath, Map.of()).status() == 200);

      List<Exception> sendErrors = new CopyOnWriteArrayList<>();
      var config = new HashMap<>(broker.producerConfig());
      // Retry through the outage: a send fails only after five minutes without the broker.
      config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
      config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
      config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
      CompletableFuture<Void> producing =
          CompletableFuture.runAsync(
              () -> {
                try (var producer = new KafkaProducer<byte[], byte[]>(config)) {
                  records.awaitLeaders(producer);
                  for (int from = 0; from < RECORDS; from += CHUNK) {
                    try {
                      records.produce(producer, from, Math.min(RECORDS, from + CHUNK));
                    } catch (IllegalStateException e) {
                      sendErrors.add(e);
                    }
                    FaultLoad.pause(100);
                  }
                }
              });

      var out = new FaultRecords.Outputs(broker, records);
      try {
        for (int restart = 1; restart <= RESTARTS; restart++) {
          // Under load: part of the stream is through.
          int before = RECORDS * restart / (RESTARTS + 2);
          await().atMost(Duration.ofMinutes(2)).until(() -> out.poll() >= before);

          kafka.close();
          // While it is down, registry reads answer at once: the data, or 503 with a JSON error.
          long downUntil = System.nanoTime() + Duration.ofSeconds(8).toNanos();
          while (System.nanoTime() < downUntil) {
            http.get(productPath, Map.of()).assertReadAnswered();
            FaultLoad.pause(500);
          }
          kafka = LocalKafka.start(data, port, controllerPort);

          for (ApplicationContext context : mesh.all()) {
            await()
                .atMost(Duration.ofMinutes(2))
                .until(() -> FaultMesh.state(context) == KafkaStreams.State.RUNNING);
          }
          await()
              .atMost(Duration.ofMinutes(1))
              .until(() -> http.get(productPath, Map.of()).status() == 200);
        }
        producing.get(5, TimeUnit.MINUTES);
        assertThat(sendErrors).as("sends the broker never took").isEmpty();
        out.assertExactlyOnce(records, RECORDS, Duration.ofMinutes(FaultSizes.pick(3, 10)));
        assertThat(out.reasons()).isEqualTo(records.expectedReasons(RECORDS));
        out.assertStatsMatch(broker, records, Duration.ofMinutes(1));
      } finally {
        out.close();
      }
      JsonNode product = http.get(productPath, Map.of()).json();
      assertThat(product.path("lifecycle").path("status").asText()).isEqualTo("ACTIVE");
    } finally {
      if (mesh != null) {
        mesh.close();
      }
      kafka.close();
      LocalKafka.wipe(data);
    }
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
