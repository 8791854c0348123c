package dev.meshbone.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that are not a record in the Confluent wire format: empty, shorter than the 5-byte header,
 * a wrong magic byte, or a payload that does not decode completely under the schema its id names.
 * The message says which, so it can serve as a dead-letter reason as is.
 */
public class WireFormatException extends SerializationException {
  private static final long serialVersionUID = 1L;

  public WireFormatException(String message) {
    super(message);
  }

  public WireFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
