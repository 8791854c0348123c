package dev.meshbone.registry.products.catalog;

import dev.meshbone.events.Subscription;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.serde.MeshEventSerde;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;

/**
 * Every subscription to one product, by consumer domain in name order: the value of {@link
 * CatalogStores#SUBSCRIPTIONS_STORE}. Immutable.
 */
public final class ProductSubscriptions {
  private static final MeshEventSerde<Subscription> SUBSCRIPTION =
      MeshEventSerde.of(Subscription.class);

  public static final ProductSubscriptions EMPTY = new ProductSubscriptions(new TreeMap<>());

  private final TreeMap<String, Subscription> byConsumer;

  private ProductSubscriptions(TreeMap<String, Subscription> byConsumer) {
    this.byConsumer = byConsumer;
  }

  public Subscription get(String consumerDomain) {
    return byConsumer.get(consumerDomain);
  }

  /** This set with the consumer's subscription replaced, or removed when {@code sub} is null. */
  public ProductSubscriptions with(String consumerDomain, Subscription sub) {
    var copy = new TreeMap<>(byConsumer);
    if (sub == null) {
      copy.remove(consumerDomain);
    } else {
      copy.put(consumerDomain, sub);
    }
    return new ProductSubscriptions(copy);
  }

  public Collection<Subscription> all() {
    return Collections.unmodifiableCollection(byConsumer.values());
  }

  /** The consumer domains whose subscription is APPROVED, in name order: who gets told. */
  public List<String> approvedConsumers() {
    return byConsumer.entrySet().stream()
        .filter(e -> e.getValue().getState() == SubscriptionState.APPROVED)
        .map(Map.Entry::getKey)
        .toList();
  }

  public long count(SubscriptionState state) {
    return byConsumer.values().stream().filter(s -> s.getState() == state).count();
  }

  public boolean isEmpty() {
    return byConsumer.isEmpty();
  }

  public static final Serde<ProductSubscriptions> SERDE =
      Codecs.serde(
          "product subscriptions",
          new Codecs.Codec<>() {
            @Override
            public void write(DataOutputStream out, ProductSubscriptions value) throws IOException {
              out.writeInt(value.byConsumer.size());
              for (var e : value.byConsumer.entrySet()) {
                out.writeUTF(e.getKey());
                Codecs.writeRecord(out, SUBSCRIPTION, e.getValue());
              }
            }

            @Override
            public ProductSubscriptions read(DataInputStream in) throws IOException {
              int n = in.readInt();
              if (n < 0 || n > 1_000_000) {
                throw new IOException("implausible subscription count " + n);
              }
              var map = new TreeMap<String, Subscription>();
              for (int i = 0; i < n; i++) {
                String consumer = in.readUTF();
                Subscription sub = Codecs.readRecord(in, SUBSCRIPTION);
                if (sub != null) {
                  map.put(consumer, sub);
                }
              }
              return new ProductSubscriptions(map);
            }
          });
}
