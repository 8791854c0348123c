package dev.meshbone.registry.products.catalog;

import dev.meshbone.events.ContractDecision;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keyed by schema subject: keeps which products have their contract under each subject ({@link
 * CatalogStores#SUBJECT_PRODUCTS_STORE}), and turns each accepted new contract version into one
 * record per such product, keyed by product id. A version at or below the highest one already
 * announced for the subject ({@link CatalogStores#SUBJECT_VERSIONS_STORE}) is not announced again:
 * re-registering an existing schema answers with its old version.
 */
public final class SubjectIndex
    implements Processor<String, SubjectIndex.Input, String, ContractDecision> {

  /** What reaches the subject index: a product link or an accepted contract version. */
  public sealed interface Input {}

  /** A product moved to or away from the subject. */
  public record LinkInput(Link link) implements Input {}

  /** A new version under the subject was accepted. */
  public record DecisionInput(ContractDecision decision) implements Input {}

  private ProcessorContext<String, ContractDecision> context;
  private KeyValueStore<String, List<String>> products;
  private KeyValueStore<String, Integer> versions;

  @Override
  public void init(ProcessorContext<String, ContractDecision> context) {
    this.context = context;
    this.products = context.getStateStore(CatalogStores.SUBJECT_PRODUCTS_STORE);
    this.versions = context.getStateStore(CatalogStores.SUBJECT_VERSIONS_STORE);
  }

  @Override
  public void process(Record<String, Input> record) {
    String subject = record.key();
    if (subject == null || record.value() == null) {
      return;
    }
    if (record.value() instanceof LinkInput in) {
      var current = products.get(subject);
      var next = new ArrayList<>(current == null ? List.of() : current);
      next.remove(in.link().productId());
      if (in.link().added()) {
        next.add(in.link().productId());
        next.sort(null);
      }
      if (next.isEmpty()) {
        products.delete(subject);
      } else {
        products.put(subject, next);
      }
    } else if (record.value() instanceof DecisionInput in) {
      int version = in.decision().getVersion();
      Integer announced = versions.get(subject);
      if (announced != null && version <= announced) {
        return;
      }
      versions.put(subject, version);
      List<String> owners = products.get(subject);
      if (owners == null) {
        return;
      }
      for (String productId : owners) {
        context.forward(record.withKey(productId).withValue(in.decision()));
      }
    }
  }
}
