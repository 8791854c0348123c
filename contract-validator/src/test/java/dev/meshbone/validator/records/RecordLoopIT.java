package dev.meshbone.validator.records;

import java.util.Optional;

/** {@link RecordValidationIT}'s tests on the record loop ({@code record-path=loop}). */
class RecordLoopIT extends RecordValidationIT {
  @Override
  Optional<String> recordPath() {
    return Optional.of("loop");
  }
}
