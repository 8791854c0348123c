package dev.meshbone.registry.products.catalog;

import dev.meshbone.events.SubscriptionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keyed by the id of a product that others name as their successor: keeps which products name it
 * and which consumers hold an APPROVED subscription to it ({@link
 * CatalogStores#SUCCESSOR_INDEX_STORE}), and tells each predecessor, keyed by the predecessor's id,
 * the successor's APPROVED consumers whenever they change or the predecessor starts naming it
 * ({@code [successor, consumer...]}). The predecessor's catalog task keeps the last list ({@link
 * CatalogStores#SUCCESSOR_READERS_STORE}); a consumer in it counts as migrated for the
 * predecessor's sunset ({@link SunsetReadiness}). A predecessor that stops naming the successor is
 * not told: its catalog task ignores a list about any other product than its current successor.
 */
public final class SuccessorIndex
    implements Processor<String, SuccessorIndex.Input, String, List<String>> {

  /** What reaches the index: a predecessor link or a subscription change of the successor. */
  public sealed interface Input {}

  /** A product started or stopped naming the key as its successor. */
  public record LinkInput(Link link) implements Input {}

  /** A consumer's subscription to the key changed. */
  public record SubscriptionInput(SubscriptionChange change) implements Input {}

  private static final String PREDECESSOR = "<";
  private static final String CONSUMER = "+";

  private ProcessorContext<String, List<String>> context;
  private KeyValueStore<String, List<String>> index;

  @Override
  public void init(ProcessorContext<String, List<String>> context) {
    this.context = context;
    this.index = context.getStateStore(CatalogStores.SUCCESSOR_INDEX_STORE);
  }

  @Override
  public void process(Record<String, Input> record) {
    String successor = record.key();
    if (successor == null || record.value() == null) {
      return;
    }
    List<String> stored = index.get(successor);
    var predecessors = new TreeSet<String>();
    var consumers = new TreeSet<String>();
    if (stored != null) {
      for (String line : stored) {
        (line.startsWith(PREDECESSOR) ? predecessors : consumers).add(line.substring(1));
      }
    }
    List<String> tell;
    if (record.value() instanceof LinkInput in) {
      String predecessor = in.link().productId();
      if (in.link().added()) {
        predecessors.add(predecessor);
        tell = List.of(predecessor);
      } else {
        predecessors.remove(predecessor);
        tell = List.of();
      }
    } else if (record.value() instanceof SubscriptionInput in) {
      var sub = in.change().subscription();
      boolean approved = sub != null && sub.getState() == SubscriptionState.APPROVED;
      boolean changed =
          approved
              ? consumers.add(in.change().consumerDomain())
              : consumers.remove(in.change().consumerDomain());
      tell = changed ? List.copyOf(predecessors) : List.of();
    } else {
      return;
    }
    var next = new ArrayList<String>();
    predecessors.forEach(p -> next.add(PREDECESSOR + p));
    consumers.forEach(c -> next.add(CONSUMER + c));
    if (next.isEmpty()) {
      index.delete(successor);
    } else if (!Objects.equals(next, stored)) {
      index.put(successor, next);
    }
    var readers = new ArrayList<String>();
    readers.add(successor);
    readers.addAll(consumers);
    for (String predecessor : tell) {
      context.forward(record.withKey(predecessor).withValue(List.copyOf(readers)));
    }
  }

  /**
   * The consumers with an APPROVED subscription to the product's successor, from the list kept for
   * the product: empty when the list is about another product than {@code successor}.
   */
  public static List<String> readers(String successor, List<String> kept) {
    if (successor == null || kept == null || kept.isEmpty() || !successor.equals(kept.get(0))) {
      return List.of();
    }
    return kept.subList(1, kept.size());
  }
}
