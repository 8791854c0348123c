package dev.meshbone.validator.records;

import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.InvalidNameException;
import dev.meshbone.topics.ProductId;
import java.util.HashMap;
import java.util.Map;

/**
 * One ingest topic as a record path sees it: where its records go, its product's counts, and its
 * product's contracts as of the catalog generation last looked at.
 */
final class IngestRoute {
  final String sourceTopic;
  final ProductId product;
  final String productTopic;
  final String dlqTopic;
  final StatsCounts.Cell counts;
  private long generation = -1;
  private ProductContracts contracts;

  private IngestRoute(String sourceTopic, ProductId product, StatsCounts.Cell counts) {
    this.sourceTopic = sourceTopic;
    this.product = product;
    this.productTopic = DomainTopics.validated(product);
    this.dlqTopic = DomainTopics.dlq(product);
    this.counts = counts;
  }

  /**
   * The route of {@code topic}, once its product's output topics exist (the one wait of a record
   * path, on the first record of an ingest topic).
   */
  static IngestRoute open(String topic, StatsCounts counts, OutputTopics outputs) {
    // The source pattern only matches topics that name a product.
    ProductId product =
        DomainTopics.productOfIngest(topic)
            .orElseThrow(() -> new InvalidNameException("not an ingest topic: " + topic));
    outputs.ensureOutputs(product);
    return new IngestRoute(topic, product, counts.cell(product));
  }

  /** The product's contracts, resolved again only when the catalog has changed. */
  ProductContracts contracts(ContractCatalog catalog) {
    long now = catalog.generation();
    if (generation != now) {
      contracts = catalog.resolve(product);
      generation = now;
    }
    return contracts;
  }

  /**
   * The routes of the ingest topics one record path has met, opened on each topic's first record;
   * the last one used is at hand, as records come in runs of one topic.
   */
  static final class Routes {
    private final Map<String, IngestRoute> byTopic = new HashMap<>();
    private final StatsCounts counts;
    private final OutputTopics outputs;
    private IngestRoute last;

    Routes(StatsCounts counts, OutputTopics outputs) {
      this.counts = counts;
      this.outputs = outputs;
    }

    IngestRoute of(String topic) {
      IngestRoute route = last;
      if (route == null || !route.sourceTopic.equals(topic)) {
        route = byTopic.get(topic);
        if (route == null) {
          route = open(topic, counts, outputs);
          byTopic.put(topic, route);
        }
        last = route;
      }
      return route;
    }
  }
}
