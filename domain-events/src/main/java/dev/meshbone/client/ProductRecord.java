package dev.meshbone.client;

import java.time.Instant;

/**
 * One validated record of a product, as a subscriber reads it.
 *
 * @param productId the product
 * @param key the producer's key, or null
 * @param value the record, read into the consumer's type (a generated class or a GenericRecord)
 * @param partition the partition of the product topic
 * @param offset its offset
 * @param timestamp the producer's timestamp
 * @param schemaId the id of the contract version it was written with
 */
public record ProductRecord<V>(
    String productId,
    String key,
    V value,
    int partition,
    long offset,
    Instant timestamp,
    int schemaId) {}
