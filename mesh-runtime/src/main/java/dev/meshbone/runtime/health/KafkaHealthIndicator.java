package dev.meshbone.runtime.health;

import dev.meshbone.runtime.KafkaSettings;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reports the broker connection under {@code kafka}: UP with the cluster id and broker count when
 * the cluster answers a describe-cluster within three seconds, DOWN with the reason otherwise.
 */
@Singleton
public class KafkaHealthIndicator implements HealthIndicator {
  private static final long TIMEOUT_MS = 3000;

  private final KafkaSettings kafka;
  private volatile Admin admin;

  public KafkaHealthIndicator(KafkaSettings kafka) {
    this.kafka = kafka;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    return Mono.fromCallable(this::check).subscribeOn(Schedulers.boundedElastic());
  }

  private HealthResult check() {
    var details = new LinkedHashMap<String, Object>();
    details.put("bootstrapServers", kafka.bootstrapServers());
    try {
      var cluster =
          admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT_MS));
      details.put("clusterId", cluster.clusterId().get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
      details.put("brokers", cluster.nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).size());
      return HealthResult.builder("kafka", HealthStatus.UP).details(details).build();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      details.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
      return HealthResult.builder("kafka", HealthStatus.DOWN).details(details).build();
    }
  }

  private Admin admin() {
    Admin current = admin;
    if (current == null) {
      synchronized (this) {
        if (admin == null) {
          var config = new HashMap<>(kafka.admin());
          config.putIfAbsent(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
          config.put(
              AdminClientConfig.CLIENT_ID_CONFIG,
              "meshbone-health-" + System.identityHashCode(this));
          admin = Admin.create(config);
        }
        current = admin;
      }
    }
    return current;
  }

  @PreDestroy
  void close() {
    if (admin != null) {
      admin.close();
    }
  }
}
