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

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
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
    System.out.printf(
        "%-22s %14s %14s %8s %16s%n",
        "pair", "plain ns/op", "serde ns/op", "ratio", "ratio p25-p75");
    for (Pair pair : pairs) {
      List<Double> plain = new ArrayList<>();
      List<Double> serde = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      for (int round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
        double p;
        double s;
        if (round % 2 == 0) {
          p = block(threads, pair.plain);
          s = block(threads, pair.serde);
        } else {
          s = block(threads, pair.serde);
          p = block(threads, pair.plain);
        }
        if (round >= WARM_UP_ROUNDS) {
          plain.add(p);
          serde.add(s);
          ratios.add(s / p);
        }
      }
      System.out.printf(
          "%-22s %14.1f %14.1f %8.3f %7.3f-%.3f%n",
          pair.name,
          percentile(plain, 50),
          percentile(serde, 50),
          percentile(ratios, 50),
          percentile(ratios, 25),
          percentile(ratios, 75));
    }
    bench.tearDown();
    if (sink == 42) {
      System.out.println();
    }
  }

  private static double block(ThreadMXBean threads, Callable<Object> op) throws Exception {
    long start = threads.getCurrentThreadCpuTime();
    long local = 0;
    for (int i = 0; i < OPS_PER_BLOCK; i++) {
      local += System.identityHashCode(op.call());
    }
    long cpu = threads.getCurrentThreadCpuTime() - start;
    sink += local;
    return (double) cpu / OPS_PER_BLOCK;
  }

  private static double percentile(List<Double> values, int percentile) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int index = (int) Math.round((sorted.length - 1) * percentile / 100.0);
    return sorted[index];
  }
}
