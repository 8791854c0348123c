package dev.meshbone.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.quality.internal.StateSerdes;
import dev.meshbone.quality.state.MonitorState;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class StateSerdesTest {
  @Test
  void shouldReadAMonitorStateStoredBeforeItTrackedWaitingIssues() throws Exception {
    // given a product's state as the previous version stored it (history/MonitorState.1.avsc)
    Schema v1;
    try (var in = MonitorState.class.getResourceAsStream("history/MonitorState.1.avsc")) {
      v1 = new Schema.Parser().parse(in);
    }
    var slos = new GenericData.Record(v1.getField("slos").schema());
    var old = new GenericData.Record(v1);
    old.put("productId", "clinical-trials.enrollments");
    old.put("slos", slos);
    old.put("monitoredSince", 42L);
    old.put("slices", new GenericData.Array<>(v1.getField("slices").schema(), java.util.List.of()));
    old.put("recordCountsSeen", false);
    old.put("statsSeen", true);
    old.put("statsValid", 7L);
    old.put("statsInvalid", 1L);
    old.put("alerts", java.util.Map.of());
    var buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);

    // when today's store serde reads it
    MonitorState state = StateSerdes.monitorState().deserializer().deserialize("store", bytes);

    // then it is the same state, with no issue waiting
    assertThat(state.getProductId()).isEqualTo("clinical-trials.enrollments");
    assertThat(state.getStatsValid()).isEqualTo(7L);
    assertThat(state.getWaitingIssues()).isEmpty();
  }

  @Test
  void shouldReadAMonitorStateStoredBeforeItKeptIssueTimes() throws Exception {
    // given a product's state as the previous version stored it (history/MonitorState.2.avsc)
    Schema v2;
    try (var in = MonitorState.class.getResourceAsStream("history/MonitorState.2.avsc")) {
      v2 = new Schema.Parser().parse(in);
    }
    var old = new GenericData.Record(v2);
    old.put("productId", "supply-chain.batch-releases");
    old.put("slos", new GenericData.Record(v2.getField("slos").schema()));
    old.put("monitoredSince", 42L);
    old.put("slices", new GenericData.Array<>(v2.getField("slices").schema(), java.util.List.of()));
    old.put("recordCountsSeen", false);
    old.put("statsSeen", false);
    old.put("statsValid", 0L);
    old.put("statsInvalid", 0L);
    old.put("alerts", java.util.Map.of());
    var waiting = new GenericData.Record(v2.getField("waitingIssues").schema().getValueType());
    waiting.put("severity", "HIGH");
    waiting.put("since", 7L);
    old.put("waitingIssues", java.util.Map.of("a1b2c3d4e5f6", waiting));
    var buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2).encode(old);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);

    // when today's store serde reads it
    MonitorState state = StateSerdes.monitorState().deserializer().deserialize("store", bytes);

    // then the waiting issue is still there, and no issue times yet
    assertThat(state.getWaitingIssues()).containsOnlyKeys("a1b2c3d4e5f6");
    assertThat(state.getIssues()).isEmpty();
  }
}
