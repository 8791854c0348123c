package dev.meshbone.bench.suite;

import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs JMH benchmarks from the suite and hands back their scores. */
final class JmhRuns {
  private JmhRuns() {}

  /**
   * A benchmark method's score (average time, ns/op) and the half-width of JMH's 99.9% confidence
   * interval (NaN with too few iterations).
   */
  record Score(double nanos, double error) {}

  /**
   * Runs every benchmark of {@code type}: one fork each (none in quick mode: in this JVM), {@code
   * warmups} and {@code iterations} of {@code seconds}.
   */
  static Map<String, Score> run(Class<?> type, boolean quick) throws Exception {
    var options =
        new OptionsBuilder()
            .include("\\." + type.getSimpleName() + "\\.")
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT);
    if (quick) {
      options
          .forks(0)
          .warmupIterations(0)
          .measurementIterations(1)
          .measurementTime(TimeValue.milliseconds(100));
    } else {
      options
          .forks(1)
          .warmupIterations(2)
          .warmupTime(TimeValue.seconds(1))
          .measurementIterations(3)
          .measurementTime(TimeValue.seconds(1));
    }
    Map<String, Score> scores = new LinkedHashMap<>();
    for (RunResult r : new Runner(options.build()).run()) {
      String name = r.getParams().getBenchmark();
      var primary = r.getPrimaryResult();
      scores.put(
          name.substring(name.lastIndexOf('.') + 1),
          new Score(primary.getScore(), primary.getScoreError()));
    }
    return scores;
  }
}
