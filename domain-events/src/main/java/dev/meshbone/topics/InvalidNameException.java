package dev.meshbone.topics;

/**
 * A domain, product or product id that breaks the mesh's naming rules; the message names the rule.
 */
public final class InvalidNameException extends IllegalArgumentException {
  public InvalidNameException(String message) {
    super(message);
  }
}
