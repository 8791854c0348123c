package dev.meshbone.validator.records;

import java.util.Optional;

/**
 * {@link RecordValidationIT}'s tests on the record path in Kafka Streams ({@code
 * meshbone.validator.record-path=streams}); RecordValidationIT runs them on the default, the loop.
 */
class RecordValidationStreamsIT extends RecordValidationIT {
  @Override
  Optional<String> recordPath() {
    return Optional.of("streams");
  }
}
