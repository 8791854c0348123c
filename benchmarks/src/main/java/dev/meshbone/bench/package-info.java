/**
 * meshbone's benchmarks: JMH benchmarks of code paths ({@code *Benchmark} classes, run by {@code
 * java -jar benchmarks/target/benchmarks.jar <regex>}) and end-to-end harnesses against an embedded
 * broker (classes with a {@code main}). {@link dev.meshbone.bench.suite.BenchSuite} ({@code
 * bin/bench}) runs them all and writes BENCHMARKS.md; the test suite only runs its quick smoke run
 * ({@code BenchSuiteIT}), never asserting a speed.
 */
package dev.meshbone.bench;
