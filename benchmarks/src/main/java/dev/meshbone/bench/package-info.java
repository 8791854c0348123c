/**
 * meshbone's benchmarks: JMH benchmarks of code paths ({@code *Benchmark} classes, run by {@code
 * java -jar benchmarks/target/benchmarks.jar <regex>}) and end-to-end harnesses against an embedded
 * broker (classes with a {@code main}). Results and the commands that give them are recorded in
 * BENCHMARKS.md; nothing here runs in the test suite.
 */
package dev.meshbone.bench;
