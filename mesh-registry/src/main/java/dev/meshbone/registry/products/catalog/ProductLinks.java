package dev.meshbone.registry.products.catalog;

import dev.meshbone.events.DataProductEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns each product change into changes of the two indexes that live on other partitions than the
 * product: its downstream lineage (an edge under each input product's id) and the products under a
 * schema subject (a link under the subject). It remembers what it last indexed for each product in
 * {@link CatalogStores#LINKS_STORE} ({@code [subject, input...]}) so a change emits only the
 * difference, and a removed input or a moved subject is taken back.
 */
public final class ProductLinks implements Processor<String, DataProductEvent, String, Link> {
  private ProcessorContext<String, Link> context;
  private KeyValueStore<String, List<String>> links;

  @Override
  public void init(ProcessorContext<String, Link> context) {
    this.context = context;
    this.links = context.getStateStore(CatalogStores.LINKS_STORE);
  }

  @Override
  public void process(Record<String, DataProductEvent> record) {
    String productId = record.key();
    if (productId == null) {
      return;
    }
    List<String> before = links.get(productId);
    DataProductEvent event = record.value();
    if (event != null && event.getDescriptor() == null && before != null) {
      // An event without a descriptor (a DEPRECATED or RETIRED that omits it) keeps the old one.
      return;
    }
    List<String> after = null;
    if (event != null) {
      after = new ArrayList<>();
      after.add(ProductState.contractSubject(productId, event));
      after.addAll(ProductState.inputs(event));
    }
    if (Objects.equals(before, after)) {
      return;
    }
    String subjectBefore = before == null ? null : before.get(0);
    String subjectAfter = after == null ? null : after.get(0);
    List<String> inputsBefore = before == null ? List.of() : before.subList(1, before.size());
    List<String> inputsAfter = after == null ? List.of() : after.subList(1, after.size());

    if (!Objects.equals(subjectBefore, subjectAfter)) {
      if (subjectBefore != null) {
        forward(record, subjectBefore, new Link(Link.Kind.SUBJECT, productId, false));
      }
      if (subjectAfter != null) {
        forward(record, subjectAfter, new Link(Link.Kind.SUBJECT, productId, true));
      }
    }
    for (String input : inputsBefore) {
      if (!inputsAfter.contains(input)) {
        forward(record, input, new Link(Link.Kind.LINEAGE, productId, false));
      }
    }
    for (String input : inputsAfter) {
      if (!inputsBefore.contains(input)) {
        forward(record, input, new Link(Link.Kind.LINEAGE, productId, true));
      }
    }
    if (after == null) {
      links.delete(productId);
    } else {
      links.put(productId, after);
    }
  }

  private void forward(Record<String, DataProductEvent> record, String key, Link link) {
    context.forward(record.withKey(key).withValue(link));
  }
}
