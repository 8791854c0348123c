package dev.meshbone.client;

import java.time.Instant;

/**
 * Where a published record was written: the product's ingest topic, acknowledged by every in-sync
 * replica ({@code acks=all}). contract-validator then routes it to the product topic, or to the
 * dead-letter topic with the reason.
 *
 * @param productId the product
 * @param topic {@code <domain>.<product>.ingest}
 * @param partition the partition (chosen by the key)
 * @param offset the record's offset in it
 * @param timestamp the record's timestamp
 * @param schemaId the schema id in the record's header
 */
public record PublishResult(
    String productId, String topic, int partition, long offset, Instant timestamp, int schemaId) {}
