package dev.meshbone.serde;

import java.util.List;

/**
 * The registry's answer to a compatibility test ({@code POST /compatibility/subjects/{s}/versions/
 * {v}?verbose=true}).
 *
 * @param compatible {@code is_compatible}
 * @param messages what broke and where, when the registry says (empty when compatible)
 */
public record CompatibilityResult(boolean compatible, List<String> messages) {
  public CompatibilityResult {
    messages = List.copyOf(messages);
  }
}
