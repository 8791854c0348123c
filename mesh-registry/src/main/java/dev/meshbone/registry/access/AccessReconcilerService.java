package dev.meshbone.registry.access;

import dev.meshbone.registry.RegistryApp;
import dev.meshbone.runtime.KafkaSettings;
import dev.meshbone.runtime.MeshStreams;
import dev.meshbone.runtime.access.PrincipalMapping;
import dev.meshbone.topics.MeshTopics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the {@link AccessReconciler} inside mesh-registry when {@code meshbone.access.enabled=true},
 * with the registry's own Kafka settings (its principal needs ALTER and DESCRIBE on the cluster).
 */
@Singleton
@Requires(env = RegistryApp.ENVIRONMENT)
@Requires(property = "meshbone.access.enabled", value = "true")
public class AccessReconcilerService {
  private final AccessReconciler reconciler;

  public AccessReconcilerService(
      AccessSettings settings,
      KafkaSettings kafka,
      MeshTopics topics,
      MeshStreams streams,
      Optional<MeterRegistry> meters) {
    Map<String, Object> admin = new HashMap<>(kafka.admin());
    admin.putIfAbsent("bootstrap.servers", kafka.bootstrapServers());
    Map<String, Object> consumer = new HashMap<>(kafka.consumer());
    consumer.putIfAbsent("bootstrap.servers", kafka.bootstrapServers());
    this.reconciler =
        new AccessReconciler(
            new AccessReconciler.Config(
                admin,
                consumer,
                topics,
                PrincipalMapping.of(settings.principal()),
                new LinkedHashSet<>(settings.domains()),
                settings.interval(),
                streams.applicationId() + "-access-reconciler",
                settings.lockSessionTimeout()),
            meters);
  }

  @EventListener
  void onStartup(StartupEvent event) {
    reconciler.start();
  }

  /** The running reconciler (for health and tests). */
  public AccessReconciler reconciler() {
    return reconciler;
  }

  @PreDestroy
  void close() {
    reconciler.close();
  }
}
