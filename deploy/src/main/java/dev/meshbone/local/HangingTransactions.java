package dev.meshbone.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;

/**
 * Finds the transactions a crash of the local mesh's one node left open on partitions after their
 * coordinator had finished them, <b>hanging transactions</b>, and ends them as the coordinator
 * decided. A hanging transaction pins its partitions' last stable offset, so every {@code
 * read_committed} reader of them (the validator's record loop, Kafka Streams, downstream consumers)
 * stops there for good, and a group whose offsets were in it gets {@code UNSTABLE_OFFSET_COMMIT}
 * until it ends.
 *
 * <p>Seen on this one-node broker (Kafka 4.3.1) after a SIGKILL of the whole mesh while a
 * transaction was committing: on the restart the coordinator finished the commit (its log says
 * {@code CompleteCommit}) but no marker reached the transaction's partitions, whose producer state
 * still shows it open. Kafka's own tool ({@code kafka-transactions.sh find-hanging}, {@code abort})
 * only aborts, after {@code transaction.max.timeout.ms}; this runs before the services start, when
 * nothing but the coordinator can be writing, and writes the marker the coordinator meant.
 *
 * <p>The rule, for a partition's open transaction at producer epoch {@code e}: its coordinator says
 * {@code CompleteCommit} (or {@code CompleteAbort}) of that very transaction, at epoch {@code e +
 * 1} (transactions v2 bump the epoch as a transaction ends): write a COMMIT (or ABORT) marker
 * there. The coordinator is still finishing it ({@code PrepareCommit}, {@code PrepareAbort}, {@code
 * PrepareEpochFence}: its markers are on their way), has it in progress ({@code Ongoing}: it ends
 * it or times it out), or says anything else (not loaded yet, no such producer, another epoch,
 * {@code Empty}, which no longer tells commit from abort): leave it. Those still undecided after a
 * short wait are reported, never guessed.
 */
final class HangingTransactions {
  private static final Duration CALL = Duration.ofSeconds(30);

  /** One open transaction on one partition, as the partition's producer state shows it. */
  record Open(
      TopicPartition partition, Node leader, long producerId, short epoch, int coordinatorEpoch) {
    String describe(Optional<Coordinator> coordinator) {
      return partition
          + ": producer "
          + producerId
          + " epoch "
          + epoch
          + " (its coordinator: "
          + (coordinator.isEmpty() ? "no such producer" : coordinator.get().toString())
          + ")";
    }
  }

  /** What the coordinator says of a producer's transactional id. */
  record Coordinator(String transactionalId, TransactionState state, int epoch) {
    @Override
    public String toString() {
      return transactionalId + " " + state + " at epoch " + epoch;
    }
  }

  /** What {@link #classify} decides for an open transaction. */
  enum Verdict {
    /** Its coordinator committed it: write the COMMIT marker that never came. */
    COMMIT,
    /** Its coordinator aborted it: write the ABORT marker that never came. */
    ABORT,
    /** The coordinator runs or finishes it, or has not said yet: look again, then leave it. */
    WAIT
  }

  /** What {@link #endAll} did: one line a partition. */
  record Outcome(List<String> committed, List<String> aborted, List<String> undecided) {}

  private HangingTransactions() {}

