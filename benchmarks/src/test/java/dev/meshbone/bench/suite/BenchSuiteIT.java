package dev.meshbone.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the benchmark suite from rotting: {@code bin/bench --quick} runs every benchmark at a tiny
 * size. Asserts nothing about speed, only that every section completes and the report is whole.
 */
class BenchSuiteIT {
  @Test
  void shouldRunEveryBenchmarkAndWriteEverySection(@TempDir Path dir) throws Exception {
    // The local launcher from this build's class path, not a meshbone-local.jar of another build.
    System.setProperty("bench.local-launcher", "classpath");
    Path out = dir.resolve("BENCHMARKS.md");

    int status = BenchSuite.run("--quick", "--out", out.toString());

    String report = Files.readString(out);
    assertThat(status).as(report).isZero();
    assertThat(report)
        .contains("# Benchmarks", "## Machine and run", "## Summary", "--quick")
        .contains("| cores |", "| memory |", "| JDK |", "| OS |", "| git commit |")
        .contains("load average (1, 5, 15 min) at start", "load average (1, 5, 15 min) at end")
        .doesNotContain("FAILED", "n/a");
    for (String section : BenchSuite.SECTIONS) {
      assertThat(report).contains("Section `" + section + "`");
    }
    assertThat(report)
        .contains(
            "serialize specific, JMH wall time",
            "validator throughput vs pass-through",
            "ingest-to-product p99",
            "registration p99",
            "publish to registry-visible p50",
            "publish to notification p50",
            "lookup p99",
            "lookup p99, security on, Basic",
            "registration p99, security on, Basic",
            "onboarding, declare + register, 8 clients",
            "bulk onboarding, declare + register, 8 clients",
            "new product after 10: its first record, written to validated",
            "cold start to healthy",
            "Restart with existing data to healthy: not measured with `--quick`",
            "Not run by `--quick` without `--only`");
  }
}
