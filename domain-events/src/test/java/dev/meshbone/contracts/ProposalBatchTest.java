package dev.meshbone.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProposalBatchTest {
  @Test
  void shouldGiveBackTheProposalsInOrder() {
    List<byte[]> proposals = List.of(new byte[] {1, 2, 3}, new byte[0], new byte[] {4});

    List<byte[]> decoded = ProposalBatch.decode(ProposalBatch.encode(proposals));

    assertThat(decoded).hasSize(3);
    assertThat(decoded.get(0)).containsExactly(1, 2, 3);
    assertThat(decoded.get(1)).isEmpty();
    assertThat(decoded.get(2)).containsExactly(4);
    assertThat(ProposalBatch.encode(proposals))
        .hasSize(4 + proposals.stream().mapToInt(ProposalBatch::cost).sum());
  }

  @Test
  void shouldRefuseWhatIsNotAWholeBatch() {
    byte[] batch = ProposalBatch.encode(List.of(new byte[] {1, 2, 3}));

    assertThatThrownBy(() -> ProposalBatch.decode(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProposalBatch.decode(java.util.Arrays.copyOf(batch, batch.length - 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProposalBatch.decode(java.util.Arrays.copyOf(batch, batch.length + 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProposalBatch.decode(new byte[] {0x7f, 0, 0, 0}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
