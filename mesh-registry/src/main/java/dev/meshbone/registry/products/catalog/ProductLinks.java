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
 * Turns each product change into changes of the indexes that live on other partitions than the
 * product: its downstream lineage (an edge under each input product's id), the products under a
 * schema subject (a link under the subject) and the products that name a successor (a link under
 * the successor's id). It remembers what it last indexed for each product in {@link
 * CatalogStores#LINKS_STORE} ({@code [subject, input..., ">successor"]}) so a change emits only the
 * difference, and a removed input, a moved subject or a changed successor is taken back.
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
      String successor = ProductState.successor(event);
      if (successor != null) {
        after.add(SUCCESSOR_MARK + successor);
      }
    }
    if (Objects.equals(before, after)) {
      return;
    }
    String subjectBefore = before == null ? null : before.get(0);
    String subjectAfter = after == null ? null : after.get(0);
    List<String> inputsBefore = inputs(before);
    List<String> inputsAfter = inputs(after);
    String successorBefore = successor(before);
    String successorAfter = successor(after);

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
    if (!Objects.equals(successorBefore, successorAfter)) {
      if (successorBefore != null) {
        forward(record, successorBefore, new Link(Link.Kind.SUCCESSOR, productId, false));
      }
      if (successorAfter != null) {
        forward(record, successorAfter, new Link(Link.Kind.SUCCESSOR, productId, true));
      }
    }
    if (after == null) {
      links.delete(productId);
    } else {
      links.put(productId, after);
    }
  }

  /** Marks the successor in the stored list; a product id cannot start with it. */
  private static final String SUCCESSOR_MARK = ">";

  private static List<String> inputs(List<String> indexed) {
    return indexed == null
        ? List.of()
        : indexed.subList(1, indexed.size()).stream()
            .filter(s -> !s.startsWith(SUCCESSOR_MARK))
            .toList();
  }

  private static String successor(List<String> indexed) {
    if (indexed == null) {
      return null;
    }
    return indexed.stream()
        .filter(s -> s.startsWith(SUCCESSOR_MARK))
        .map(s -> s.substring(SUCCESSOR_MARK.length()))
        .findFirst()
        .orElse(null);
  }

  private void forward(Record<String, DataProductEvent> record, String key, Link link) {
    context.forward(record.withKey(key).withValue(link));
  }
}
