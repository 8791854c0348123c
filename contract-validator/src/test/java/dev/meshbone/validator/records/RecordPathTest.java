package dev.meshbone.validator.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code meshbone.validator.record-path}: the two names in any case, a clear refusal otherwise. */
class RecordPathTest {
  @Test
  void shouldReadBothPathsInAnyCase() {
    assertThat(RecordPath.parse("loop")).isEqualTo(RecordPath.LOOP);
    assertThat(RecordPath.parse(" Streams ")).isEqualTo(RecordPath.STREAMS);
    assertThat(RecordPath.DEFAULT).isEqualTo(RecordPath.LOOP);
  }

  @Test
  void shouldRefuseAnythingElseNamingTheSetting() {
    for (String garbage : new String[] {"", "kafka", "loop;streams", null}) {
      assertThatThrownBy(() -> RecordPath.parse(garbage))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("meshbone.validator.record-path must be loop or streams, not " + garbage);
    }
  }
}
