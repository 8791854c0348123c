package dev.meshbone.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FramedListTest {
  @Test
  void shouldGiveBackTheProposalsInOrder() {
    List<byte[]> proposals = List.of(new byte[] {1, 2, 3}, new byte[0], new byte[] {4});

    List<byte[]> decoded = FramedList.decode(FramedList.encode(proposals));

    assertThat(decoded).hasSize(3);
    assertThat(decoded.get(0)).containsExactly(1, 2, 3);
    assertThat(decoded.get(1)).isEmpty();
    assertThat(decoded.get(2)).containsExactly(4);
    assertThat(FramedList.encode(proposals))
        .hasSize(4 + proposals.stream().mapToInt(FramedList::cost).sum());
  }

  @Test
  void shouldRefuseWhatIsNotAWholeList() {
    byte[] list = FramedList.encode(List.of(new byte[] {1, 2, 3}));

    assertThatThrownBy(() -> FramedList.decode(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FramedList.decode(java.util.Arrays.copyOf(list, list.length - 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FramedList.decode(java.util.Arrays.copyOf(list, list.length + 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FramedList.decode(new byte[] {0x7f, 0, 0, 0}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
