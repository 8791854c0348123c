package dev.meshbone.validator.records;

import dev.meshbone.topics.MeshTopics;
import org.apache.kafka.streams.StreamsBuilder;

/**
 * The record-validation section of the validator's topology: every {@code
 * <domain>.<product>.ingest} topic in, each record to {@code <domain>.<product>} or its DLQ.
 *
 * <p>Not built yet (issue: contract-validator).
 */
public final class RecordValidation {
  private RecordValidation() {}

  /** Adds record validation to {@code builder}. */
  public static void addTo(StreamsBuilder builder, MeshTopics topics) {}
}
