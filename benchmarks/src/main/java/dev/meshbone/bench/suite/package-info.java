/** The one-command benchmark suite ({@code bin/bench}) and its report, BENCHMARKS.md. */
package dev.meshbone.bench.suite;
