package dev.meshbone.client.internal;

import dev.meshbone.client.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Dead-letter records as the SDK hands them out: the refused bytes and the headers
 * contract-validator adds ({@code mesh.dlq.*}, UTF-8 text; the names contract-validator's record
 * validation writes).
 */
public final class DeadLetters {
  static final String REASON = "mesh.dlq.reason";
  static final String MESSAGE = "mesh.dlq.message";
  static final String RULE = "mesh.dlq.rule";
  static final String FIELD = "mesh.dlq.field";
  static final String SOURCE_TOPIC = "mesh.dlq.source.topic";
  static final String SOURCE_PARTITION = "mesh.dlq.source.partition";
  static final String SOURCE_OFFSET = "mesh.dlq.source.offset";

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
        text(r, REASON, "UNKNOWN"),
        text(r, MESSAGE, "no reason recorded"),
        text(r, RULE, null),
        text(r, FIELD, null),
        text(r, SOURCE_TOPIC, null),
        (int) number(r, SOURCE_PARTITION),
        number(r, SOURCE_OFFSET),
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
