package dev.meshbone.runtime.access;

import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.topics.Names;
import dev.meshbone.topics.ProductId;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the mesh's state says about access: every product with its lifecycle status, every
 * subscription with its state, and domains known otherwise (configured, or with a control topic but
 * no product yet). The inputs of {@link AclTable#desired}.
 *
 * @param products product id to status, from {@code mesh.products}
 * @param subscriptions (product, consumer domain) to state, from {@code mesh.subscriptions}
 * @param otherDomains domains that get their own rows even without products or subscriptions
 */
public record MeshAccessState(
    Map<ProductId, LifecycleStatus> products,
    Map<SubscriptionKey, SubscriptionState> subscriptions,
    Set<String> otherDomains) {

  /** A subscription's identity: the product and the consumer domain. */
  public record SubscriptionKey(ProductId product, String consumer)
      implements Comparable<SubscriptionKey> {
    public SubscriptionKey {
      Objects.requireNonNull(product, "product");
      Names.requireDomain(consumer);
    }

    @Override
    public int compareTo(SubscriptionKey o) {
      int c = product.compareTo(o.product);
      return c != 0 ? c : consumer.compareTo(o.consumer);
    }
  }

  public MeshAccessState {
    products = Collections.unmodifiableMap(new TreeMap<>(products));
    subscriptions = Collections.unmodifiableMap(new TreeMap<>(subscriptions));
    otherDomains = Collections.unmodifiableSet(new TreeSet<>(otherDomains));
    otherDomains.forEach(Names::requireDomain);
  }

  public static MeshAccessState empty() {
    return new MeshAccessState(Map.of(), Map.of(), Set.of());
  }

  /**
   * Every domain the state knows: owners of products, consumers of subscriptions, and the other
   * domains; sorted.
   */
  public Set<String> domains() {
    var domains = new TreeSet<>(otherDomains);
    products.keySet().forEach(p -> domains.add(p.domain()));
    subscriptions.keySet().forEach(s -> domains.add(s.consumer()));
    return domains;
  }
}
