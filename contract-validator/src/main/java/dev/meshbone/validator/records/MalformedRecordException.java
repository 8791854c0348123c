package dev.meshbone.validator.records;

/**
 * The bytes are not a complete encoding of the writer schema: truncated, an impossible varint, a
 * union or enum index out of range, a negative length... Thrown by the {@link AvroWalker} and
 * caught per record; it has no stack trace because it is an expected outcome, not a bug.
 */
final class MalformedRecordException extends RuntimeException {
  MalformedRecordException(String message) {
    super(message, null, false, false);
  }
}
