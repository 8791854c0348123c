package dev.meshbone.client;

/**
 * The Kafka cluster could not be reached within {@code meshbone.client.broker-timeout} (or a record
 * was not acknowledged within {@code meshbone.client.delivery-timeout}), or a topic the call needs
 * did not appear in time. For a published record this means it may or may not have been written;
 * the idempotent producer never writes one send twice, but a new send of the same record is a new
 * record. Check {@code meshbone.client.bootstrap-servers} and the client's security settings.
 */
public class BrokerUnavailableException extends MeshClientException {
  private static final long serialVersionUID = 1L;

  public BrokerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean isRetriable() {
    return true;
  }
}
