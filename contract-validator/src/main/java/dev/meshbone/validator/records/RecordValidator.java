package dev.meshbone.validator.records;

import dev.meshbone.topics.DlqHeaders;

/**
 * The check of one ingest record against its product's contracts, without Kafka Streams: the
 * Confluent wire format, the schema id against the product's subject, a complete decode with
 * nothing trailing, then the data rules; for the key too when the contract declares a key schema.
 *
 * <p>Not thread-safe: each stream thread has its own (it reuses one {@link Cursor}). After {@link
 * #check} returns a reason, the accessors describe the failure until the next check.
 */
final class RecordValidator {
  private final ContractCatalog catalog;
  private final int maxRecordBytes;
  private final Cursor cursor = new Cursor();

  private String message;
  private String rule;
  private String field;
  private int schemaId;
  private String subject;
  private String part;

  RecordValidator(ContractCatalog catalog, int maxRecordBytes) {
    this.catalog = catalog;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** Checks one record; null when it is valid, else why not (see the accessors for details). */
  RejectReason check(byte[] key, byte[] value, ProductContracts contracts) {
    rule = null;
    field = null;
    schemaId = -1;
    subject = contracts.valueSubject();
    part = DlqHeaders.PART_VALUE;
    try {
      if (contracts.retired()) {
        return fail(
            RejectReason.PRODUCT_RETIRED, "the product is retired and takes no more records");
      }
      if (value == null) {
        return fail(RejectReason.NULL_VALUE, "the record has no value (null)");
      }
      long size = (long) value.length + (key == null ? 0 : key.length);
      if (size > maxRecordBytes) {
        return fail(
            RejectReason.TOO_LARGE,
            "key and value take "
                + size
                + " bytes, more than the "
                + maxRecordBytes
                + " a product record may have");
      }
      RejectReason reason = checkPart(value, contracts.valueSubject(), contracts.valueContracts());
      if (reason != null || contracts.keyContracts() == null) {
        return reason;
      }
      part = DlqHeaders.PART_KEY;
      subject = contracts.keySubject();
      schemaId = -1;
      if (key == null) {
        return fail(
            RejectReason.NULL_KEY,
            "the record has no key, but the contract declares a key schema under "
                + contracts.keySubject());
      }
      return checkPart(key, contracts.keySubject(), contracts.keyContracts());
    } catch (RuntimeException | StackOverflowError e) {
      // A bug or an input nobody foresaw must not stop the stream: the record is refused with the
      // cause, and the stream goes on.
      return fail(RejectReason.DECODE_FAILED, "the " + part + " could not be checked: " + e);
    }
  }

  private RejectReason checkPart(byte[] bytes, String subject, SubjectView contracts) {
    if (bytes.length < 5 || bytes[0] != 0) {
      return fail(
          RejectReason.NOT_CONFLUENT_FORMAT,
          "the "
              + part
              + " is not in the Confluent wire format (magic byte 0, then a 4-byte schema id): "
              + (bytes.length < 5
                  ? "it has only " + bytes.length + " byte(s)"
                  : String.format("its first byte is 0x%02x", bytes[0] & 0xff)));
    }
    int id =
        (bytes[1] & 0xff) << 24
            | (bytes[2] & 0xff) << 16
            | (bytes[3] & 0xff) << 8
            | bytes[4] & 0xff;
    schemaId = id;
    CompiledContract contract = contracts.active(id);
    if (contract == null) {
      if (contracts.isDeleted(id)) {
        return fail(
            RejectReason.SCHEMA_DELETED,
            "schema id "
                + id
                + " was deleted from subject "
                + subject
                + "; write with a current version");
      }
      String holder = catalog.subjectOf(id);
      if (holder == null) {
        return fail(
            RejectReason.UNKNOWN_SCHEMA_ID,
            "schema id " + id + " is not registered in the mesh's contracts");
      }
      return fail(
          RejectReason.SCHEMA_NOT_IN_SUBJECT,
          "schema id "
              + id
              + " is registered under "
              + holder
              + ", not under "
              + subject
              + (contracts.hasActive() ? "" : " (which has no contract version yet)"));
    }
    if (!contract.usable()) {
      return fail(RejectReason.CONTRACT_UNUSABLE, contract.problem());
    }
    Cursor c = cursor;
    c.reset(bytes, 5);
    try {
      contract.walker().walk(c);
    } catch (MalformedRecordException e) {
      return fail(
          RejectReason.DECODE_FAILED,
          "the "
              + part
              + " is not a valid encoding of "
              + subject
              + " version "
              + contract.version()
              + " (schema id "
              + id
              + "): "
              + e.getMessage());
    }
    if (c.pos != bytes.length) {
      return fail(
          RejectReason.TRAILING_BYTES,
          (bytes.length - c.pos)
              + " byte(s) follow the end of the "
              + part
              + " as schema id "
              + id
              + " describes it (it ends at byte "
              + c.pos
              + " of "
              + bytes.length
              + ")");
    }
    if (c.violated != null) {
      rule = c.violated.name();
      field = c.violated.field();
      return fail(RejectReason.RULE_VIOLATION, c.violation + " (rule " + c.violated.name() + ")");
    }
    return null;
  }

  private RejectReason fail(RejectReason reason, String message) {
    this.message = message;
    return reason;
  }

  /** One sentence saying what was wrong. */
  String message() {
    return message;
  }

  /** The broken rule's name, for a rule violation. */
  String rule() {
    return rule;
  }

  /** The broken rule's field path, for a rule violation. */
  String field() {
    return field;
  }

  /** The schema id the failing part named, or -1 when it named none. */
  int schemaId() {
    return schemaId;
  }

  /** The subject the failing part was checked against. */
  String subject() {
    return subject;
  }

  /** {@code value} or {@code key}. */
  String part() {
    return part;
  }
}
