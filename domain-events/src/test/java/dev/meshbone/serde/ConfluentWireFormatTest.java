package dev.meshbone.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ConfluentWireFormatTest {

  @Test
  void shouldWriteMagicByteAndBigEndianId() {
    byte[] header = ConfluentWireFormat.header(0x01020304);

    assertThat(header).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void shouldReadBackTheIdItWrote() {
    for (int id : new int[] {0, 1, 255, 256, 65_536, Integer.MAX_VALUE, -1}) {
      byte[] record = new byte[8];
      ConfluentWireFormat.writeHeader(id, record, 0);

      assertThat(ConfluentWireFormat.schemaId(record)).isEqualTo(id);
      assertThat(ConfluentWireFormat.schemaId(ByteBuffer.wrap(record))).isEqualTo(id);
    }
  }

  @Test
  void shouldAcceptAHeaderWithAnEmptyPayload() {
    assertThat(ConfluentWireFormat.schemaId(ConfluentWireFormat.header(7))).isEqualTo(7);
  }

  @Test
  void shouldReadTheHeaderAtTheBufferPositionWithoutMovingIt() {
    ByteBuffer buffer = ByteBuffer.allocate(12);
    buffer.position(3);
    buffer.put(ConfluentWireFormat.header(42));
    buffer.position(3);

    assertThat(ConfluentWireFormat.schemaId(buffer)).isEqualTo(42);
    assertThat(buffer.position()).isEqualTo(3);
  }

  @Test
  void shouldRefuseAnEmptyValue() {
    assertThatThrownBy(() -> ConfluentWireFormat.schemaId(new byte[0]))
        .isInstanceOf(WireFormatException.class)
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("empty (0 bytes)");
    assertThatThrownBy(() -> ConfluentWireFormat.schemaId(ByteBuffer.allocate(0)))
        .hasMessageContaining("empty (0 bytes)");
  }

  @Test
  void shouldRefuseAValueShorterThanTheHeader() {
    assertThatThrownBy(() -> ConfluentWireFormat.schemaId(new byte[] {0, 0, 1}))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("3 bytes, shorter than the 5-byte header");
    assertThatThrownBy(() -> ConfluentWireFormat.schemaId(new byte[] {0}))
        .hasMessageContaining("1 byte, shorter");
  }

  @Test
  void shouldRefuseAWrongMagicByte() {
    assertThatThrownBy(() -> ConfluentWireFormat.schemaId(new byte[] {1, 0, 0, 0, 1, 2}))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("first byte is 0x01, expected the magic byte 0x00");
  }

  @Test
  void shouldSayWhatAWrongFormatLooksLike() {
    assertThatThrownBy(
            () -> ConfluentWireFormat.schemaId("{\"id\": 1}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("0x7b")
        .hasMessageContaining("looks like JSON");
    assertThatThrownBy(
            () -> ConfluentWireFormat.schemaId(new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5}))
        .hasMessageContaining("single-object encoding");
  }

  @Test
  void shouldRefuseToWriteOutsideTheTarget() {
    assertThatThrownBy(() -> ConfluentWireFormat.writeHeader(1, new byte[6], 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
