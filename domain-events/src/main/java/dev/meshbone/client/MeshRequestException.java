package dev.meshbone.client;

/**
 * The registry refused the request itself: this domain may not do it ({@link #status()} 403, e.g.
 * changing another domain's product), the product's state forbids it (409, e.g. {@code
 * PRODUCT_RETIRED}), or the request is malformed (400). {@link #code()} is the registry's stable
 * code and the message its explanation. Not retriable unchanged.
 */
public class MeshRequestException extends MeshClientException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  public MeshRequestException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** The HTTP status of the registry's answer. */
  public int status() {
    return status;
  }

  /** The registry's error code, e.g. {@code FORBIDDEN}, {@code PRODUCT_RETIRED}. */
  public String code() {
    return code;
  }
}
