package dev.meshbone.registry.products.readers;

import dev.meshbone.events.ObservedGroup;
import dev.meshbone.events.ReaderObservation;
import dev.meshbone.events.ReaderPartition;
import dev.meshbone.registry.products.catalog.ReaderLedger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Turns what the Admin API says (every consumer group's committed offsets, every partition's end
 * offset) into one {@link ReaderObservation} per product. Pure, so it is tested without a broker.
 */
public final class ReaderScan {
  private ReaderScan() {}

  /**
   * A product to observe: its validated topic, its owner's domain and the domains with an APPROVED
   * subscription to it.
   */
  public record Target(String productId, String topic, String owner, Set<String> approved) {}

  /** The observations, by product id, in the order of {@code targets}. */
  public static Map<String, ReaderObservation> observe(
      List<Target> targets,
      Map<String, Map<TopicPartition, Long>> committed,
      Map<TopicPartition, Long> endOffsets,
      Instant now) {
    Map<String, ReaderObservation> out = new LinkedHashMap<>();
    for (Target t : targets) {
      List<ObservedGroup> groups = new ArrayList<>();
      for (var g : new TreeMap<>(committed).entrySet()) {
        List<ReaderPartition> partitions = new ArrayList<>();
        g.getValue().entrySet().stream()
            .filter(e -> e.getKey().topic().equals(t.topic()) && e.getValue() != null)
            .sorted(Comparator.comparingInt(e -> e.getKey().partition()))
            .forEach(
                e ->
                    partitions.add(
                        ReaderPartition.newBuilder()
                            .setPartition(e.getKey().partition())
                            .setCommittedOffset(e.getValue())
                            .setEndOffset(endOffsets.getOrDefault(e.getKey(), e.getValue()))
                            .build()));
        if (partitions.isEmpty()) {
          continue;
        }
        String domain = ReaderLedger.domainOf(g.getKey());
        groups.add(
            ObservedGroup.newBuilder()
                .setGroupId(g.getKey())
                .setDomain(domain)
                .setStanding(ReaderLedger.standing(g.getKey(), domain, t.owner(), t.approved()))
                .setPartitions(partitions)
                .build());
      }
      out.put(
          t.productId(),
          ReaderObservation.newBuilder()
              .setProductId(t.productId())
              .setTopic(t.topic())
              .setObservedAt(now)
              .setGroups(groups)
              .build());
    }
    return out;
  }

  /** Two observations say the same, whatever their times. */
  public static boolean sameReaders(ReaderObservation a, ReaderObservation b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.getGroups().equals(b.getGroups()) && a.getTopic().equals(b.getTopic());
  }
}
