package dev.meshbone.bench.serde;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The {@link SerdeBenchmark} pairs measured in thread CPU time, interleaved: each round runs a
 * block of plain Avro operations and a block of serde operations of the same record back to back
 * (alternating which goes first) and records the serde/plain ratio of that round. Thread CPU time
 * and pairing keep the ratio meaningful on a machine other processes load (JMH measures wall time,
 * which on a busy 2-core machine mostly measures the others); the median over rounds is reported.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.meshbone.bench.serde.SerdeCpuTimeHarness [rounds]
 * </pre>
 */
public final class SerdeCpuTimeHarness {
  private static final int OPS_PER_BLOCK = 20_000;
  private static final int WARM_UP_ROUNDS = 15;
  private static long sink;

  private SerdeCpuTimeHarness() {}

  private record Pair(String name, Callable<Object> plain, Callable<Object> serde) {}

  /**
   * One pair's medians over the measured rounds, in CPU nanoseconds per operation.
   *
   * @param name the pair
   * @param plainNanos plain Avro, median
   * @param serdeNanos the serde, median
   * @param ratio median of the per-round serde/plain ratios
   * @param ratioP25 25th percentile of those ratios
   * @param ratioP75 75th percentile of those ratios
   * @param ratios every measured round's ratio
   */
  public record PairResult(
      String name,
      double plainNanos,
      double serdeNanos,
      double ratio,
      double ratioP25,
      double ratioP75,
      List<Double> ratios) {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    System.out.printf(
        "%-22s %14s %14s %8s %16s%n",
        "pair", "plain ns/op", "serde ns/op", "ratio", "ratio p25-p75");
    for (PairResult r : measure(rounds, WARM_UP_ROUNDS, OPS_PER_BLOCK)) {
      System.out.printf(
          "%-22s %14.1f %14.1f %8.3f %7.3f-%.3f%n",
          r.name(), r.plainNanos(), r.serdeNanos(), r.ratio(), r.ratioP25(), r.ratioP75());
    }
  }

  /**
   * Runs the four pairs ({@code warmUpRounds} discarded, then {@code rounds} measured), each round
   * a block of {@code opsPerBlock} plain operations and one of serde operations in thread CPU time.
   */
  public static List<PairResult> measure(int rounds, int warmUpRounds, int opsPerBlock)
      throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    var bench = new SerdeBenchmark();
    bench.setUp();
    List<Pair> pairs =
        List.of(
            new Pair(
                "serialize specific", bench::avroEncodeSpecific, bench::serdeSerializeSpecific),
            new Pair("serialize generic", bench::avroEncodeGeneric, bench::serdeSerializeGeneric),
            new Pair(
                "deserialize specific", bench::avroDecodeSpecific, bench::serdeDeserializeSpecific),
            new Pair(
                "deserialize generic", bench::avroDecodeGeneric, bench::serdeDeserializeGeneric));
    List<PairResult> results = new ArrayList<>();
    for (Pair pair : pairs) {
      List<Double> plain = new ArrayList<>();
      List<Double> serde = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      for (int round = 0; round < warmUpRounds + rounds; round++) {
        double p;
        double s;
        if (round % 2 == 0) {
          p = block(threads, pair.plain, opsPerBlock);
          s = block(threads, pair.serde, opsPerBlock);
        } else {
          s = block(threads, pair.serde, opsPerBlock);
          p = block(threads, pair.plain, opsPerBlock);
        }
        if (round >= warmUpRounds) {
          plain.add(p);
          serde.add(s);
          ratios.add(s / p);
        }
      }
      results.add(
          new PairResult(
              pair.name,
              percentile(plain, 50),
              percentile(serde, 50),
              percentile(ratios, 50),
              percentile(ratios, 25),
              percentile(ratios, 75),
              ratios));
    }
    bench.tearDown();
    if (sink == 42) {
      System.out.println();
    }
    return results;
  }

  private static double block(ThreadMXBean threads, Callable<Object> op, int ops) throws Exception {
    long start = threads.getCurrentThreadCpuTime();
    long local = 0;
    for (int i = 0; i < ops; i++) {
      local += System.identityHashCode(op.call());
    }
    long cpu = threads.getCurrentThreadCpuTime() - start;
    sink += local;
    return (double) cpu / ops;
  }

  private static double percentile(List<Double> values, int percentile) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int index = (int) Math.round((sorted.length - 1) * percentile / 100.0);
    return sorted[index];
  }
}
