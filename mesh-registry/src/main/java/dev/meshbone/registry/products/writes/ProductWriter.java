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
   */
  public Outcome publish(DataProductEvent event) {
    String domain = event.getDomain();
    clients.ensureControlTopics(domain);
    var verdict = watcher.expect(event.getEventId());
    try {
      String topic = DomainTopics.productEvents(domain);
      RecordMetadata sent =
          clients.send(DomainTopics.productEventsSpec(domain), topic, event.getProductId(), event);
      watcher.located(event.getEventId(), verdict, sent.topic(), sent.partition(), sent.offset());
      try {
        return new Outcome(
            verdict.get(settings.writeTimeout().toMillis(), TimeUnit.MILLISECONDS), sent);
      } catch (TimeoutException e) {
        return new Outcome(null, sent);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Outcome(null, sent);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    } finally {
      watcher.forget(event.getEventId());
    }
  }

  /**
   * {@link #publish} for many events at once: all are sent (pipelined on the one producer), then
   * their verdicts are awaited together, so N events cost about one verdict's wait. One outcome per
   * event, in order; an event that could not be sent has {@link Outcome#failed} and costs the
   * others nothing.
   */
  public List<Outcome> publishAll(List<DataProductEvent> events) {
    List<CompletableFuture<VerdictWatcher.Verdict>> verdicts = new ArrayList<>();
    List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>();
    Outcome[] out = new Outcome[events.size()];
    try {
      for (DataProductEvent event : events) {
        clients.ensureControlTopics(event.getDomain());
        verdicts.add(watcher.expect(event.getEventId()));
        sends.add(
            clients.sendAsync(
                DomainTopics.productEventsSpec(event.getDomain()),
                DomainTopics.productEvents(event.getDomain()),
                event.getProductId(),
                event));
      }
      RecordMetadata[] sent = new RecordMetadata[events.size()];
      for (int i = 0; i < events.size(); i++) {
        try {
          sent[i] = sends.get(i).join();
          watcher.located(
              events.get(i).getEventId(),
              verdicts.get(i),
              sent[i].topic(),
              sent[i].partition(),
              sent[i].offset());
        } catch (CompletionException e) {
          out[i] =
              new Outcome(
                  null,
                  null,
                  e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e));
        }
      }
      long deadline = System.nanoTime() + settings.writeTimeout().toNanos();
      for (int i = 0; i < events.size(); i++) {
        if (out[i] != null) {
          continue;
        }
        try {
          out[i] =
              new Outcome(
                  verdicts
                      .get(i)
                      .get(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS),
                  sent[i]);
        } catch (TimeoutException e) {
          out[i] = new Outcome(null, sent[i]);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          out[i] = new Outcome(null, sent[i]);
        } catch (ExecutionException e) {
          out[i] = new Outcome(null, sent[i], new IllegalStateException(e.getCause()));
        }
      }
      return List.of(out);
    } finally {
      events.forEach(e -> watcher.forget(e.getEventId()));
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
