package dev.meshbone.registry.products.writes;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.registry.products.RegistrySettings;
import dev.meshbone.registry.products.kafka.MeshClients;
import dev.meshbone.topics.DomainTopics;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes what a domain writes through the API onto its own control topics, exactly as a domain
 * that speaks Kafka would, so contract-validator checks both the same way.
 */
@Singleton
public class ProductWriter {
  /** Where a product event stands when the writer stops waiting. */
  public record Outcome(
      VerdictWatcher.Verdict verdict, RecordMetadata sent, RuntimeException failed) {
    public Outcome(VerdictWatcher.Verdict verdict, RecordMetadata sent) {
      this(verdict, sent, null);
    }

    /** No verdict yet (the event was sent; ask later). */
    public boolean pending() {
      return verdict == null && failed == null;
    }
  }

  private final MeshClients clients;
  private final VerdictWatcher watcher;
  private final RegistrySettings settings;

  public ProductWriter(MeshClients clients, VerdictWatcher watcher, RegistrySettings settings) {
    this.clients = clients;
    this.watcher = watcher;
    this.settings = settings;
  }

  /**
   * Publishes a product event on its domain's product-events topic (creating the topic on the
   * domain's first write) and waits, up to {@code meshbone.registry.write-timeout}, for the
   * validator's verdict.
   *
   * @throws dev.meshbone.runtime.http.ApiException 503 when Kafka does not acknowledge the event
   *     within {@code meshbone.registry.send-timeout}
   */
  public Outcome publish(DataProductEvent event) {
    Outcome outcome = publishAll(List.of(event)).get(0);
    if (outcome.failed() != null) {
      throw outcome.failed();
    }
    return outcome;
  }

  /**
   * {@link #publish} for many events at once: all are sent (pipelined on the one producer), then
   * their verdicts are awaited together, so N events cost about one verdict's wait. One outcome per
   * event, in order; an event that could not be sent has {@link Outcome#failed} and costs the
   * others nothing.
   */
  public List<Outcome> publishAll(List<DataProductEvent> events) {
    List<Pending> pending = new ArrayList<>();
    try {
      for (DataProductEvent event : events) {
        pending.add(send(event));
      }
      pending.forEach(Pending::locate);
      long deadline = System.nanoTime() + settings.writeTimeout().toNanos();
      return pending.stream().map(p -> p.await(deadline)).toList();
    } finally {
      events.forEach(e -> watcher.forget(e.getEventId()));
    }
  }

  /** Says what verdict to wait for, then sends: a verdict that comes first is not missed. */
  private Pending send(DataProductEvent event) {
    String domain = event.getDomain();
    clients.ensureControlTopics(domain);
    var verdict = watcher.expect(event.getEventId());
    var sending =
        clients.sendAsync(
            DomainTopics.productEventsSpec(domain),
            DomainTopics.productEvents(domain),
            event.getProductId(),
            event);
    return new Pending(event, verdict, sending);
  }

  /** One event on its way: sent, then located, then decided (or not in time). */
  private final class Pending {
    private final DataProductEvent event;
    private final CompletableFuture<VerdictWatcher.Verdict> verdict;
    private final CompletableFuture<RecordMetadata> sending;
    private RecordMetadata sent;
    private RuntimeException failed;

    Pending(
        DataProductEvent event,
        CompletableFuture<VerdictWatcher.Verdict> verdict,
        CompletableFuture<RecordMetadata> sending) {
      this.event = event;
      this.verdict = verdict;
      this.sending = sending;
    }

    /** Waits for Kafka's acknowledgement and tells the watcher where the event landed. */
    void locate() {
      try {
        sent = sending.join();
        watcher.located(event.getEventId(), verdict, sent.topic(), sent.partition(), sent.offset());
      } catch (CompletionException e) {
        failed = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
    }

    /** The verdict, if it comes by {@code deadline} (a {@link System#nanoTime} instant). */
    Outcome await(long deadline) {
      if (failed != null) {
        return new Outcome(null, null, failed);
      }
      try {
        return new Outcome(
            verdict.get(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS), sent);
      } catch (TimeoutException e) {
        return new Outcome(null, sent);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Outcome(null, sent);
      } catch (ExecutionException e) {
        return new Outcome(null, sent, new IllegalStateException(e.getCause()));
      }
    }
  }

  /** Publishes a quality result on its domain's quality-events topic. */
  public RecordMetadata publish(QualityEvent event) {
    String domain = event.getDomain();
    clients.ensureControlTopics(domain);
    return clients.send(
        DomainTopics.qualityEventsSpec(domain),
        DomainTopics.qualityEvents(domain),
        event.getProductId(),
        event);
  }
}
