package dev.meshbone.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.quality.internal.StateSerdes;
import dev.meshbone.quality.state.MonitorState;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/** Today's store serde reads every earlier layout of a product's state ({@code history/}). */
class StateSerdesTest {
  @Test
  void shouldReadAMonitorStateStoredBeforeItTrackedWaitingIssues() throws Exception {
    // given a product's state as the first version stored it (history/MonitorState.1.avsc)
    Schema v1 = history(1);
    var old = stored(v1, "clinical-trials.enrollments");
    old.put("statsSeen", true);
    old.put("statsValid", 7L);
    old.put("statsInvalid", 1L);

    // when today's store serde reads it
    MonitorState state = read(v1, old);

    // then it is the same state, with no issue waiting
    assertThat(state.getProductId()).isEqualTo("clinical-trials.enrollments");
    assertThat(state.getStatsValid()).isEqualTo(7L);
    assertThat(state.getWaitingIssues()).isEmpty();
  }

  @Test
  void shouldReadAMonitorStateStoredBeforeItKeptIssueTimes() throws Exception {
    // given a product's state as the second version stored it (history/MonitorState.2.avsc)
    Schema v2 = history(2);
    var old = stored(v2, "supply-chain.batch-releases");
    var waiting = new GenericData.Record(v2.getField("waitingIssues").schema().getValueType());
    waiting.put("severity", "HIGH");
    waiting.put("since", 7L);
    old.put("waitingIssues", Map.of("a1b2c3d4e5f6", waiting));

    // when today's store serde reads it
    MonitorState state = read(v2, old);

    // then the waiting issue is still there, and no issue times yet
    assertThat(state.getWaitingIssues()).containsOnlyKeys("a1b2c3d4e5f6");
    assertThat(state.getIssues()).isEmpty();
  }

  private static Schema history(int version) throws Exception {
    try (var in =
        MonitorState.class.getResourceAsStream("history/MonitorState." + version + ".avsc")) {
      return new Schema.Parser().parse(in);
    }
  }

  /** A state of {@code schema} with every field it requires, and nothing seen yet. */
  private static GenericData.Record stored(Schema schema, String productId) {
    var old = new GenericData.Record(schema);
    old.put("productId", productId);
    old.put("slos", new GenericData.Record(schema.getField("slos").schema()));
    old.put("monitoredSince", 42L);
    old.put("slices", new GenericData.Array<>(schema.getField("slices").schema(), List.of()));
    old.put("recordCountsSeen", false);
    old.put("statsSeen", false);
    old.put("statsValid", 0L);
    old.put("statsInvalid", 0L);
    old.put("alerts", Map.of());
    return old;
  }

  private static MonitorState read(Schema schema, GenericRecord old) throws Exception {
    var buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(old);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return StateSerdes.monitorState().deserializer().deserialize("store", bytes);
  }
}
