package dev.meshbone.client;

import java.util.List;

/**
 * What a candidate contract would do to a product's consumers, as the registry answers {@code POST
 * /products/{id}/impact}: Confluent's compatibility verdict at the subject's level, and the fields
 * APPROVED consumers declared they read that it would break. A registration that breaks one is
 * refused with 409 unless the owner overrides.
 *
 * @param compatible the Confluent verdict at the subject's level
 * @param reasons why not, one line each (empty when compatible)
 * @param breaks each declared field of an APPROVED consumer the candidate breaks
 * @param unaffected the APPROVED consumers whose declared fields it keeps
 * @param undeclared the APPROVED consumers that declared no fields (nothing can be said of them)
 */
public record ContractImpact(
    boolean compatible,
    List<String> reasons,
    List<FieldBreak> breaks,
    List<String> unaffected,
    List<String> undeclared) {
  public ContractImpact {
    reasons = List.copyOf(reasons);
    breaks = List.copyOf(breaks);
    unaffected = List.copyOf(unaffected);
    undeclared = List.copyOf(undeclared);
  }

  /** Whether the candidate would be registered: compatible, and no declared field breaks. */
  public boolean safe() {
    return compatible && breaks.isEmpty();
  }

  /**
   * One declared field that breaks.
   *
   * @param kind REMOVED, RENAMED_WITHOUT_ALIAS or TYPE_CHANGED
   */
  public record FieldBreak(String consumer, String field, String kind, String reason) {}
}
