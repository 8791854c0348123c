package dev.meshbone.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshbone.events.ChangeType;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.Owner;
import dev.meshbone.events.ProductDescriptor;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class MeshEventSerdeTest {
  private final MeshEventSerde<DataProductEvent> serde = MeshEventSerde.of(DataProductEvent.class);

  private static DataProductEvent event() {
    return DataProductEvent.newBuilder()
        .setEventId("e-1")
        .setProductId("clinical-trials.enrollments")
        .setDomain("clinical-trials")
        .setType(ChangeType.CREATED)
        .setOccurredAt(Instant.ofEpochMilli(1_700_000_000_000L))
        .setDescriptor(
            ProductDescriptor.newBuilder()
                .setName("Trial enrollments")
                .setOwner(
                    Owner.newBuilder().setTeam("enrollment").setContact("enr@example.com").build())
                .setTags(List.of("trials", "pii"))
                .build())
        .build();
  }

  @Test
  void shouldRoundTripInSingleObjectEncoding() {
    byte[] bytes = serde.serialize("t", event());
    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    assertThat(serde.deserialize("t", bytes)).isEqualTo(event());
  }

  @Test
  void shouldKeepTombstonesAsNull() {
    assertThat(serde.serialize("t", null)).isNull();
    assertThat(serde.deserialize("t", null)).isNull();
  }

  @Test
  void shouldRefuseGarbageWithASerializationException() {
    assertThatThrownBy(() -> serde.deserialize("t", new byte[] {1, 2, 3}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("DataProductEvent");
    byte[] truncated = Arrays.copyOf(serde.serialize("t", event()), 14);
    assertThatThrownBy(() -> serde.deserialize("t", truncated))
        .isInstanceOf(SerializationException.class);
  }
}
