package dev.meshbone.registry.products.issues;

import dev.meshbone.events.IssueDecision;
import dev.meshbone.registry.products.kafka.MeshClients;
import dev.meshbone.registry.products.kafka.TopicTail;
import dev.meshbone.topics.MeshTopics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Follows {@code mesh.issues} for the decisions this instance's API calls wait for, by request id.
 * A writer registers ({@link #expect}) before it sends, so a decision that comes back quickly is
 * not missed. Started on the first write; from then on it reads from the topic's end.
 */
@Singleton
public class IssueWatcher {
  private final MeshClients clients;
  private final MeshTopics topics;
  private final Map<String, CompletableFuture<IssueDecision>> waiting = new ConcurrentHashMap<>();
  private volatile TopicTail tail;

  public IssueWatcher(MeshClients clients, MeshTopics topics) {
    this.clients = clients;
    this.topics = topics;
  }

  /** Starts following the decisions if it has not yet; returns once it is at their end. */
  public synchronized void start() {
    if (tail == null) {
      tail = clients.tail("registry-issues", List.of(topics.issues.name()), this::onRecord);
    }
  }

  private void onRecord(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null || waiting.isEmpty()) {
      return;
    }
    IssueDecision d =
        topics.issues.valueSerde().deserializer().deserialize(record.topic(), record.value());
    CompletableFuture<IssueDecision> f = waiting.remove(d.getRequestId());
    if (f != null) {
      f.complete(d);
    }
  }

  /** Registers interest in the decision on a request; call before sending it. */
  public CompletableFuture<IssueDecision> expect(String requestId) {
    start();
    var future = new CompletableFuture<IssueDecision>();
    waiting.put(requestId, future);
    return future;
  }

  /** Stops waiting for a request (its writer gave up or got its answer). */
  public void forget(String requestId) {
    waiting.remove(requestId);
  }

  @PreDestroy
  void close() {
    if (tail != null) {
      tail.close();
    }
  }
}
