package dev.meshbone.validator.records;

import static dev.meshbone.validator.records.MixedRecords.seq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meshbone.testkit.KafkaBroker;
import dev.meshbone.testkit.WithKafka;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.TopicBootstrapper;
import dev.meshbone.validator.ValidatorApp;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A deployment that ran the record path in Kafka Streams moves to the record loop: the loop starts
 * where the Streams path left each ingest partition, so no record is routed twice.
 */
@WithKafka
class RecordPathSwitchIT {
  private static final int N = 1_000;

  @Test
  void shouldRouteNoRecordTwiceWhenMovingFromTheStreamsPathToTheLoop(KafkaBroker broker)
      throws Exception {
    try (var admin = broker.admin()) {
      new TopicBootstrapper(admin, (short) 1, Duration.ofSeconds(30))
          .ensure(MeshTopics.defaults().all());
    }
    String appId = KafkaBroker.unique("switch-it");
    Path state = Files.createTempDirectory("switch-it");
    var records = new MixedRecords();
    MixedRecords.Outputs out = null;
    try {
      try (ApplicationContext streams = start(broker, appId, state, "streams")) {
        records.declare(broker);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
                  try (var admin = broker.admin()) {
                    return admin
                        .listTopics()
                        .names()
                        .get()
                        .containsAll(List.of(records.ingest(), records.validated(), records.dlq()));
                  }
                });
        out = new MixedRecords.Outputs(broker, records);
        records.produce(broker, 0, N);
        var first = out;
        await().atMost(Duration.ofMinutes(2)).until(() -> first.poll() >= N);
      }
      var all = out;
      try (ApplicationContext loop = start(broker, appId, state, "loop")) {
        records.produce(broker, N, 2 * N);
        await().atMost(Duration.ofMinutes(2)).until(() -> all.poll() >= 2 * N);
        await()
            .during(Duration.ofSeconds(3))
            .atMost(Duration.ofSeconds(15))
            .until(() -> all.poll() == 2 * N);
      }
      Set<Integer> seen = new HashSet<>();
      out.validated.forEach(r -> seen.add(seq(r)));
      out.dlq.forEach(r -> seen.add(seq(r)));
      assertThat(seen).hasSize(2 * N);
      assertThat(out.validated.size() + out.dlq.size()).isEqualTo(2 * N);
    } finally {
      if (out != null) {
        out.close();
      }
      try (var admin = broker.admin()) {
        admin
            .deleteTopics(List.of(records.ingest(), records.validated(), records.dlq()))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static ApplicationContext start(
      KafkaBroker broker, String appId, Path state, String path) {
    Map<String, Object> props = new HashMap<>();
    broker.clientConfig().forEach((k, v) -> props.put("kafka." + k, v));
    props.put("micronaut.server.port", -1);
    props.put("kafka.streams.consumer.metadata.max.age.ms", 1000);
    props.put("meshbone.security.enabled", false);
    props.put("kafka.streams.application.id", appId);
    props.put("meshbone.state-dir", state.toString());
    props.put("meshbone.validator.max-record-bytes", MixedRecords.MAX_RECORD_BYTES);
    props.put("meshbone.validator.provision-interval", "500ms");
    props.put("meshbone.validator.record-path", path);
    return ValidatorApp.start(props);
  }
}
