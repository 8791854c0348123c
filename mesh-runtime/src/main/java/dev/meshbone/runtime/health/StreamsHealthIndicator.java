package dev.meshbone.runtime.health;

import dev.meshbone.runtime.MeshStreams;
import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import org.apache.kafka.streams.KafkaStreams;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Reports the service's Kafka Streams state under {@code kafka-streams}: UP while RUNNING, and
 * while REBALANCING once it has been running (a routine rebalance heals by itself); DOWN while it
 * starts (until its first RUNNING, so "UP" means its stores answer) and after it stopped or failed.
 */
@Singleton
@Requires(beans = MeshStreams.class)
public class StreamsHealthIndicator implements HealthIndicator {
  private final MeshStreams mesh;

  public StreamsHealthIndicator(MeshStreams mesh) {
    this.mesh = mesh;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    KafkaStreams.State state = mesh.streams().state();
    HealthStatus status =
        switch (state) {
          case RUNNING -> HealthStatus.UP;
          case REBALANCING -> mesh.hasBeenRunning() ? HealthStatus.UP : HealthStatus.DOWN;
          default -> HealthStatus.DOWN;
        };
    if (status == HealthStatus.UP
        && mesh.hasBeenRunning()
        && mesh.companion().map(c -> !c.healthy()).orElse(false)) {
      // Started with the first RUNNING, and failing or stopped since.
      status = HealthStatus.DOWN;
    }
    var details = new LinkedHashMap<String, Object>();
    details.put("applicationId", mesh.applicationId());
    details.put("state", state.name());
    details.put(
        "threads",
        mesh.streams().metadataForLocalThreads().stream()
            .map(t -> t.threadName() + ":" + t.threadState())
            .toList());
    mesh.companion().ifPresent(c -> details.put("beside", c.describe()));
    return Mono.just(HealthResult.builder("kafka-streams", status).details(details).build());
  }
}
