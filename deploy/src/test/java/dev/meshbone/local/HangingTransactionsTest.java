package dev.meshbone.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.local.HangingTransactions.Coordinator;
import dev.meshbone.local.HangingTransactions.Open;
import dev.meshbone.local.HangingTransactions.Verdict;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The rule that tells a hanging transaction from one its coordinator is still running. */
class HangingTransactionsTest {
  private static final TopicPartition OUT = new TopicPartition("trials.enrolments", 0);
  private static final TopicPartition OTHER = new TopicPartition("trials.enrolments", 1);
  private static final Open OPEN = new Open(OUT, 3, (short) 244, 2);

  private static Verdict with(TransactionState state, Set<TopicPartition> partitions) {
    return HangingTransactions.classify(OPEN, Optional.of(new Coordinator(state, partitions)));
  }

  @Test
  void shouldAbortWhatTheCoordinatorHasFinishedOrForgotten() {
    // The crash case seen: the coordinator wrote CompleteCommit, no marker reached the partition.
    assertThat(with(TransactionState.COMPLETE_COMMIT, Set.of())).isEqualTo(Verdict.HANGING);
    assertThat(with(TransactionState.COMPLETE_ABORT, Set.of())).isEqualTo(Verdict.HANGING);
    assertThat(with(TransactionState.EMPTY, Set.of())).isEqualTo(Verdict.HANGING);
    assertThat(HangingTransactions.classify(OPEN, Optional.empty())).isEqualTo(Verdict.HANGING);
    // In progress, but without this partition: no marker of it will ever come here.
    assertThat(with(TransactionState.ONGOING, Set.of(OTHER))).isEqualTo(Verdict.HANGING);
  }

  @Test
  void shouldLeaveAliveWhatTheCoordinatorStillRuns() {
    assertThat(with(TransactionState.ONGOING, Set.of(OUT, OTHER))).isEqualTo(Verdict.LIVE);
    assertThat(with(TransactionState.UNKNOWN, Set.of())).isEqualTo(Verdict.LIVE);
  }

  @Test
  void shouldWaitForTheMarkersOfATransactionBeingFinished() {
    assertThat(with(TransactionState.PREPARE_COMMIT, Set.of(OUT))).isEqualTo(Verdict.FINISHING);
    assertThat(with(TransactionState.PREPARE_ABORT, Set.of(OUT))).isEqualTo(Verdict.FINISHING);
    assertThat(with(TransactionState.PREPARE_EPOCH_FENCE, Set.of())).isEqualTo(Verdict.FINISHING);
  }
}
