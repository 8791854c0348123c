package dev.meshbone.validator.control;

import dev.meshbone.events.ContractViolation;

/**
 * The outcome of a check: the event to pass on, or the violation that refuses it (exactly one is
 * set). Only lives between a processor and the split that routes it, never on a topic.
 */
record Checked<E>(E event, ContractViolation violation) {
  static <E> Checked<E> passed(E event) {
    return new Checked<>(event, null);
  }

  static <E> Checked<E> refused(ContractViolation violation) {
    return new Checked<>(null, violation);
  }

  boolean isRefused() {
    return violation != null;
  }
}
