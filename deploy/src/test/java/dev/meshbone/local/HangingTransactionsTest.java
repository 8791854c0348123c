package dev.meshbone.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.local.HangingTransactions.Coordinator;
import dev.meshbone.local.HangingTransactions.Open;
import dev.meshbone.local.HangingTransactions.Verdict;
import java.util.Optional;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The rule that ends a hanging transaction as its coordinator decided, and leaves every other open
 * transaction alone.
 */
class HangingTransactionsTest {
  private static final TopicPartition OUT = new TopicPartition("trials.enrolments", 0);
  private static final Open OPEN = new Open(OUT, new Node(1, "localhost", 9092), 3, (short) 244, 2);

  private static Verdict with(TransactionState state, int epoch) {
    return HangingTransactions.classify(
        OPEN, Optional.of(new Coordinator("records-0", state, epoch)));
  }

  @Test
  void shouldEndATransactionItsCoordinatorFinishedAsTheCoordinatorDecided() {
    // The crash seen: the coordinator wrote CompleteCommit at the bumped epoch (transactions v2),
    // no marker reached the partition.
    assertThat(with(TransactionState.COMPLETE_COMMIT, 245)).isEqualTo(Verdict.COMMIT);
    assertThat(with(TransactionState.COMPLETE_ABORT, 245)).isEqualTo(Verdict.ABORT);
  }

  @Test
  void shouldLeaveWhatTheCoordinatorRunsFinishesOrDoesNotTell() {
    assertThat(with(TransactionState.ONGOING, 244)).isEqualTo(Verdict.WAIT);
    assertThat(with(TransactionState.PREPARE_COMMIT, 245)).isEqualTo(Verdict.WAIT);
    assertThat(with(TransactionState.PREPARE_ABORT, 245)).isEqualTo(Verdict.WAIT);
    assertThat(with(TransactionState.PREPARE_EPOCH_FENCE, 245)).isEqualTo(Verdict.WAIT);
    // Empty no longer says whether the transaction before it committed.
    assertThat(with(TransactionState.EMPTY, 245)).isEqualTo(Verdict.WAIT);
    // Another transaction of the producer: nothing is known of this one. (At the same epoch: a
    // later transaction's end under transactions v0/1.)
    assertThat(with(TransactionState.COMPLETE_COMMIT, 244)).isEqualTo(Verdict.WAIT);
    assertThat(with(TransactionState.COMPLETE_COMMIT, 250)).isEqualTo(Verdict.WAIT);
    assertThat(with(TransactionState.COMPLETE_COMMIT, 243)).isEqualTo(Verdict.WAIT);
    // Not loaded yet, or the producer is gone.
    assertThat(HangingTransactions.classify(OPEN, Optional.empty())).isEqualTo(Verdict.WAIT);
  }
}
