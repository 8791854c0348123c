package dev.meshbone.registry.products.notifications;

import dev.meshbone.events.Notification;
import dev.meshbone.registry.products.kafka.MeshClients;
import dev.meshbone.registry.products.kafka.TopicTail;
import dev.meshbone.topics.MeshTopics;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Live notifications for the server-sent-event streams of this instance: it follows {@code
 * mesh.notifications} (every partition, from now on) and hands each notification to the streams
 * open for its recipient domain. A stream that cannot keep up loses notifications rather than
 * slowing the others; it can read them back from {@code GET /domains/{domain}/notifications}.
 */
@Singleton
public class NotificationHub implements ApplicationEventListener<ServerStartupEvent> {
  private static final int BUFFER = 256;

  private final MeshClients clients;
  private final MeshTopics topics;
  private final Map<String, Sinks.Many<Notification>> byDomain = new ConcurrentHashMap<>();
  private volatile TopicTail tail;

  public NotificationHub(MeshClients clients, MeshTopics topics) {
    this.clients = clients;
    this.topics = topics;
  }

  @Override
  public void onApplicationEvent(ServerStartupEvent event) {
    start();
  }

  /** Starts following the topic if it has not yet; returns once it is at its end. */
  public synchronized void start() {
    if (tail == null) {
      tail =
          clients.tail(
              "registry-notifications", List.of(topics.notifications.name()), this::onRecord);
    }
  }

  private void onRecord(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return;
    }
    Notification n =
        topics
            .notifications
            .valueSerde()
            .deserializer()
            .deserialize(record.topic(), record.value());
    Sinks.Many<Notification> sink = byDomain.get(n.getRecipientDomain());
    if (sink != null) {
      sink.tryEmitNext(n);
    }
  }

  /** The notifications to this domain from now on, for as long as the subscriber stays. */
  public Flux<Notification> live(String domain) {
    start();
    return byDomain
        .computeIfAbsent(domain, d -> Sinks.many().multicast().<Notification>directBestEffort())
        .asFlux()
        .onBackpressureBuffer(BUFFER, dropped -> {}, BufferOverflowStrategy.DROP_OLDEST);
  }

  @PreDestroy
  void close() {
    if (tail != null) {
      tail.close();
    }
    byDomain.values().forEach(Sinks.Many::tryEmitComplete);
  }
}