  /**
   * Ends every hanging transaction on the broker {@code clientConfig} reaches, looking again while
   * a coordinator is loading or finishing (at most {@code within}).
   *
   * @param clientConfig the admin client's config, also for the marker requests
   */
  static Outcome endAll(Map<String, Object> clientConfig, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    List<String> committed = new ArrayList<>();
    List<String> aborted = new ArrayList<>();
    try (Admin admin = Admin.create(clientConfig)) {
      while (true) {
        List<String> undecided = new ArrayList<>();
        List<Open> open;
        Map<Long, Optional<Coordinator>> coordinators;
        try {
          open = openTransactions(admin);
          coordinators = open.isEmpty() ? Map.of() : coordinators(admin, open);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof CoordinatorLoadInProgressException)) {
            throw e;
          }
          open = List.of();
          coordinators = Map.of();
          undecided.add("a transaction coordinator is still loading");
        }
        List<Open> toCommit = new ArrayList<>();
        for (Open o : open) {
          Optional<Coordinator> coordinator = coordinators.get(o.producerId());
          switch (classify(o, coordinator)) {
            case COMMIT -> {
              toCommit.add(o);
              committed.add(o.describe(coordinator));
            }
            case ABORT -> {
              admin
                  .abortTransaction(
                      new AbortTransactionSpec(
                          o.partition(), o.producerId(), o.epoch(), o.coordinatorEpoch()))
                  .all()
                  .get(CALL.toSeconds(), TimeUnit.SECONDS);
              aborted.add(o.describe(coordinator));
            }
            case WAIT -> {
              // Ongoing is the coordinator's to end (or time out): no need to wait for it here.
              if (coordinator.isEmpty() || coordinator.get().state() != TransactionState.ONGOING) {
                undecided.add(o.describe(coordinator));
              }
            }
          }
        }
        if (!toCommit.isEmpty()) {
          Markers.commit(clientConfig, toCommit);
        }
        if (undecided.isEmpty() || System.nanoTime() > deadline) {
          return new Outcome(committed, aborted, undecided);
        }
        Thread.sleep(200);
      }
    }
  }

  /** The rule of the class comment, for one open transaction. */
  static Verdict classify(Open open, Optional<Coordinator> coordinator) {
    if (coordinator.isEmpty()) {
      return Verdict.WAIT;
    }
    Coordinator c = coordinator.get();
    // Transactions v2 (every local mesh's node runs them) end a transaction at its epoch + 1, and
    // the next one runs at that epoch: so this state is this transaction's end. (Under v0/1 every
    // transaction of a producer ends at the same epoch, and the state may be a later one's.)
    boolean same = c.epoch() == open.epoch() + 1;
    if (same && c.state() == TransactionState.COMPLETE_COMMIT) {
      return Verdict.COMMIT;
    }
    if (same && c.state() == TransactionState.COMPLETE_ABORT) {
      return Verdict.ABORT;
    }
    return Verdict.WAIT;
  }

  /** Every partition's open transactions, internal topics included. */
  private static List<Open> openTransactions(Admin admin) throws Exception {
    Set<String> topics =
        admin
            .listTopics(new ListTopicsOptions().listInternal(true))
            .names()
            .get(CALL.toSeconds(), TimeUnit.SECONDS);
    Map<TopicPartition, Node> leaders = new HashMap<>();
    admin
        .describeTopics(topics)
        .allTopicNames()
        .get(CALL.toSeconds(), TimeUnit.SECONDS)
        .forEach(
            (name, description) -> {
              for (TopicPartitionInfo p : description.partitions()) {
                leaders.put(new TopicPartition(name, p.partition()), p.leader());
              }
            });
    List<Open> open = new ArrayList<>();
    admin
        .describeProducers(leaders.keySet())
        .all()
        .get(CALL.toSeconds(), TimeUnit.SECONDS)
        .forEach(
            (partition, state) -> {
              for (ProducerState producer : state.activeProducers()) {
                if (producer.currentTransactionStartOffset().isPresent()) {
                  open.add(
                      new Open(
                          partition,
                          leaders.get(partition),
                          producer.producerId(),
                          (short) producer.producerEpoch(),
                          producer.coordinatorEpoch().orElse(0)));
                }
              }
            });
    return open;
  }

  /** The coordinator's view of each producer with an open transaction. */
  private static Map<Long, Optional<Coordinator>> coordinators(Admin admin, Collection<Open> open)
      throws Exception {
    Set<Long> producers = new HashSet<>();
    open.forEach(o -> producers.add(o.producerId()));
    Collection<TransactionListing> listed =
        admin
            .listTransactions(new ListTransactionsOptions().filterProducerIds(producers))
            .all()
            .get(CALL.toSeconds(), TimeUnit.SECONDS);
    Map<Long, Optional<Coordinator>> result = new HashMap<>();
    producers.forEach(p -> result.put(p, Optional.empty()));
    Map<String, Long> ids = new HashMap<>();
    listed.forEach(l -> ids.put(l.transactionalId(), l.producerId()));
    if (ids.isEmpty()) {
      return result;
    }
    Map<String, TransactionDescription> described =
        admin.describeTransactions(ids.keySet()).all().get(CALL.toSeconds(), TimeUnit.SECONDS);
    described.forEach(
        (id, d) ->
            result.put(
                ids.get(id), Optional.of(new Coordinator(id, d.state(), d.producerEpoch()))));
    return result;
  }
}
