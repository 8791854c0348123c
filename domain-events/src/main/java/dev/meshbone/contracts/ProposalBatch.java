package dev.meshbone.contracts;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Many contract proposals in one record of {@code mesh.contracts.proposals}, marked by the header
 * {@value #HEADER}: the registry's bulk onboarding sends a batch's proposals this way so
 * contract-validator decides them all in one exactly-once transaction, in the batch's order, rather
 * than one transaction each (Kafka Streams commits after every record of a task when a commit takes
 * longer than the commit interval, so one record is one transaction under load).
 *
 * <p>The value: the number of proposals (a 4-byte big-endian int), then for each its length (4
 * bytes) and its bytes, each proposal encoded as a single proposal record's value is. A record
 * without the header is one proposal, as before.
 */
public final class ProposalBatch {
  /** The header that marks a batch; its value is the format version, {@code "1"}. */
  public static final String HEADER = "meshbone-proposal-batch";

  /** The format version written in {@link #HEADER}. */
  public static final byte[] VERSION = {'1'};

  /**
   * The largest batch value a writer makes, well under Kafka's default 1 MB record limit; a writer
   * splits bigger batches, and sends a proposal bigger than this alone.
   */
  public static final int MAX_BYTES = 512 * 1024;

  private ProposalBatch() {}

  /** The bytes of a batch of {@code proposals} (each an encoded proposal). */
  public static byte[] encode(List<byte[]> proposals) {
    int size = 4;
    for (byte[] p : proposals) {
      size += 4 + p.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.putInt(proposals.size());
    for (byte[] p : proposals) {
      out.putInt(p.length).put(p);
    }
    return out.array();
  }

  /** What one proposal adds to a batch's size. */
  public static int cost(byte[] proposal) {
    return 4 + proposal.length;
  }

  /**
   * The encoded proposals of a batch, in order.
   *
   * @throws IllegalArgumentException if {@code value} is not a whole batch
   */
  public static List<byte[]> decode(byte[] value) {
    if (value == null || value.length < 4) {
      throw new IllegalArgumentException("a proposal batch needs at least 4 bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(value);
    int count = in.getInt();
    if (count < 0 || count > (value.length - 4) / 4) {
      throw new IllegalArgumentException("a proposal batch cannot hold " + count + " proposals");
    }
    List<byte[]> proposals = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (in.remaining() < 4) {
        throw new IllegalArgumentException("proposal " + i + " of the batch is cut off");
      }
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        throw new IllegalArgumentException("proposal " + i + " of the batch is cut off");
      }
      byte[] p = new byte[length];
      in.get(p);
      proposals.add(p);
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(in.remaining() + " bytes after the batch's proposals");
    }
    return proposals;
  }
}
