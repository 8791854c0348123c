package dev.meshbone.registry.products.query;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.ObservedGroup;
import dev.meshbone.events.ReaderObservation;
import dev.meshbone.events.ReaderPartition;
import dev.meshbone.events.ReaderStanding;
import dev.meshbone.events.Subscription;
import dev.meshbone.events.SubscriptionState;
import dev.meshbone.registry.products.RegistrySettings;
import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.catalog.SunsetClock;
import dev.meshbone.registry.products.catalog.SunsetReadiness;
import dev.meshbone.registry.products.routing.LocalStores;
import dev.meshbone.registry.products.view.Dto.LineageGraph;
import dev.meshbone.registry.products.view.Dto.ObservedLineageGraph;
import dev.meshbone.registry.products.view.Dto.ReaderDto;
import dev.meshbone.registry.products.view.Dto.ReaderEdgeDto;
import dev.meshbone.registry.products.view.Dto.ReaderPartitionDto;
import dev.meshbone.registry.products.view.Dto.ReadersAnswer;
import dev.meshbone.registry.products.view.Dto.RetirementAnswer;
import dev.meshbone.registry.products.view.Dto.RetirementConsumerDto;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.ProductId;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The observed readers of a product, from this instance's catalog stores (the product's partition
 * must be local): the consumer groups last observed on its validated topic, with lag per partition
 * and commit times, the declared (APPROVED subscriptions) beside the observed lineage, and its
 * sunset's readiness.
 */
@Singleton
public class ReaderQueries {
  private final LocalStores stores;
  private final CatalogQueries queries;
  private final RegistrySettings settings;

  public ReaderQueries(LocalStores stores, CatalogQueries queries, RegistrySettings settings) {
    this.stores = stores;
    this.queries = queries;
    this.settings = settings;
  }

  /** The product's observed readers, or a 404 for an unknown product. */
  public ReadersAnswer readers(int partition, String productId) {
    queries.requireProduct(partition, productId);
    ReaderObservation o = observation(partition, productId);
    List<ReaderDto> readers = new ArrayList<>();
    if (o != null) {
      for (ObservedGroup g : o.getGroups()) {
        readers.add(reader(g));
      }
    }
    return new ReadersAnswer(
        productId,
        o != null ? o.getTopic() : DomainTopics.validated(ProductId.parse(productId)),
        o != null ? o.getObservedAt().toString() : null,
        settings.readersInterval().toMillis(),
        readers,
        o != null ? List.copyOf(o.getNotifiedGroups()) : List.of());
  }

  /** The declared lineage graph with, for its root, who reads it by subscription and by groups. */
  public ObservedLineageGraph observedLineage(int partition, LineageGraph graph) {
    String productId = graph.root();
    queries.requireProduct(partition, productId);
    Map<String, List<String>> groupsByDomain = new TreeMap<>();
    List<String> unattributed = new ArrayList<>();
    ReaderObservation o = observation(partition, productId);
    if (o != null) {
      for (ObservedGroup g : o.getGroups()) {
        if (g.getDomain() == null) {
          unattributed.add(g.getGroupId());
        } else {
          groupsByDomain.computeIfAbsent(g.getDomain(), d -> new ArrayList<>()).add(g.getGroupId());
        }
      }
    }
    Map<String, Boolean> declared = new TreeMap<>();
    for (Subscription s : queries.subscriptions(partition, productId).all()) {
      if (s.getState() == SubscriptionState.APPROVED) {
        declared.put(s.getConsumerDomain(), true);
      }
    }
    groupsByDomain.keySet().forEach(d -> declared.putIfAbsent(d, false));
    List<ReaderEdgeDto> edges = new ArrayList<>();
    declared.forEach(
        (domain, isDeclared) -> {
          List<String> groups = groupsByDomain.getOrDefault(domain, List.of());
          edges.add(
              new ReaderEdgeDto(
                  productId, domain, isDeclared, !groups.isEmpty(), List.copyOf(groups)));
        });
    return new ObservedLineageGraph(
        graph.root(),
        graph.direction(),
        graph.depth(),
        graph.nodes(),
        graph.edges(),
        edges,
        unattributed);
  }

  /** The product's sunset: readiness now, each consumer's status, and what the clock did. */
  public RetirementAnswer retirement(int partition, String productId, Instant now) {
    DataProductEvent p = queries.requireProduct(partition, productId);
    var policy = settings.sunset();
    var r =
        SunsetReadiness.of(
            productId,
            p,
            queries.subscriptions(partition, productId),
            observation(partition, productId),
            stores
                .<List<String>>partition(CatalogStores.SUCCESSOR_READERS_STORE, partition)
                .get(productId),
            policy.quietPeriod(),
            now);
    Instant sunsetAt = r.sunsetAt();
    SunsetClock.Facts f =
        SunsetClock.Facts.parse(
            stores.<List<String>>partition(CatalogStores.SUNSET_STORE, partition).get(productId));
    if (f != null && !f.sunsetAt().equals(sunsetAt)) {
      f = null;
    }
    List<RetirementConsumerDto> consumers = new ArrayList<>();
    for (var c : r.consumers()) {
      consumers.add(
          new RetirementConsumerDto(
              c.domain(),
              c.status().name(),
              c.groups(),
              c.lag(),
              c.lastCommitAt() == null ? null : c.lastCommitAt().toString()));
    }
    return new RetirementAnswer(
        productId,
        r.status() == null ? null : r.status().name(),
        sunsetAt == null ? null : sunsetAt.toString(),
        r.successor(),
        r.sunsetReached(),
        r.ready(),
        r.blockers(),
        consumers,
        policy.leadTimes().stream().map(Object::toString).toList(),
        f == null ? List.of() : f.reminded().stream().map(Object::toString).toList(),
        f != null && f.blockedTold(),
        f == null ? null : f.retirementEventId(),
        policy.quietPeriod().toMillis());
  }

  private ReaderObservation observation(int partition, String productId) {
    return stores
        .<ReaderObservation>partition(CatalogStores.READERS_STORE, partition)
        .get(productId);
  }

  private static ReaderDto reader(ObservedGroup g) {
    List<ReaderPartitionDto> partitions = new ArrayList<>();
    long lag = 0;
    Instant last = null;
    for (ReaderPartition p : g.getPartitions()) {
      long l = Math.max(0, p.getEndOffset() - p.getCommittedOffset());
      lag += l;
      Instant at = p.getLastCommitAt();
      if (at != null && (last == null || at.isAfter(last))) {
        last = at;
      }
      partitions.add(
          new ReaderPartitionDto(
              p.getPartition(),
              p.getCommittedOffset(),
              p.getEndOffset(),
              l,
              at == null ? null : at.toString()));
    }
    return new ReaderDto(
        g.getGroupId(),
        g.getDomain(),
        g.getStanding().name(),
        g.getStanding() == ReaderStanding.UNSUBSCRIBED,
        lag,
        last == null ? null : last.toString(),
        partitions);
  }
}
