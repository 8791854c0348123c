package dev.meshbone.validator.control;

import dev.meshbone.topics.DomainTopics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Where a control event was published: the domain's control topic, partition and offset. A
 * violation names it so the producer can find the record it refers to.
 *
 * <p>Control events are repartitioned by product id before the stateful checks, and the record a
 * stateful processor sees comes from the validator's repartition topic, not the domain's; so the
 * intake puts its source into headers of its own ({@value #TOPIC_HEADER}, ...), which the stateful
 * processors read back. Headers of the same names sent by a producer are never trusted: the intake
 * replaces the record's headers with exactly these three.
 *
 * @param topic the domain's control topic
 * @param partition its partition
 * @param offset the record's offset there
 */
record Source(String topic, int partition, long offset) {
  static final String TOPIC_HEADER = "meshbone.source.topic";
  static final String PARTITION_HEADER = "meshbone.source.partition";
  static final String OFFSET_HEADER = "meshbone.source.offset";

  private static final Pattern[] CONTROL_PATTERNS = {
    DomainTopics.PRODUCT_EVENTS_PATTERN, DomainTopics.QUALITY_EVENTS_PATTERN
  };

  static Source of(RecordMetadata metadata) {
    return new Source(metadata.topic(), metadata.partition(), metadata.offset());
  }

  /**
   * The domain the topic's name gives, as written: {@code kafka} for {@code
   * kafka.mesh.product-events}, though {@code kafka} is reserved. Whether it is a valid domain is
   * {@link #hasValidDomain()}.
   */
  String domain() {
    for (Pattern pattern : CONTROL_PATTERNS) {
      Matcher m = pattern.matcher(topic);
      if (m.matches()) {
        return m.group(1);
      }
    }
    return topic;
  }

  /** Whether the topic belongs to a domain at all (the patterns also match reserved names). */
  boolean hasValidDomain() {
    return DomainTopics.domainOfControlTopic(topic).isPresent();
  }

  /** A violation id that is the same each time this record is refused, so consumers can dedupe. */
  String violationId() {
    return UUID.nameUUIDFromBytes(
            (topic + "/" + partition + "/" + offset).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /** Headers carrying this source, and nothing else. */
  Headers toHeaders() {
    var headers = new RecordHeaders();
    headers.add(TOPIC_HEADER, topic.getBytes(StandardCharsets.UTF_8));
    headers.add(PARTITION_HEADER, ByteBuffer.allocate(4).putInt(partition).array());
    headers.add(OFFSET_HEADER, ByteBuffer.allocate(8).putLong(offset).array());
    return headers;
  }

  /** The source in {@code headers}, if the intake put it there. */
  static Optional<Source> fromHeaders(Headers headers) {
    Header topic = headers.lastHeader(TOPIC_HEADER);
    Header partition = headers.lastHeader(PARTITION_HEADER);
    Header offset = headers.lastHeader(OFFSET_HEADER);
    if (topic == null
        || partition == null
        || offset == null
        || topic.value() == null
        || partition.value() == null
        || partition.value().length != 4
        || offset.value() == null
        || offset.value().length != 8) {
      return Optional.empty();
    }
    return Optional.of(
        new Source(
            new String(topic.value(), StandardCharsets.UTF_8),
            ByteBuffer.wrap(partition.value()).getInt(),
            ByteBuffer.wrap(offset.value()).getLong()));
  }
}
