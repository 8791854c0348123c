package dev.meshbone.contracts;

/**
 * A contract that cannot be registered as given, with the Confluent error code that says why
 * ({@link RegistryErrors#INVALID_SCHEMA}, {@link RegistryErrors#INVALID_RULESET}...).
 */
public class InvalidContractException extends RuntimeException {
  private final int errorCode;

  public InvalidContractException(int errorCode, String message) {
    super(message);
    this.errorCode = errorCode;
  }

  public int errorCode() {
    return errorCode;
  }
}
