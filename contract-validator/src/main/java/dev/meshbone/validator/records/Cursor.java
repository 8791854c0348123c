package dev.meshbone.validator.records;

import dev.meshbone.rules.DataRule;

/**
 * The position in one record's bytes while an {@link AvroWalker} checks it, and the first rule it
 * found broken. One per stream thread, reused for every record: checking a valid record allocates
 * nothing here.
 */
final class Cursor {
  /** Deepest nesting of recursive records before a record counts as malformed. */
  static final int MAX_DEPTH = 1_000;

  byte[] buf;
  int pos;
  int depth;

  /** The byte size an array or map block header declared, or -1 when it declared none. */
  long pendingBlockBytes;

  /** The first broken rule, or null. */
  DataRule violated;

  /** What was wrong, for the first broken rule. */
  String violation;

  void reset(byte[] buf, int pos) {
    this.buf = buf;
    this.pos = pos;
    this.depth = 0;
    this.violated = null;
    this.violation = null;
  }

  /** Records a broken rule unless an earlier one was found: the first one is reported. */
  void violate(DataRule rule, String message) {
    if (violated == null) {
      violated = rule;
      violation = message;
    }
  }

  MalformedRecordException malformed(String what) {
    return new MalformedRecordException(what + " at byte " + pos);
  }

  MalformedRecordException truncated(long needed) {
    return new MalformedRecordException(
        "the record ends early: "
            + needed
            + " more byte(s) needed at byte "
            + pos
            + " of "
            + buf.length);
  }

  /** Reads an Avro int (zig-zag varint of at most 5 bytes). */
  int readInt() {
    byte[] b = buf;
    int p = pos;
    if (p >= b.length) {
      throw truncated(1);
    }
    int x = b[p++];
    if (x >= 0) {
      pos = p;
      return (x >>> 1) ^ -(x & 1);
    }
    int n = x & 0x7f;
    int shift = 7;
    while (true) {
      if (p >= b.length) {
        pos = p;
        throw truncated(1);
      }
      x = b[p++];
      n |= (x & 0x7f) << shift;
      if (x >= 0) {
        break;
      }
      shift += 7;
      if (shift >= 35) {
        pos = p;
        throw malformed("invalid int encoding (more than 5 bytes)");
      }
    }
    pos = p;
    return (n >>> 1) ^ -(n & 1);
  }

  /** Reads a union branch or enum symbol index: almost always one byte. */
  int readIndex() {
    int p = pos;
    if (p < buf.length) {
      int x = buf[p];
      if ((x & 0x81) == 0) {
        pos = p + 1;
        return x >>> 1;
      }
    }
    return readInt();
  }

  /** Reads an Avro long (zig-zag varint of at most 10 bytes). */
  long readLong() {
    byte[] b = buf;
    int p = pos;
    if (p >= b.length) {
      throw truncated(1);
    }
    long x = b[p++];
    if (x >= 0) {
      pos = p;
      return (x >>> 1) ^ -(x & 1);
    }
    long n = x & 0x7f;
    int shift = 7;
    while (true) {
      if (p >= b.length) {
        pos = p;
        throw truncated(1);
      }
      x = b[p++];
      n |= (x & 0x7fL) << shift;
      if (x >= 0) {
        break;
      }
      shift += 7;
      if (shift >= 70) {
        pos = p;
        throw malformed("invalid long encoding (more than 10 bytes)");
      }
    }
    pos = p;
    return (n >>> 1) ^ -(n & 1);
  }

  /** Skips a varint, checking only that it ends within its maximum length. */
  void skipVarint(int maxBytes) {
    byte[] b = buf;
    int p = pos;
    int end = Math.min(b.length, p + maxBytes);
    while (p < end) {
      if (b[p++] >= 0) {
        pos = p;
        return;
      }
    }
    pos = p;
    if (p >= b.length) {
      throw truncated(1);
    }
    throw malformed(
        maxBytes == 5 ? "invalid int encoding (more than 5 bytes)" : "invalid long encoding");
  }

  /** Reads the length of a string or bytes, checking it fits in what is left. */
  int readLength() {
    long len = readLong();
    if (len < 0) {
      throw malformed("negative length " + len);
    }
    if (len > buf.length - pos) {
      throw truncated(len - (buf.length - pos));
    }
    return (int) len;
  }

  void skip(int n) {
    if (n > buf.length - pos) {
      throw truncated(n - (buf.length - pos));
    }
    pos += n;
  }

  int remaining() {
    return buf.length - pos;
  }
}
