package dev.meshbone.validator.records;

import dev.meshbone.topics.DlqHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A refused record as it goes to its dead-letter topic: the record's own headers (less any {@code
 * meshbone.dlq.*} ones it came with), then the reason, the check's message and where it failed, and
 * the source topic, partition and offset. A {@link RejectReason#TOO_LARGE} record is cut to fit;
 * the whole one stays at its source offset. Both record paths build their dead letters here.
 *
 * @param key the key, cut to half the limit if the record was too large
 * @param value the value, cut to fit if the record was too large
 * @param headers the dead letter's headers
 */
record DeadLetter(byte[] key, byte[] value, Headers headers) {

  /** The dead letter of the record at {@code topic}/{@code partition}/{@code offset}. */
  static DeadLetter of(
      byte[] key,
      byte[] value,
      Headers sourceHeaders,
      RejectReason reason,
      RecordValidator check,
      String topic,
      int partition,
      long offset,
      int maxRecordBytes) {
    Headers headers = new RecordHeaders(sourceHeaders.toArray());
    for (String name : DlqHeaders.ALL) {
      headers.remove(name);
    }
    add(headers, DlqHeaders.REASON, reason.name());
    add(headers, DlqHeaders.MESSAGE, check.message());
    add(headers, DlqHeaders.PART, check.part());
    if (check.rule() != null) {
      add(headers, DlqHeaders.RULE, check.rule());
      add(headers, DlqHeaders.FIELD, check.field());
    }
    if (check.schemaId() >= 0) {
      add(headers, DlqHeaders.SCHEMA_ID, Integer.toString(check.schemaId()));
    }
    add(headers, DlqHeaders.SUBJECT, check.subject());
    add(headers, DlqHeaders.SOURCE_TOPIC, topic);
    add(headers, DlqHeaders.SOURCE_PARTITION, Integer.toString(partition));
    add(headers, DlqHeaders.SOURCE_OFFSET, Long.toString(offset));

    if (reason == RejectReason.TOO_LARGE) {
      // Cut to fit the dead-letter topic; the full record stays at the source offset.
      add(headers, DlqHeaders.ORIGINAL_SIZE, Integer.toString(value.length));
      if (key != null && key.length > maxRecordBytes / 2) {
        key = Arrays.copyOf(key, maxRecordBytes / 2);
      }
      value = Arrays.copyOf(value, Math.max(0, maxRecordBytes - (key == null ? 0 : key.length)));
    }
    return new DeadLetter(key, value, headers);
  }

  private static void add(Headers headers, String name, String value) {
    if (value != null) {
      headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
  }
}
