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
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;

/**
 * Finds and aborts the transactions a crash of the local mesh's one node left open on partitions
 * after their coordinator had finished them: <b>hanging transactions</b>. A hanging transaction
 * pins its partitions' last stable offset, so every {@code read_committed} reader of them (the
 * validator's record loop, Kafka Streams, downstream consumers) stops there for good, and a group
 * whose offsets were in it gets {@code UNSTABLE_OFFSET_COMMIT} until it ends.
 *
 * <p>Seen on this one-node broker (Kafka 4.3.1) after a SIGKILL of the whole mesh while a
 * transaction was committing: on the restart the coordinator finished the commit (its log says
 * {@code CompleteCommit}) but no marker reached the transaction's partitions, whose producer state
 * still shows it open. Kafka's own remedy is {@code kafka-transactions.sh find-hanging} and {@code
 * abort}, which this does before the services start, with the rule below instead of the tool's wait
 * of {@code transaction.max.timeout.ms}: nothing but the coordinator can be writing then.
 *
 * <p>The rule: a partition's open transaction hangs when its coordinator has none in progress for
 * that producer ({@code Empty}, {@code CompleteCommit}, {@code CompleteAbort}), has one that does
 * not include the partition, or no longer knows the producer at all. One it is still finishing
 * ({@code PrepareCommit}, {@code PrepareAbort}, {@code PrepareEpochFence}) is waited for: its
 * markers are on their way. Aborting writes an abort marker on that partition only, the records the
 * transaction wrote there are skipped by {@code read_committed} readers, and an exactly-once
 * application reads its input again from the offsets it committed before.
 */
final class HangingTransactions {
  private static final Duration CALL = Duration.ofSeconds(30);

  /** One open transaction on one partition, as the partition's producer state shows it. */
  record Open(TopicPartition partition, long producerId, short epoch, int coordinatorEpoch) {}

  /** What the coordinator says of a producer's transactional id, empty when it has none. */
  record Coordinator(TransactionState state, Set<TopicPartition> partitions) {}

  /** What {@link #classify} decides for an open transaction. */
  enum Verdict {
    /** Live: the coordinator has it in progress and will finish it. */
    LIVE,
    /** The coordinator is writing its markers now: look again. */
    FINISHING,
    /** Its coordinator is done with it: abort it. */
    HANGING
  }

  private HangingTransactions() {}

  /**
   * Aborts every hanging transaction on this broker's partitions, looking again while a coordinator
   * is still loading or finishing one (at most {@code within}); returns what it aborted, one line a
   * partition.
   */
  static List<String> abortAll(Admin admin, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    List<String> aborted = new ArrayList<>();
    while (true) {
      boolean again = false;
      try {
        List<Open> open = openTransactions(admin);
        if (open.isEmpty()) {
          return aborted;
        }
        Map<Long, Optional<Coordinator>> coordinators = coordinators(admin, open);
        for (Open o : open) {
          switch (classify(o, coordinators.get(o.producerId()))) {
            case HANGING -> {
              admin
                  .abortTransaction(
                      new AbortTransactionSpec(
                          o.partition(), o.producerId(), o.epoch(), o.coordinatorEpoch()))
                  .all()
                  .get(CALL.toSeconds(), TimeUnit.SECONDS);
              aborted.add(o.partition() + ": producer " + o.producerId() + " epoch " + o.epoch());
            }
            case FINISHING -> again = true;
            case LIVE -> {}
          }
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof CoordinatorLoadInProgressException)) {
          throw e;
        }
        again = true;
      }
      if (!again) {
        return aborted;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "transactions still being finished by their coordinator after " + within);
      }
      Thread.sleep(200);
    }
  }

  /** The rule of the class comment, for one open transaction. */
  static Verdict classify(Open open, Optional<Coordinator> coordinator) {
    if (coordinator == null || coordinator.isEmpty()) {
      return Verdict.HANGING;
    }
    TransactionState state = coordinator.get().state();
    if (state == TransactionState.PREPARE_COMMIT
        || state == TransactionState.PREPARE_ABORT
        || state == TransactionState.PREPARE_EPOCH_FENCE) {
      return Verdict.FINISHING;
    }
    if (state == TransactionState.ONGOING) {
      return coordinator.get().partitions().contains(open.partition())
          ? Verdict.LIVE
          : Verdict.HANGING;
    }
    if (state == TransactionState.EMPTY
        || state == TransactionState.COMPLETE_COMMIT
        || state == TransactionState.COMPLETE_ABORT) {
      return Verdict.HANGING;
    }
    // A state this client does not know: leave it to the coordinator.
    return Verdict.LIVE;
  }

  /** Every partition's open transactions, internal topics included. */
  private static List<Open> openTransactions(Admin admin) throws Exception {
    Set<String> topics =
        admin
            .listTopics(new ListTopicsOptions().listInternal(true))
            .names()
            .get(CALL.toSeconds(), TimeUnit.SECONDS);
    List<TopicPartition> partitions = new ArrayList<>();
    admin
        .describeTopics(topics)
        .allTopicNames()
        .get(CALL.toSeconds(), TimeUnit.SECONDS)
        .forEach(
            (name, description) -> {
              for (TopicPartitionInfo p : description.partitions()) {
                partitions.add(new TopicPartition(name, p.partition()));
              }
            });
    List<Open> open = new ArrayList<>();
    admin
        .describeProducers(partitions)
        .all()
        .get(CALL.toSeconds(), TimeUnit.SECONDS)
        .forEach(
            (partition, state) -> {
              for (ProducerState producer : state.activeProducers()) {
                if (producer.currentTransactionStartOffset().isPresent()) {
                  open.add(
                      new Open(
                          partition,
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
            result.put(ids.get(id), Optional.of(new Coordinator(d.state(), d.topicPartitions()))));
    return result;
  }
}
