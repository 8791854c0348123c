package dev.meshbone.registry.products.catalog;

import dev.meshbone.events.ContractDecision;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.ProductHealth;
import dev.meshbone.events.ProductStats;
import dev.meshbone.events.QualityAlert;

/**
 * Everything that reaches the catalog processor, keyed by product id. The inputs come from several
 * topics but meet in one processor, so one task per partition holds every store about a product and
 * one instance answers every question about it. Only in memory: never serialized.
 */
public sealed interface CatalogUpdate {
  /** The product's latest accepted event on {@code mesh.products}; null for a tombstone. */
  record ProductChanged(DataProductEvent event) implements CatalogUpdate {}

  /** The product's health from quality-monitor; null for a tombstone. */
  record HealthChanged(ProductHealth health) implements CatalogUpdate {}

  /** The product's record counts from contract-validator; null for a tombstone. */
  record StatsChanged(ProductStats stats) implements CatalogUpdate {}

  /** A consumer's subscription to the product changed. */
  record SubscriptionChanged(SubscriptionChange change) implements CatalogUpdate {}

  /** A product started or stopped reading from this one (this one's downstream lineage). */
  record DownstreamChanged(Link link) implements CatalogUpdate {}

  /** A quality alert about the product was raised or cleared. */
  record AlertChanged(QualityAlert alert) implements CatalogUpdate {}

  /** A domain asks to open, change or comment on an issue of the product. */
  record IssueRequested(dev.meshbone.events.IssueRequest request) implements CatalogUpdate {}

  /**
   * The registry observed the consumer groups reading the product's topic; null for a tombstone.
   */
  record ReadersObserved(dev.meshbone.events.ReaderObservation observation)
      implements CatalogUpdate {}

  /**
   * The consumers with an APPROVED subscription to the product's successor changed: {@code
   * [successor, consumer...]} ({@link SuccessorIndex}).
   */
  record SuccessorReaders(java.util.List<String> readers) implements CatalogUpdate {}

  /** A new version of the product's contract was accepted. */
  record ContractAdded(ContractDecision decision) implements CatalogUpdate {}
}
