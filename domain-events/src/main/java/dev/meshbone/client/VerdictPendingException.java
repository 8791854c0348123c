package dev.meshbone.client;

/**
 * A product write was published but contract-validator's verdict did not come within {@code
 * meshbone.client.verdict-timeout} (the validator is down, restarting or far behind). The write is
 * not lost: it waits on the domain's control topic and will be decided when the validator runs.
 * Calling the same {@link MeshClient} method again with the same arguments is safe: a declaration
 * that already holds is not written twice. {@link #check()} is where the registry reports the
 * verdict later.
 */
public class VerdictPendingException extends MeshClientException {
  private static final long serialVersionUID = 1L;

  private final String productId;
  private final String eventId;
  private final String check;

  public VerdictPendingException(String productId, String eventId, String check, String message) {
    super(message);
    this.productId = productId;
    this.eventId = eventId;
    this.check = check;
  }

  public String productId() {
    return productId;
  }

  public String eventId() {
    return eventId;
  }

  /** The registry path that answers the verdict later: {@code /products/{id}/events/{eventId}}. */
  public String check() {
    return check;
  }

  @Override
  public boolean isRetriable() {
    return true;
  }
}
