package dev.meshbone.registry.products.catalog;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.ObservedGroup;
import dev.meshbone.events.ReaderObservation;
import dev.meshbone.events.ReaderPartition;
import dev.meshbone.events.Subscription;
import dev.meshbone.events.SubscriptionState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a product can be retired now, and who blocks it: each consumer that holds or held an
 * APPROVED subscription, with its status. Pure: the same stores and the same instant give the same
 * answer, in the punctuation and in {@code GET /products/{id}/retirement}.
 */
public final class SunsetReadiness {
  private SunsetReadiness() {}

  /** Where a consumer stands with a product being retired. */
  public enum Status {
    /**
     * it unsubscribed (its subscription was revoked or it ended it), or it holds an APPROVED
     * subscription to the product's successor ({@code descriptor.successor})
     */
    MIGRATED,
    /** no lag on any of its groups and no commit for the quiet period, or no group observed */
    DRAINED,
    /** a group of it lags, or committed within the quiet period */
    STILL_READING
  }

  /** One consumer: its status, its groups and their total lag, and the last commit seen. */
  public record Consumer(
      String domain, Status status, List<String> groups, long lag, Instant lastCommitAt) {}

  /**
   * The product's readiness: {@code ready} when it is DEPRECATED, its sunset has come and nobody
   * blocks it ({@code blockers}, the consumers still reading); {@code successor} is the product its
   * descriptor names as successor, if any.
   */
  public record Readiness(
      String productId,
      LifecycleStatus status,
      Instant sunsetAt,
      String successor,
      boolean sunsetReached,
      boolean ready,
      List<Consumer> consumers,
      List<String> blockers) {}

  public static Readiness of(
      String productId,
      DataProductEvent product,
      ProductSubscriptions subscriptions,
      ReaderObservation readers,
      List<String> successorReaders,
      Duration quietPeriod,
      Instant now) {
    String successor = ProductState.successor(product);
    var migrated = new java.util.HashSet<>(SuccessorIndex.readers(successor, successorReaders));
    List<Consumer> consumers = new ArrayList<>();
    List<String> blockers = new ArrayList<>();
    for (Subscription s : subscriptions.all()) {
      if (s.getState() != SubscriptionState.APPROVED && s.getState() != SubscriptionState.REVOKED) {
        continue;
      }
      Consumer c = consumer(s, migrated.contains(s.getConsumerDomain()), readers, quietPeriod, now);
      consumers.add(c);
      if (c.status() == Status.STILL_READING) {
        blockers.add(c.domain());
      }
    }
    Instant sunsetAt = product == null ? null : ProductState.sunsetAt(product);
    LifecycleStatus status = product == null ? null : product.getStatus();
    boolean reached = sunsetAt != null && !now.isBefore(sunsetAt);
    boolean ready = status == LifecycleStatus.DEPRECATED && reached && blockers.isEmpty();
    return new Readiness(
        productId, status, sunsetAt, successor, reached, ready, consumers, blockers);
  }

  private static Consumer consumer(
      Subscription s,
      boolean onSuccessor,
      ReaderObservation readers,
      Duration quietPeriod,
      Instant now) {
    List<String> groups = new ArrayList<>();
    long lag = 0;
    Instant last = null;
    if (readers != null) {
      for (ObservedGroup g : readers.getGroups()) {
        if (!s.getConsumerDomain().equals(g.getDomain())) {
          continue;
        }
        groups.add(g.getGroupId());
        for (ReaderPartition p : g.getPartitions()) {
          lag += Math.max(0, p.getEndOffset() - p.getCommittedOffset());
          if (p.getLastCommitAt() != null && (last == null || p.getLastCommitAt().isAfter(last))) {
            last = p.getLastCommitAt();
          }
        }
      }
    }
    Status status;
    if (s.getState() != SubscriptionState.APPROVED || onSuccessor) {
      status = Status.MIGRATED;
    } else if (lag == 0 && (last == null || !last.plus(quietPeriod).isAfter(now))) {
      status = Status.DRAINED;
    } else {
      status = Status.STILL_READING;
    }
    return new Consumer(s.getConsumerDomain(), status, groups, lag, last);
  }
}
