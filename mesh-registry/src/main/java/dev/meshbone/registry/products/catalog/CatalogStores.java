package dev.meshbone.registry.products.catalog;

import java.util.List;

/**
 * The names of the registry catalog's state stores and repartition topics. They live here, below
 * both {@code ProductCatalog} (which builds the sub-topology) and the processors and queries that
 * open the stores, so that neither side depends on the other for a name.
 */
public final class CatalogStores {
  /** Product id → its latest accepted {@code DataProductEvent} (status and version filled). */
  public static final String PRODUCTS_STORE = "products";

  /** Product id → its {@code ProductHealth} from quality-monitor. */
  public static final String HEALTH_STORE = "product-health";

  /** Product id → its {@link HealthTrail}, the recent health the console draws. */
  public static final String HEALTH_TRAIL_STORE = "product-health-trail";

  /** Product id → its {@code ProductStats} from contract-validator. */
  public static final String STATS_STORE = "product-stats";

  /** Product id → {@link ProductSubscriptions}, every consumer's subscription to it. */
  public static final String SUBSCRIPTIONS_STORE = "product-subscriptions";

  /** Product id → the ids of the products that list it as an input, sorted. */
  public static final String DOWNSTREAM_STORE = "product-downstream";

  /** Product id → {@code [contract subject, input ids...]} as last indexed. */
  public static final String LINKS_STORE = "product-links";

  /** Schema subject → the ids of the products whose contract is under it. */
  public static final String SUBJECT_PRODUCTS_STORE = "subject-products";

  /** Schema subject → the highest contract version announced to subscribers. */
  public static final String SUBJECT_VERSIONS_STORE = "subject-versions";

  /**
   * {@code <productId>|<issueId>} → the {@code ProductIssue} as it stands, with its thread: the
   * current state of the product's issues (its changelog is compacted).
   */
  public static final String ISSUES_STORE = "product-issues";

  /**
   * {@code <productId>|<seq>} → a {@code ProductChange}: every change to the product, numbered in
   * the order the catalog processor saw it (see {@link ProductHistory}).
   */
  public static final String HISTORY_STORE = "product-history";

  /**
   * {@code <productId>|<seq>} → a {@link HistoryCheckpoint}: the product's history folded up to
   * change {@code seq}, every {@link ProductHistory#CHECKPOINT_EVERY} changes.
   */
  public static final String HISTORY_CHECKPOINT_STORE = "product-history-checkpoints";

  /**
   * Product id → its latest {@code ReaderObservation}: the consumer groups reading its validated
   * topic, with their standing, commit times and the groups its owner was told of ({@link
   * ReaderLedger}).
   */
  public static final String READERS_STORE = "observed-readers";

  /**
   * Product id → what the registry did about its sunset ({@link SunsetClock.Facts}: reminders sent,
   * blockers told, the retirement published), as {@code name=value} lines.
   */
  public static final String SUNSET_STORE = "product-sunset";

  /**
   * Product id → the products that name it as their successor ({@code "<id"}) and the consumers
   * with an APPROVED subscription to it ({@code "+domain"}): {@link SuccessorIndex}.
   */
  public static final String SUCCESSOR_INDEX_STORE = "successor-index";

  /**
   * Product id → {@code [successor, consumer...]}: the consumers with an APPROVED subscription to
   * the product its descriptor names as successor, as {@link SuccessorIndex} last told it.
   */
  public static final String SUCCESSOR_READERS_STORE = "successor-readers";

  /** Recipient domain → {@link RecentNotifications}, its latest notifications. */
  public static final String RECENT_NOTIFICATIONS_STORE = "recent-notifications";

  /** The stores that live in the catalog sub-topology, co-located per product id. */
  public static final List<String> CATALOG_STORES =
      List.of(
          PRODUCTS_STORE,
          HEALTH_STORE,
          HEALTH_TRAIL_STORE,
          STATS_STORE,
          SUBSCRIPTIONS_STORE,
          DOWNSTREAM_STORE,
          ISSUES_STORE,
          HISTORY_STORE,
          HISTORY_CHECKPOINT_STORE,
          READERS_STORE,
          SUNSET_STORE,
          SUCCESSOR_INDEX_STORE,
          SUCCESSOR_READERS_STORE);

  /** The key of an issue in {@link #ISSUES_STORE}; a product's issues share the prefix. */
  public static String issueKey(String productId, String issueId) {
    return productId + "|" + issueId;
  }

  public static final String SUBSCRIPTIONS_REPARTITION = "subscriptions-by-product";
  public static final String LINEAGE_REPARTITION = "lineage-edges";
  public static final String SUBJECT_REPARTITION = "subject-links";
  public static final String DECISIONS_REPARTITION = "decisions-by-subject";
  public static final String CONTRACT_VERSIONS_REPARTITION = "contract-versions-by-product";
  public static final String SUCCESSOR_LINKS_REPARTITION = "successor-links";
  public static final String SUCCESSOR_READERS_REPARTITION = "successor-readers-by-product";

  private CatalogStores() {}
}
