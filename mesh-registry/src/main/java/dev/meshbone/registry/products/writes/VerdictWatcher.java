package dev.meshbone.registry.products.writes;

import dev.meshbone.events.ContractViolation;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.registry.products.kafka.MeshClients;
import dev.meshbone.registry.products.kafka.TopicTail;
import dev.meshbone.topics.MeshTopics;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Watches contract-validator's verdicts on product events: an accepted event shows up on {@code
 * mesh.products} with its event id; a refused one shows up on {@code mesh.violations}, which names
 * the topic, partition and offset of the refused record (not its event id). A writer says what it
 * waits for before it sends ({@link #expect}), then where its record landed ({@link #located}); a
 * verdict that arrives in between is kept for a while, so none is missed.
 */
@Singleton
public class VerdictWatcher implements ApplicationEventListener<ServerStartupEvent> {
  private static final int RECENT = 10_000;

  /** What became of a product event. */
  public record Verdict(DataProductEvent accepted, ContractViolation refused) {
    public boolean isAccepted() {
      return accepted != null;
    }
  }

  private final MeshClients clients;
  private final MeshTopics topics;
  private final Map<String, CompletableFuture<Verdict>> waiting = new ConcurrentHashMap<>();
  private final Map<String, Verdict> recent = lru();
  private final Map<String, String> offsets = lru();
  private volatile TopicTail tail;

  public VerdictWatcher(MeshClients clients, MeshTopics topics) {
    this.clients = clients;
    this.topics = topics;
  }

  private static <K, V> Map<K, V> lru() {
    return Collections.synchronizedMap(
        new LinkedHashMap<>(1024, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > RECENT;
          }
        });
  }

  @Override
  public void onApplicationEvent(ServerStartupEvent event) {
    start();
  }

  /** Starts following the verdict topics if it has not yet; returns once it is at their end. */
  public synchronized void start() {
    if (tail == null) {
      tail =
          clients.tail(
              "registry-verdicts",
              List.of(topics.products.name(), topics.violations.name()),
              this::onRecord);
    }
  }

  private void onRecord(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return;
    }
    if (record.topic().equals(topics.products.name())) {
      DataProductEvent e =
          topics.products.valueSerde().deserializer().deserialize(record.topic(), record.value());
      settle(eventKey(e.getEventId()), new Verdict(e, null));
    } else {
      ContractViolation v =
          topics.violations.valueSerde().deserializer().deserialize(record.topic(), record.value());
      settle(
          offsetKey(v.getSourceTopic(), v.getSourcePartition(), v.getSourceOffset()),
          new Verdict(null, v));
    }
  }

  private void settle(String key, Verdict verdict) {
    recent.put(key, verdict);
    CompletableFuture<Verdict> f = waiting.remove(key);
    if (f != null) {
      f.complete(verdict);
    }
  }

  /** Registers interest in an event's verdict; call before sending it. */
  public CompletableFuture<Verdict> expect(String eventId) {
    start();
    var future = new CompletableFuture<Verdict>();
    String key = eventKey(eventId);
    waiting.put(key, future);
    Verdict early = recent.get(key);
    if (early != null) {
      waiting.remove(key);
      future.complete(early);
    }
    return future;
  }

  /** Says where the event landed, so a refusal (which names the offset) settles the same wait. */
  public void located(
      String eventId, CompletableFuture<Verdict> future, String topic, int partition, long offset) {
    String key = offsetKey(topic, partition, offset);
    offsets.put(eventId, key);
    waiting.put(key, future);
    Verdict early = recent.get(key);
    if (early != null) {
      waiting.remove(key);
      future.complete(early);
    }
  }

  /** Stops waiting for an event (its writer gave up or got its answer). */
  public void forget(String eventId) {
    waiting.remove(eventKey(eventId));
    String offset = offsets.get(eventId);
    if (offset != null) {
      waiting.remove(offset);
    }
  }

  /** The verdict on an event this instance has seen lately, if any. */
  public Optional<Verdict> recent(String eventId) {
    Verdict accepted = recent.get(eventKey(eventId));
    if (accepted != null) {
      return Optional.of(accepted);
    }
    String offset = offsets.get(eventId);
    return offset == null ? Optional.empty() : Optional.ofNullable(recent.get(offset));
  }

  private static String eventKey(String eventId) {
    return "event:" + eventId;
  }

  private static String offsetKey(String topic, int partition, long offset) {
    return "offset:" + topic + "/" + partition + "/" + offset;
  }

  @PreDestroy
  void close() {
    if (tail != null) {
      tail.close();
    }
  }
}
