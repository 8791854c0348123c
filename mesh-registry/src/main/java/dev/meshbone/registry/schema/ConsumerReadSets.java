package dev.meshbone.registry.schema;

import dev.meshbone.events.ConsumerReadSet;
import java.util.List;

/**
 * The declared read sets of the APPROVED consumers of every product whose contract is under a
 * subject, which a registration proposal carries to contract-validator's gate. The product catalog
 * implements it ({@code products.subscriptions.SubjectReaders}); the schema API only asks.
 */
public interface ConsumerReadSets {
  /**
   * The read sets, by product then consumer.
   *
   * @throws dev.meshbone.runtime.http.ApiException when they cannot be read (503)
   */
  List<ConsumerReadSet> approved(String subject);
}
