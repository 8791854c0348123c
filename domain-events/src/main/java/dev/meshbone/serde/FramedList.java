package dev.meshbone.serde;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Several encoded values in one byte array: their count (a 4-byte big-endian int), then each one's
 * length (4 bytes) and bytes. Used where one Kafka record or store value carries a list of values
 * that each have their own serde (a batch of contract proposals, a product's health history).
 */
public final class FramedList {
  private FramedList() {}

  /** The bytes of {@code values}, in order. */
  public static byte[] encode(List<byte[]> values) {
    int size = 4;
    for (byte[] v : values) {
      size += cost(v);
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putInt(values.size());
    for (byte[] v : values) {
      out.putInt(v.length).put(v);
    }
    return out.array();
  }

  /** What one value adds to an encoded list's size. */
  public static int cost(byte[] value) {
    return 4 + value.length;
  }

  /**
   * The values of an encoded list, in order.
   *
   * @throws IllegalArgumentException if {@code bytes} is not exactly one whole list
   */
  public static List<byte[]> decode(byte[] bytes) {
    if (bytes == null || bytes.length < 4) {
      throw new IllegalArgumentException("a framed list needs at least 4 bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int count = in.getInt();
    if (count < 0 || count > (bytes.length - 4) / 4) {
      throw new IllegalArgumentException(
          "a framed list of this size cannot hold " + count + " values");
    }
    List<byte[]> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int length = in.remaining() < 4 ? -1 : in.getInt();
      if (length < 0 || length > in.remaining()) {
        throw new IllegalArgumentException("value " + i + " of the list is cut off");
      }
      byte[] v = new byte[length];
      in.get(v);
      values.add(v);
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(in.remaining() + " bytes after the list's values");
    }
    return values;
  }
}
