package dev.meshbone.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshbone.client.RefusalReason;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reasons out of the registry's answers: product refusals and compatibility messages. */
final class RefusalReasons {
  // Confluent's compatibility messages: {errorType:'X', description:'...', additionalInfo:'...'}.
  private static final Pattern PROBLEM =
      Pattern.compile("\\{errorType:'([A-Z_]+)', description:'(.*?)'(?=, additionalInfo:|\\})");
  private static final Pattern LEVEL = Pattern.compile("compatibility: '([A-Z_]+)'");
  private static final Pattern OLD_VERSION = Pattern.compile("\\{oldSchemaVersion: (\\d+)\\}");

  private RefusalReasons() {}

  static List<RefusalReason> of(JsonNode reasons) {
    List<RefusalReason> list = new ArrayList<>();
    if (reasons != null) {
      for (JsonNode r : reasons) {
        list.add(
            new RefusalReason(
                r.path("code").asText("UNKNOWN"),
                r.hasNonNull("field") ? r.get("field").asText() : null,
                r.path("message").asText("")));
      }
    }
    return list;
  }

  /**
   * The problems in compatibility messages (one message, or a list of them), each as {@code
   * ERROR_TYPE: description}, then the level and version they were checked against.
   */
  static List<String> compatibility(List<String> messages) {
    List<String> reasons = new ArrayList<>();
    String level = null;
    String oldVersion = null;
    for (String message : messages) {
      Matcher m = PROBLEM.matcher(message);
      while (m.find()) {
        reasons.add(m.group(1) + ": " + m.group(2));
      }
      Matcher l = LEVEL.matcher(message);
      if (l.find()) {
        level = l.group(1);
      }
      Matcher v = OLD_VERSION.matcher(message);
      if (v.find() && oldVersion == null) {
        oldVersion = v.group(1);
      }
    }
    if (reasons.isEmpty()) {
      messages.stream().filter(m -> !m.startsWith("{")).forEach(reasons::add);
    }
    if (level != null) {
      reasons.add(
          "checked under compatibility level "
              + level
              + (oldVersion == null ? "" : " against version " + oldVersion));
    }
    return reasons;
  }
}
