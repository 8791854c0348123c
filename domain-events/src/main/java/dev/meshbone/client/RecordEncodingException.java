package dev.meshbone.client;

/**
 * A record could not be encoded with its own schema (a required field is null, a value has the
 * wrong type), or is not an Avro record at all. The record was not sent. A programming error on the
 * caller's side: fix the record.
 */
public class RecordEncodingException extends MeshClientException {
  private static final long serialVersionUID = 1L;

  public RecordEncodingException(String message, Throwable cause) {
    super(message, cause);
  }
}
