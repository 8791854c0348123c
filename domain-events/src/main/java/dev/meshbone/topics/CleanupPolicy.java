package dev.meshbone.topics;

import java.util.Locale;

/** Kafka's {@code cleanup.policy}, restricted to the two the mesh uses. */
public enum CleanupPolicy {
  DELETE,
  COMPACT;

  /** The value of {@code cleanup.policy} as Kafka spells it. */
  public String configValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
