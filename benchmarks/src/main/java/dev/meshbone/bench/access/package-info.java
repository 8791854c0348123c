/** How fast Kafka access follows the mesh: approval to readable, revocation to denied. */
package dev.meshbone.bench.access;
