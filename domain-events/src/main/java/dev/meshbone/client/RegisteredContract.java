package dev.meshbone.client;

/**
 * A contract version the registry accepted.
 *
 * @param productId the product
 * @param subject the registry subject, {@code <domain>.<product>-value}
 * @param schemaId the registry-wide schema id written in every record's header
 * @param version the version under the subject (1, 2, ...)
 * @param newVersion false when the same schema (and rules) were already the subject's, and
 *     registering changed nothing
 */
public record RegisteredContract(
    String productId, String subject, int schemaId, int version, boolean newVersion) {}
