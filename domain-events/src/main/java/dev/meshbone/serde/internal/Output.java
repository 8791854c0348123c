package dev.meshbone.serde.internal;

import java.io.OutputStream;
import java.util.Arrays;

/** A growable byte buffer without {@code ByteArrayOutputStream}'s locks, reused per thread. */
public final class Output extends OutputStream {
  private byte[] buf;
  private int count;

  public Output(int capacity) {
    buf = new byte[capacity];
  }

  @Override
  public void write(int b) {
    ensure(count + 1);
    buf[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    ensure(count + len);
    System.arraycopy(b, off, buf, count, len);
    count += len;
  }

  private void ensure(int needed) {
    if (needed > buf.length) {
      if (needed < 0) {
        throw new OutOfMemoryError("record larger than 2 GB");
      }
      buf = Arrays.copyOf(buf, Math.max(needed, buf.length << 1));
    }
  }

  public void reset() {
    count = 0;
  }

  public int size() {
    return count;
  }

  public int capacity() {
    return buf.length;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, count);
  }
}
