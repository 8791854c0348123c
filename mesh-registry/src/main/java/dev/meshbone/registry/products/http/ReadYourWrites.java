package dev.meshbone.registry.products.http;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.registry.products.query.CatalogQueries;
import java.time.Duration;

/** An accepted product write answers once this instance's catalog holds it. */
final class ReadYourWrites {
  private ReadYourWrites() {}

  /** How long an accepted write waits to be read back here (read your writes); then it answers. */
  static final Duration READ_YOUR_WRITES = Duration.ofSeconds(5);

  /**
   * Waits, at most {@link #READ_YOUR_WRITES}, until this instance's catalog holds the accepted
   * event (or a later one): the verdict comes from a tail of {@code mesh.products}, the catalog
   * from the registry's Streams app, a few milliseconds apart, and a client's next request (a
   * subscription to the product it just registered) must find it.
   */
  static void await(CatalogQueries queries, int partition, DataProductEvent accepted) {
    String productId = accepted.getProductId();
    long deadline = System.nanoTime() + READ_YOUR_WRITES.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        DataProductEvent now = queries.product(partition, productId);
        // That event, or a later one of the product (a version at least as high).
        if (now != null
            && (accepted.getEventId().equals(now.getEventId())
                || now.getVersion() >= accepted.getVersion())) {
          return;
        }
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // The store moved away (a rebalance): answer with the verdict, as before.
    }
  }
}
