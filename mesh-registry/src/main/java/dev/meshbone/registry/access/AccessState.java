package dev.meshbone.registry.access;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.Subscription;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.runtime.access.MeshAccessState;
import dev.meshbone.runtime.access.MeshAccessState.SubscriptionKey;
import dev.meshbone.topics.MeshTopics;
import dev.meshbone.topics.Names;
import dev.meshbone.topics.ProductId;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciler's own copy of what decides access, folded from the compacted {@code mesh.products}
 * (each product's lifecycle status) and {@code mesh.subscriptions} (each subscription's state) read
 * from their beginning: small (a status per product, a state per subscription) and complete on
 * every registry instance, whichever partitions its Kafka Streams tasks hold. Not thread-safe: the
 * reconciler's thread owns it.
 */
final class AccessState {
  private static final Logger LOG = LoggerFactory.getLogger(AccessState.class);

  private final MeshTopics topics;
  private final Map<ProductId, LifecycleStatus> products = new HashMap<>();
  private final Map<SubscriptionKey, SubscriptionState> subscriptions = new HashMap<>();
  private final Set<String> otherDomains = new TreeSet<>();

  AccessState(MeshTopics topics) {
    this.topics = topics;
  }

  /**
   * Folds one record of {@code mesh.products} or {@code mesh.subscriptions} in.
   *
   * @return whether what decides access changed
   */
  boolean apply(ConsumerRecord<byte[], byte[]> record) {
    String topic = record.topic();
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    try {
      if (topic.equals(topics.products.name())) {
        return applyProduct(key, record.value());
      }
      if (topic.equals(topics.subscriptions.name())) {
        return applySubscription(key, record.value());
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "access reconciler: skipping an unreadable record at {}-{}@{}: {}",
          topic,
          record.partition(),
          record.offset(),
          e.toString());
    }
    return false;
  }

  private boolean applyProduct(String key, byte[] value) {
    if (key == null || !ProductId.isValid(key)) {
      return false;
    }
    ProductId id = ProductId.parse(key);
    if (value == null) {
      return products.remove(id) != null;
    }
    DataProductEvent event =
        topics.products.valueSerde().deserializer().deserialize(topics.products.name(), value);
    LifecycleStatus status = event.getStatus() == null ? LifecycleStatus.ACTIVE : event.getStatus();
    if (status == LifecycleStatus.UNKNOWN) {
      status = LifecycleStatus.ACTIVE;
    }
    return products.put(id, status) != status;
  }

  private boolean applySubscription(String key, byte[] value) {
    Subscription sub =
        value == null
            ? null
            : topics
                .subscriptions
                .valueSerde()
                .deserializer()
                .deserialize(topics.subscriptions.name(), value);
    String productId = null;
    String consumer = null;
    if (key != null) {
      int bar = key.lastIndexOf('|');
      if (bar > 0 && bar < key.length() - 1) {
        productId = key.substring(0, bar);
        consumer = key.substring(bar + 1);
      }
    }
    if ((productId == null || consumer == null) && sub != null) {
      productId = sub.getProductId();
      consumer = sub.getConsumerDomain();
    }
    if (!ProductId.isValid(productId) || !Names.isValidDomain(consumer)) {
      return false;
    }
    var k = new SubscriptionKey(ProductId.parse(productId), consumer);
    if (sub == null) {
      return subscriptions.remove(k) != null;
    }
    SubscriptionState state = sub.getState() == null ? SubscriptionState.UNKNOWN : sub.getState();
    return subscriptions.put(k, state) != state;
  }

  /** Adds domains known otherwise (configured, or with a control topic). */
  boolean knowDomains(Set<String> domains) {
    boolean changed = false;
    for (String d : domains) {
      if (Names.isValidDomain(d)) {
        changed |= otherDomains.add(d);
      }
    }
    return changed;
  }

  MeshAccessState snapshot() {
    return new MeshAccessState(products, subscriptions, otherDomains);
  }
}
