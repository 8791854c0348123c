package dev.meshbone.registry.products.issues;

import dev.meshbone.events.IssueFigures;
import dev.meshbone.events.IssueState;
import dev.meshbone.events.ProductIssue;
import dev.meshbone.issues.Accountability;
import dev.meshbone.registry.products.catalog.CatalogStores;
import dev.meshbone.registry.products.issues.IssueViews.AccountabilityDto;
import dev.meshbone.registry.products.issues.IssueViews.IssueSummary;
import dev.meshbone.registry.products.routing.LocalStores;
import dev.meshbone.runtime.http.ApiException;
import dev.meshbone.topics.MeshTopics;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Issues from this instance's stores. Methods that take a partition read the issues of that
 * partition, which this instance must hold (the router sends a product's reads there).
 */
@Singleton
public class IssueQueries {
  private final LocalStores stores;
  private final MeshTopics topics;

  public IssueQueries(LocalStores stores, MeshTopics topics) {
    this.stores = stores;
    this.topics = topics;
  }

  private ReadOnlyKeyValueStore<String, ProductIssue> store(int partition) {
    return stores.partition(CatalogStores.ISSUES_STORE, partition);
  }

  /** The product's issues, oldest first. */
  public List<ProductIssue> ofProduct(int partition, String productId) {
    List<ProductIssue> found = new ArrayList<>();
    try (KeyValueIterator<String, ProductIssue> it =
        store(partition)
            .prefixScan(CatalogStores.issueKey(productId, ""), new StringSerializer())) {
      it.forEachRemaining(
          kv -> {
            if (kv.value != null) {
              found.add(kv.value);
            }
          });
    }
    found.sort(BY_OPENING);
    return found;
  }

  /** The issue, or a 404. */
  public ProductIssue require(int partition, String productId, String issueId) {
    ProductIssue issue = store(partition).get(CatalogStores.issueKey(productId, issueId));
    if (issue == null) {
      throw ApiException.notFound(
          "ISSUE_NOT_FOUND", "product " + productId + " has no issue " + issueId);
    }
    return issue;
  }

  /** This instance's issues reported by {@code domain} or about its products, oldest first. */
  public List<IssueSummary> ofDomain(String domain, IssueState state) {
    List<ProductIssue> found = new ArrayList<>();
    for (int partition :
        stores.localPartitions(CatalogStores.PRODUCTS_STORE, topics.products.name())) {
      try (KeyValueIterator<String, ProductIssue> it = store(partition).all()) {
        it.forEachRemaining(
            kv -> {
              ProductIssue i = kv.value;
              if (i != null
                  && (state == null || i.getState() == state)
                  && (domain.equals(i.getReporterDomain()) || domain.equals(i.getOwnerDomain()))) {
                found.add(i);
              }
            });
      }
    }
    found.sort(BY_OPENING);
    return found.stream().map(IssueViews::summary).toList();
  }

  private static final Comparator<ProductIssue> BY_OPENING =
      Comparator.comparing(ProductIssue::getOpenedAt).thenComparing(ProductIssue::getIssueId);

  /** The accountability figures of a product's issues at {@code now}. */
  public static AccountabilityDto accountability(List<ProductIssue> issues, Instant now) {
    IssueFigures f = Accountability.figures(issues.stream().map(Accountability.Times::of).toList());
    Instant waiting = f.getOldestUnacknowledgedSince();
    return new AccountabilityDto(
        f.getOpenIssues(),
        f.getOpenBySeverity(),
        f.getAcknowledgeP50Ms(),
        waiting == null ? null : Math.max(0, Duration.between(waiting, now).toMillis()),
        f.getResolveP50Ms(),
        f.getAcknowledgedCount(),
        f.getResolvedCount());
  }
}
