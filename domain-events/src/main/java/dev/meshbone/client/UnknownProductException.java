package dev.meshbone.client;

/**
 * The product is not in the mesh registry: never declared, misspelt, or declared so recently that
 * the registry has not read it yet. Declare it ({@link MeshClient#declare}) or check the id with
 * {@code GET /products?q=...}. Not retriable as such.
 */
public class UnknownProductException extends MeshClientException {
  private static final long serialVersionUID = 1L;

  private final String productId;

  public UnknownProductException(String productId, String message) {
    super(message);
    this.productId = productId;
  }

  public static UnknownProductException of(String productId, String whileDoing) {
    return new UnknownProductException(
        productId,
        "data product "
            + productId
            + " is not in the mesh registry, so it cannot "
            + whileDoing
            + ": declare it first (MeshClient.declare) or check the id (GET /products?q=...)");
  }

  public String productId() {
    return productId;
  }
}
