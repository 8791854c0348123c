package dev.meshbone.serde;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format of a Kafka key or value: magic byte {@code 0x00}, the schema id as a
 * 4-byte big-endian int, then the payload (Avro binary of the writer schema the id names).
 *
 * <p>Used by {@link KafkaAvroSerializer}/{@link KafkaAvroDeserializer}, and by anything that only
 * needs to look at the header (a validator routing by schema id reads the id without decoding the
 * payload). Every parse failure is a {@link WireFormatException} whose message says what is wrong,
 * so it can go straight into a dead-letter header or a log line.
 */
public final class ConfluentWireFormat {

  /** The first byte of every record in the Confluent format. */
  public static final byte MAGIC_BYTE = 0x0;

  /** Magic byte plus schema id: where the payload starts. */
  public static final int HEADER_SIZE = 5;

  private ConfluentWireFormat() {}

  /** A new 5-byte header for {@code schemaId}. */
  public static byte[] header(int schemaId) {
    byte[] header = new byte[HEADER_SIZE];
    writeHeader(schemaId, header, 0);
    return header;
  }

  /** Writes the 5-byte header for {@code schemaId} into {@code target} at {@code offset}. */
  public static void writeHeader(int schemaId, byte[] target, int offset) {
    if (offset < 0 || target.length - offset < HEADER_SIZE) {
      throw new IndexOutOfBoundsException(
          "no room for a " + HEADER_SIZE + "-byte header at " + offset + " of " + target.length);
    }
    target[offset] = MAGIC_BYTE;
    target[offset + 1] = (byte) (schemaId >>> 24);
    target[offset + 2] = (byte) (schemaId >>> 16);
    target[offset + 3] = (byte) (schemaId >>> 8);
    target[offset + 4] = (byte) schemaId;
  }

  /**
   * The schema id in the header of {@code data}; the payload starts at {@link #HEADER_SIZE}.
   *
   * @throws WireFormatException if {@code data} is null, empty, shorter than the header, or does
   *     not start with the magic byte
   */
  public static int schemaId(byte[] data) {
    if (data == null) {
      throw new WireFormatException("not the Confluent wire format: the value is null");
    }
    if (data.length == 0) {
      throw new WireFormatException(
          "not the Confluent wire format: the value is empty (0 bytes); expected the magic byte"
              + " 0x00 and a 4-byte schema id");
    }
    if (data[0] != MAGIC_BYTE) {
      throw new WireFormatException(wrongMagic(data[0], data.length > 1 ? data[1] : -1));
    }
    if (data.length < HEADER_SIZE) {
      throw new WireFormatException(tooShort(data.length));
    }
    return ((data[1] & 0xFF) << 24)
        | ((data[2] & 0xFF) << 16)
        | ((data[3] & 0xFF) << 8)
        | (data[4] & 0xFF);
  }

  /**
   * The schema id in the header at the buffer's position; the buffer's position is left unchanged.
   *
   * @throws WireFormatException as {@link #schemaId(byte[])}
   */
  public static int schemaId(ByteBuffer data) {
    if (data == null) {
      throw new WireFormatException("not the Confluent wire format: the value is null");
    }
    int position = data.position();
    int remaining = data.remaining();
    if (remaining == 0) {
      throw new WireFormatException(
          "not the Confluent wire format: the value is empty (0 bytes); expected the magic byte"
              + " 0x00 and a 4-byte schema id");
    }
    byte first = data.get(position);
    if (first != MAGIC_BYTE) {
      throw new WireFormatException(wrongMagic(first, remaining > 1 ? data.get(position + 1) : -1));
    }
    if (remaining < HEADER_SIZE) {
      throw new WireFormatException(tooShort(remaining));
    }
    return data.getInt(position + 1);
  }

  private static String tooShort(int length) {
    return "not the Confluent wire format: "
        + length
        + (length == 1 ? " byte" : " bytes")
        + ", shorter than the "
        + HEADER_SIZE
        + "-byte header (magic byte 0x00 and a 4-byte schema id)";
  }

  private static String wrongMagic(byte first, int second) {
    String hint = "";
    if (first == (byte) 0xC3 && second == 0x01) {
      hint = " (it looks like Avro single-object encoding, the format of the mesh's own topics)";
    } else if (first == '{' || first == '[' || first == '"') {
      hint = " (it looks like JSON)";
    }
    return String.format(
        "not the Confluent wire format: the first byte is 0x%02x, expected the magic byte 0x00%s",
        first & 0xFF, hint);
  }
}
