package dev.meshbone.client;

/**
 * Something a {@link MeshClient} call could not do. Each subclass is one kind of failure with its
 * own remedy, and its message says what happened and what to do, in terms of the mesh (products,
 * contracts, domains) rather than HTTP or Kafka internals:
 *
 * <ul>
 *   <li>{@link UnknownProductException}: the product is not in the registry (declare it first, or
 *       check the id).
 *   <li>{@link ProductChangeRefusedException}: contract-validator refused a product write, with the
 *       reasons.
 *   <li>{@link ContractRefusedException}: the registry refused a contract (incompatible, invalid),
 *       with the reasons.
 *   <li>{@link ContractNotRegisteredException}: a record's schema is not a registered version of
 *       the product's contract.
 *   <li>{@link RecordEncodingException}: a record does not match its own schema.
 *   <li>{@link VerdictPendingException}: a write was made but its verdict did not come in time.
 *   <li>{@link MeshRequestException}: the registry refused the request itself (not allowed, in a
 *       state that forbids it, malformed).
 *   <li>{@link RegistryUnavailableException}, {@link BrokerUnavailableException}: the registry or
 *       the Kafka cluster could not be reached, after the retries the client makes.
 * </ul>
 *
 * <p>Unchecked, as Kafka's own client exceptions are. {@link #isRetriable()} says whether the same
 * call may succeed later without a change on the caller's side.
 */
public class MeshClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MeshClientException(String message) {
    super(message);
  }

  public MeshClientException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether calling again unchanged may succeed (the failure was the network or a timeout). */
  public boolean isRetriable() {
    return false;
  }
}
