package dev.meshbone.registry.products.writes;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.registry.products.RegistrySettings;
import dev.meshbone.registry.products.kafka.MeshClients;
import dev.meshbone.topics.DomainTopics;
import jakarta.inject.Singleton;
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
  public record Outcome(VerdictWatcher.Verdict verdict, RecordMetadata sent) {
    public boolean pending() {
      return verdict == null;
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
