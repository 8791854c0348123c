package dev.meshbone.client;

import java.util.List;

/**
 * contract-validator refused a product write (declare, update, deprecate, retire): the mesh's rules
 * do not allow it, and {@link #reasons()} says which, each with its code and field. Nothing
 * changed. Fix the declaration and call again; sending the same write again is refused again.
 */
public class ProductChangeRefusedException extends MeshClientException {
  private static final long serialVersionUID = 1L;

  private final String productId;
  private final String eventId;
  private final transient List<RefusalReason> reasons;

  public ProductChangeRefusedException(
      String productId, String eventId, String what, List<RefusalReason> reasons) {
    super(
        "contract-validator refused to "
            + what
            + " "
            + productId
            + ": "
            + (reasons.isEmpty()
                ? "no reason given"
                : String.join("; ", reasons.stream().map(RefusalReason::toString).toList()))
            + ". Nothing changed; fix the declaration and try again.");
    this.productId = productId;
    this.eventId = eventId;
    this.reasons = List.copyOf(reasons);
  }

  public String productId() {
    return productId;
  }

  /** The refused event's id (for {@code GET /products/{id}/events/{eventId}}). */
  public String eventId() {
    return eventId;
  }

  public List<RefusalReason> reasons() {
    return reasons;
  }
}
