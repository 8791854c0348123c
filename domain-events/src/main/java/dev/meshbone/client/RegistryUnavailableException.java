package dev.meshbone.client;

/**
 * The mesh registry could not be reached, or answered that it cannot serve now (503 while it starts
 * or rebalances, another 5xx), after the client's retries. Nothing is known to have changed, except
 * for a write whose answer was lost: calling again is safe, because every write the client sends
 * carries an id that makes a repeat harmless. Check that the registry runs at {@code
 * meshbone.client.registry-url}.
 */
public class RegistryUnavailableException extends MeshClientException {
  private static final long serialVersionUID = 1L;

  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean isRetriable() {
    return true;
  }
}
