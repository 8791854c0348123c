package dev.meshbone.client;

/**
 * One reason contract-validator gave for refusing a product write.
 *
 * @param code a stable code such as {@code MISSING_OWNER}, {@code INVALID_SLO}, {@code
 *     SUNSET_NOT_IN_FUTURE} (docs/control-events.md lists them)
 * @param field the descriptor field at fault, e.g. {@code descriptor.slos.minPassRate}, or null
 * @param message what was wrong, in a sentence
 */
public record RefusalReason(String code, String field, String message) {
  @Override
  public String toString() {
    return code + (field == null ? "" : " (" + field + ")") + ": " + message;
  }
}
