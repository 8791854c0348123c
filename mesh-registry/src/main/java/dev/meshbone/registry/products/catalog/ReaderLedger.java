package dev.meshbone.registry.products.catalog;

import dev.meshbone.events.Notification;
import dev.meshbone.events.ObservedGroup;
import dev.meshbone.events.ReaderObservation;
import dev.meshbone.events.ReaderPartition;
import dev.meshbone.events.ReaderStanding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A product's observed readers ({@code mesh.readers.observed}), kept in the catalog task beside the
 * product and its subscriptions, and decided in stream order: each group's standing against the
 * subscriptions as they then are, when each committed offset was first seen (the Admin API gives
 * committed offsets no time), and whether the owner was already told of a group that reads without
 * an APPROVED subscription. All of it lives in {@value CatalogStores#READERS_STORE}, so a restart
 * neither forgets a commit time nor tells the owner of a group twice.
 */
public final class ReaderLedger {
  /** The prefix of the platform services' default application ids, and so of their groups. */
  public static final String PLATFORM_PREFIX = "meshbone-";

  private final KeyValueStore<String, ReaderObservation> store;

  public ReaderLedger(KeyValueStore<String, ReaderObservation> store) {
    this.store = store;
  }

  /**
   * Takes in a new observation of the product's readers and answers the notifications it causes:
   * one to the owner for each group newly seen reading without a subscription.
   */
  public List<Notification> observe(
      String productId, String owner, ReaderObservation now, Set<String> approved, long timestamp) {
    if (now == null) {
      store.delete(productId);
      return List.of();
    }
    ReaderObservation merged = merge(store.get(productId), now, owner, approved);
    Set<String> notified = new LinkedHashSet<>(merged.getNotifiedGroups());
    List<Notification> out = new ArrayList<>();
    for (ObservedGroup g : merged.getGroups()) {
      if (g.getStanding() == ReaderStanding.UNSUBSCRIBED && notified.add(g.getGroupId())) {
        out.add(
            Notices.unsubscribedReader(owner, productId, g.getGroupId(), g.getDomain(), timestamp));
      }
    }
    store.put(
        productId,
        ReaderObservation.newBuilder(merged).setNotifiedGroups(new ArrayList<>(notified)).build());
    return out;
  }

  /**
   * The new observation with each group's standing decided, and each partition's commit time
   * carried over from the previous observation while its committed offset is unchanged, else set to
   * this observation's time.
   */
  static ReaderObservation merge(
      ReaderObservation before, ReaderObservation now, String owner, Set<String> approved) {
    Map<String, Instant> seen = new HashMap<>();
    List<String> notified = new ArrayList<>(now.getNotifiedGroups());
    if (before != null) {
      for (ObservedGroup g : before.getGroups()) {
        for (ReaderPartition p : g.getPartitions()) {
          if (p.getLastCommitAt() != null) {
            seen.put(
                key(g.getGroupId(), p.getPartition(), p.getCommittedOffset()), p.getLastCommitAt());
          }
        }
      }
      for (String n : before.getNotifiedGroups()) {
        if (!notified.contains(n)) {
          notified.add(n);
        }
      }
    }
    List<ObservedGroup> groups = new ArrayList<>();
    for (ObservedGroup g : now.getGroups()) {
      List<ReaderPartition> partitions = new ArrayList<>();
      for (ReaderPartition p : g.getPartitions()) {
        Instant at = seen.get(key(g.getGroupId(), p.getPartition(), p.getCommittedOffset()));
        partitions.add(
            ReaderPartition.newBuilder(p)
                .setLastCommitAt(at != null ? at : now.getObservedAt())
                .build());
      }
      String domain = domainOf(g.getGroupId());
      groups.add(
          ObservedGroup.newBuilder(g)
              .setDomain(domain)
              .setStanding(standing(g.getGroupId(), domain, owner, approved))
              .setPartitions(partitions)
              .build());
    }
    return ReaderObservation.newBuilder(now).setGroups(groups).setNotifiedGroups(notified).build();
  }

  /** The domain a group's prefix names: the text before its first dot, if it has one. */
  public static String domainOf(String groupId) {
    int dot = groupId.indexOf('.');
    return dot > 0 ? groupId.substring(0, dot) : null;
  }

  /**
   * How a group stands to a product: its owner's, an APPROVED subscriber's (by the prefix {@code
   * <domain>.}), a platform service's ({@value #PLATFORM_PREFIX}), or none of these.
   */
  public static ReaderStanding standing(
      String groupId, String domain, String owner, Set<String> approved) {
    if (domain != null && domain.equals(owner)) {
      return ReaderStanding.OWNER;
    }
    if (domain != null && approved.contains(domain)) {
      return ReaderStanding.SUBSCRIBED;
    }
    if (groupId.startsWith(PLATFORM_PREFIX)) {
      return ReaderStanding.PLATFORM;
    }
    return ReaderStanding.UNSUBSCRIBED;
  }

  private static String key(String group, int partition, long offset) {
    return group + "\u0000" + partition + "\u0000" + offset;
  }
}
