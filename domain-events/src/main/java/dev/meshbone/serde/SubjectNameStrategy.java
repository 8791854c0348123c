package dev.meshbone.serde;

import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * Which registry subject a record's schema is registered and looked up under, as Confluent's {@code
 * key.subject.name.strategy} / {@code value.subject.name.strategy}:
 *
 * <ul>
 *   <li>{@link #TOPIC_NAME} (the default): {@code <topic>-key} / {@code <topic>-value}, one schema
 *       line per topic.
 *   <li>{@link #RECORD_NAME}: the record's full name, so one record type may go to many topics.
 *   <li>{@link #TOPIC_RECORD_NAME}: {@code <topic>-<record full name>}, several record types per
 *       topic, each with its own line.
 * </ul>
 *
 * <p>Implementations must be stateless and thread-safe; the serde caches their answers per (topic,
 * schema).
 */
@FunctionalInterface
public interface SubjectNameStrategy {

  String subjectName(String topic, boolean isKey, Schema schema);

  SubjectNameStrategy TOPIC_NAME = (topic, isKey, schema) -> topic + (isKey ? "-key" : "-value");

  SubjectNameStrategy RECORD_NAME = (topic, isKey, schema) -> schema.getFullName();

  SubjectNameStrategy TOPIC_RECORD_NAME =
      (topic, isKey, schema) -> topic + "-" + schema.getFullName();

  /**
   * The strategy a setting names: Confluent's class names ({@code
   * io.confluent.kafka.serializers.subject.TopicNameStrategy}, {@code ...RecordNameStrategy},
   * {@code ...TopicRecordNameStrategy}), their short names, or the name (or {@code Class}) of a
   * class implementing this interface with a public no-argument constructor. Null means {@link
   * #TOPIC_NAME}.
   */
  static SubjectNameStrategy of(String setting, Object value) {
    if (value == null) {
      return TOPIC_NAME;
    }
    if (value instanceof SubjectNameStrategy strategy) {
      return strategy;
    }
    String name = value instanceof Class<?> c ? c.getName() : value.toString().trim();
    String simple = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    switch (simple) {
      case "", "topicnamestrategy", "topic_name", "topic-name" -> {
        return TOPIC_NAME;
      }
      case "recordnamestrategy", "record_name", "record-name" -> {
        return RECORD_NAME;
      }
      case "topicrecordnamestrategy", "topic_record_name", "topic-record-name" -> {
        return TOPIC_RECORD_NAME;
      }
      default -> {
        // A custom strategy of this project's kind.
      }
    }
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      Class<?> type =
          value instanceof Class<?> c
              ? c
              : Class.forName(
                  name, true, loader != null ? loader : SubjectNameStrategy.class.getClassLoader());
      if (!SubjectNameStrategy.class.isAssignableFrom(type)) {
        throw new ConfigException(
            setting,
            name,
            "not a subject name strategy: use TopicNameStrategy, RecordNameStrategy,"
                + " TopicRecordNameStrategy or a class implementing "
                + SubjectNameStrategy.class.getName());
      }
      return (SubjectNameStrategy) type.getConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new ConfigException(
          setting,
          name,
          "unknown subject name strategy: use TopicNameStrategy, RecordNameStrategy,"
              + " TopicRecordNameStrategy or a class implementing "
              + SubjectNameStrategy.class.getName()
              + " ("
              + e
              + ")");
    }
  }
}
