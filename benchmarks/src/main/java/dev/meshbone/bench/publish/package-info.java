/** Latency of a product change through the registry: until visible, until notified. */
package dev.meshbone.bench.publish;
