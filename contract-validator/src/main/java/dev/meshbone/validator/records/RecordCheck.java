package dev.meshbone.validator.records;

import dev.meshbone.topics.ProductId;

/**
 * The per-record check of record validation on its own, outside Kafka Streams: for benchmarks and
 * tools that want to know what the validator would say about some bytes. Not thread-safe; one per
 * thread.
 */
public final class RecordCheck {
  private final ContractCatalog catalog;
  private final ProductId product;
  private final RecordValidator validator;
  private long generation = -1;
  private ProductContracts contracts;

  private RecordCheck(ContractCatalog catalog, ProductId product, int maxRecordBytes) {
    this.catalog = catalog;
    this.product = product;
    this.validator = new RecordValidator(catalog, maxRecordBytes);
  }

  /** A check of {@code product}'s records against what {@code catalog} holds. */
  public static RecordCheck of(ContractCatalog catalog, ProductId product, int maxRecordBytes) {
    return new RecordCheck(catalog, product, maxRecordBytes);
  }

  /** Null when the record is valid, else the reason (see {@link #message()}). */
  public RejectReason check(byte[] key, byte[] value) {
    long g = catalog.generation();
    if (g != generation) {
      contracts = catalog.resolve(product);
      generation = g;
    }
    return validator.check(key, value, contracts);
  }

  /** What was wrong with the last record refused. */
  public String message() {
    return validator.message();
  }
}
