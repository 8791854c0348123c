package dev.meshbone.runtime.http;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The body of every error the mesh's HTTP APIs return (but the Confluent-compatible schema API,
 * which speaks Confluent's {@code error_code}): a stable machine code such as {@code
 * PRODUCT_NOT_FOUND} or {@code MALFORMED_JSON}, and a message a person can act on.
 */
@Serdeable
public record ApiError(String code, String message) {}
