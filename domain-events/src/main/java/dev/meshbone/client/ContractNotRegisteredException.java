package dev.meshbone.client;

/**
 * A record's schema is not a registered version of its product's contract, so the record was not
 * sent: contract-validator would dead-letter it. Register the schema first ({@link
 * MeshClient#registerContract}); a producer never registers schemas on its own, so the contract
 * only changes when someone means it to.
 */
public class ContractNotRegisteredException extends MeshClientException {
  private static final long serialVersionUID = 1L;

  private final String productId;
  private final String subject;

  public ContractNotRegisteredException(
      String productId, String subject, String schemaName, Throwable cause) {
    super(
        "the schema of "
            + schemaName
            + " is not a registered version of the contract of "
            + productId
            + " (subject "
            + subject
            + "), so the record was not sent: register it first with"
            + " MeshClient.registerContract",
        cause);
    this.productId = productId;
    this.subject = subject;
  }

  public String productId() {
    return productId;
  }

  public String subject() {
    return subject;
  }
}
