package dev.meshbone.validator.control;

import dev.meshbone.events.ViolationCode;
import dev.meshbone.events.ViolationReason;
import java.util.ArrayList;
import java.util.List;

/**
 * The reasons an event is refused, collected in the order the checks find them: every check runs,
 * so a producer learns everything wrong with an event at once, not one problem per attempt.
 */
final class Reasons {
  /** Producer-supplied text quoted in a message is cut here, so a violation stays small. */
  static final int MAX_QUOTED = 120;

  private final List<ViolationReason> reasons = new ArrayList<>();

  Reasons add(ViolationCode code, String field, String message) {
    reasons.add(
        ViolationReason.newBuilder().setCode(code).setField(field).setMessage(message).build());
    return this;
  }

  boolean isEmpty() {
    return reasons.isEmpty();
  }

  List<ViolationReason> list() {
    return List.copyOf(reasons);
  }

  /**
   * {@code text} in quotes, cut to {@value #MAX_QUOTED} characters with control characters
   * replaced, or {@code null} without quotes: for echoing what a producer sent.
   */
  static String quote(String text) {
    if (text == null) {
      return "null";
    }
    return "'" + cut(text, MAX_QUOTED) + "'";
  }

  /** {@code text} cut to {@code max} characters (marked with "..."), control characters as '?'. */
  static String cut(String text, int max) {
    if (text == null) {
      return null;
    }
    String shown = text.length() > max ? text.substring(0, max) + "..." : text;
    return shown.replaceAll("\\p{Cntrl}", "?");
  }

  static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }
}
