/**
 * {@code bin/soak}: the mesh under a long steady load with faults on a schedule, and an account of
 * every record at the end.
 */
package dev.meshbone.bench.soak;
