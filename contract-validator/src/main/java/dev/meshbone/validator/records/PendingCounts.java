package dev.meshbone.validator.records;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One product's counts in one stream task that are not yet sent to the statistics aggregation: the
 * value of {@link RecordValidation#PENDING_STATS_STORE}, written for every record so that the
 * counts commit in the same transaction as the records they count.
 *
 * <p>The encoding is small and cheap to write, as it is written once per record: a version byte,
 * valid count, last record and last valid record times, then each non-zero reason by name (names,
 * not ordinals, so a changelog written by another release reads back right).
 */
final class PendingCounts {
  private static final byte VERSION = 1;
  private static final RejectReason[] REASONS = RejectReason.values();
  private static final byte[][] NAMES = new byte[REASONS.length][];

  static {
    for (int i = 0; i < REASONS.length; i++) {
      NAMES[i] = REASONS[i].name().getBytes(StandardCharsets.US_ASCII);
    }
  }

  static final long NONE = Long.MIN_VALUE;

  long valid;
  final long[] invalid = new long[REASONS.length];
  long lastRecordAt = NONE;
  long lastValidAt = NONE;

  boolean isEmpty() {
    if (valid != 0 || lastRecordAt != NONE) {
      return false;
    }
    for (long n : invalid) {
      if (n != 0) {
        return false;
      }
    }
    return true;
  }

  void clear() {
    valid = 0;
    Arrays.fill(invalid, 0);
    lastRecordAt = NONE;
    lastValidAt = NONE;
  }

  byte[] encode() {
    int size = 1 + 3 * Long.BYTES + 1;
    int reasons = 0;
    for (int i = 0; i < invalid.length; i++) {
      if (invalid[i] != 0) {
        size += 1 + NAMES[i].length + Long.BYTES;
        reasons++;
      }
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(VERSION).putLong(valid).putLong(lastRecordAt).putLong(lastValidAt);
    out.put((byte) reasons);
    for (int i = 0; i < invalid.length; i++) {
      if (invalid[i] != 0) {
        out.put((byte) NAMES[i].length).put(NAMES[i]).putLong(invalid[i]);
      }
    }
    return out.array();
  }

  /** Adds what {@code bytes} (from {@link #encode()}) holds to these counts. */
  void addEncoded(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte version = in.get();
    if (version != VERSION) {
      throw new IllegalStateException("pending counts of an unknown version " + version);
    }
    valid += in.getLong();
    lastRecordAt = Math.max(lastRecordAt, in.getLong());
    lastValidAt = Math.max(lastValidAt, in.getLong());
    int reasons = in.get();
    for (int r = 0; r < reasons; r++) {
      byte[] name = new byte[in.get()];
      in.get(name);
      long n = in.getLong();
      // A reason this release does not know (written by a newer one) cannot be told apart here:
      // fail loudly rather than lose it.
      invalid[RejectReason.valueOf(new String(name, StandardCharsets.US_ASCII)).ordinal()] += n;
    }
  }

  static PendingCounts decode(byte[] bytes) {
    var counts = new PendingCounts();
    counts.addEncoded(bytes);
    return counts;
  }
}
