/**
 * The SDK's implementation: HTTP to the registry, the Kafka clients, the notification stream.
 * Public only so {@code dev.meshbone.client} can use it; not API, may change without notice.
 */
package dev.meshbone.client.internal;
