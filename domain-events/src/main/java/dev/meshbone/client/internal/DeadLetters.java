package dev.meshbone.client.internal;

import dev.meshbone.client.DeadLetter;
import dev.meshbone.topics.DlqHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Dead-letter records as the SDK hands them out: the refused bytes and the headers
 * contract-validator adds ({@link DlqHeaders}, UTF-8 text).
 */
public final class DeadLetters {
  private DeadLetters() {}

  /** A decoder of one product's dead letters; never fails on a record. */
  public static ProductConsumerImpl.Decoder<DeadLetter> decoder(String productId) {
    return r -> of(productId, r);
  }

  static DeadLetter of(String productId, ConsumerRecord<byte[], byte[]> r) {
    return new DeadLetter(
        productId,
        r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
        r.value(),
        text(r, DlqHeaders.REASON, "UNKNOWN"),
        text(r, DlqHeaders.MESSAGE, "no reason recorded"),
        text(r, DlqHeaders.RULE, null),
        text(r, DlqHeaders.FIELD, null),
        text(r, DlqHeaders.SOURCE_TOPIC, null),
        (int) number(r, DlqHeaders.SOURCE_PARTITION),
        number(r, DlqHeaders.SOURCE_OFFSET),
        Instant.ofEpochMilli(r.timestamp()));
  }

  private static String text(ConsumerRecord<byte[], byte[]> r, String name, String otherwise) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null
        ? otherwise
        : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static long number(ConsumerRecord<byte[], byte[]> r, String name) {
    String text = text(r, name, null);
    try {
      return text == null ? -1 : Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
