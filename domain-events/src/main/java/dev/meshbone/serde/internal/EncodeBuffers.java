package dev.meshbone.serde.internal;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * The output buffer and Avro {@link BinaryEncoder} of one thread, reused from record to record so
 * that encoding allocates only the returned {@code byte[]} (as plain Avro with a reused encoder). A
 * buffer that grew past 1 MiB for one large record is dropped after it, and one whose encoding
 * failed half-way (leaving bytes inside the encoder) is never reused.
 */
public final class EncodeBuffers {
  private static final int INITIAL = 512;
  private static final int MAX_KEPT = 1 << 20;
  private static final ThreadLocal<EncodeBuffers> LOCAL =
      ThreadLocal.withInitial(EncodeBuffers::new);

  public final Output out = new Output(INITIAL);
  public final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
  private boolean inUse;

  private EncodeBuffers() {}

  /**
   * This thread's buffers, emptied; a fresh pair if they are already in use further up the stack.
   */
  public static EncodeBuffers acquire() {
    EncodeBuffers buffers = LOCAL.get();
    if (buffers.inUse) {
      buffers = new EncodeBuffers();
    }
    buffers.inUse = true;
    buffers.out.reset();
    return buffers;
  }

  /** Gives the buffers back after a complete encoding. */
  public void release() {
    inUse = false;
    if (out.capacity() > MAX_KEPT && LOCAL.get() == this) {
      LOCAL.remove();
    }
  }

  /** Gives the buffers back after a failed encoding: they are not reused. */
  public void discard() {
    inUse = false;
    if (LOCAL.get() == this) {
      LOCAL.remove();
    }
  }
}
