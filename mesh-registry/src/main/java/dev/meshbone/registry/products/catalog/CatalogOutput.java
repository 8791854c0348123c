package dev.meshbone.registry.products.catalog;

import dev.meshbone.events.AccessGrant;
import dev.meshbone.events.Notification;

/**
 * What the catalog processor emits: notifications to domains, access grants and issue decisions. In
 * memory only.
 */
public sealed interface CatalogOutput {
  /** To {@code mesh.notifications}, keyed by the recipient domain. */
  record Notice(Notification notification) implements CatalogOutput {}

  /** To {@code mesh.access-grants}, keyed by product id. */
  record Grant(AccessGrant grant) implements CatalogOutput {}

  /**
   * A lifecycle event the registry publishes for the owner (the sunset's retirement), to the
   * owner's {@code <domain>.mesh.product-events}, keyed by product id.
   */
  record Retire(dev.meshbone.events.DataProductEvent event) implements CatalogOutput {}

  /** To {@code mesh.issues}, keyed by product id. */
  record IssueDecided(dev.meshbone.events.IssueDecision decision) implements CatalogOutput {}
}
