package dev.meshbone.rules;

import java.util.List;

/**
 * A rule set that meshbone cannot accept: malformed JSON, a malformed mesh rule, or a rule that
 * does not fit the schema it is registered with. The message lists every problem found, each naming
 * the rule and what is wrong with it; {@link #problems()} gives them one by one (the registry
 * answers them as Confluent error 42201).
 */
public final class InvalidRuleException extends IllegalArgumentException {
  private final List<String> problems;

  public InvalidRuleException(List<String> problems) {
    super(
        problems.size() == 1
            ? problems.get(0)
            : problems.size() + " problems in the rule set: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public InvalidRuleException(String problem) {
    this(List.of(problem));
  }

  /** Each problem, one sentence each. */
  public List<String> problems() {
    return problems;
  }
}
