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

  @Test
  void shouldReadRecordsWrittenWithAnEarlierSchemaKeptInTheHistory() throws Exception {
    // given a subscription written before it had declared fields (history/Subscription.1.avsc)
    org.apache.avro.Schema v1 = history(dev.meshbone.events.Subscription.class, 1);
    var old = new org.apache.avro.generic.GenericData.Record(v1);
    old.put("productId", "clinical-trials.enrollments");
    old.put("consumerDomain", "pharmacovigilance");
    old.put(
        "state",
        new org.apache.avro.generic.GenericData.EnumSymbol(
            v1.getField("state").schema(), "APPROVED"));
    old.put("requestedAt", 1L);
    old.put("updatedAt", 2L);
    byte[] bytes = encode(v1, old);

    // when today's serde reads it
    var sub = MeshEventSerde.of(dev.meshbone.events.Subscription.class).deserialize("t", bytes);

    // then the new field has its default
    assertThat(sub.getConsumerDomain()).isEqualTo("pharmacovigilance");
    assertThat(sub.getFields()).isEmpty();
  }

  @Test
  void shouldReadAProductHealthWrittenBeforeItCarriedIssueFigures() throws Exception {
    // given a health as quality-monitor wrote it before (history/ProductHealth.1.avsc)
    org.apache.avro.Schema v1 = history(dev.meshbone.events.ProductHealth.class, 1);
    var old = new org.apache.avro.generic.GenericData.Record(v1);
    old.put("productId", "supply-chain.batch-releases");
    old.put(
        "state",
        new org.apache.avro.generic.GenericData.EnumSymbol(
            v1.getField("state").schema(), "DEGRADED"));
    old.put("evaluatedAt", 1L);
    old.put("passRateByCheck", java.util.Map.of());
    old.put(
        "reasons",
        new org.apache.avro.generic.GenericData.Array<>(
            v1.getField("reasons").schema(), java.util.List.of()));
    byte[] bytes = encode(v1, old);

    // when today's serde reads it
    var health = MeshEventSerde.of(dev.meshbone.events.ProductHealth.class).deserialize("t", bytes);

    // then it has no issue figures
    assertThat(health.getState().name()).isEqualTo("DEGRADED");
    assertThat(health.getIssues()).isNull();
  }

  /** The earlier schema {@code history/<Name>.<n>.avsc} kept beside {@code type}. */
  private static org.apache.avro.Schema history(Class<?> type, int n) throws Exception {
    try (var in = type.getResourceAsStream("history/" + type.getSimpleName() + "." + n + ".avsc")) {
      return new org.apache.avro.Schema.Parser().parse(in);
    }
  }

  /** {@code record} as a writer of {@code schema} encoded it (single-object encoding). */
  private static byte[] encode(
      org.apache.avro.Schema schema, org.apache.avro.generic.GenericRecord record)
      throws Exception {
    var buffer =
        new org.apache.avro.message.BinaryMessageEncoder<org.apache.avro.generic.GenericRecord>(
                org.apache.avro.generic.GenericData.get(), schema)
            .encode(record);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }
}
