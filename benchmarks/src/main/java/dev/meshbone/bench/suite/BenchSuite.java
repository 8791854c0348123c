package dev.meshbone.bench.suite;

import dev.meshbone.bench.MeshApps;
import dev.meshbone.bench.Stats;
import dev.meshbone.bench.access.AccessLatencyBench;
import dev.meshbone.bench.contracts.ApicurioPeer;
import dev.meshbone.bench.contracts.ContractRegistryBench;
import dev.meshbone.bench.contracts.KafkaEcho;
import dev.meshbone.bench.local.ClusterRecoveryBench;
import dev.meshbone.bench.local.ColdStartBench;
import dev.meshbone.bench.local.ProductGrowthBench;
import dev.meshbone.bench.local.ServiceRestartBench;
import dev.meshbone.bench.publish.PublishLatencyBench;
import dev.meshbone.bench.publish.PublishLatencyBench.Stage;
import dev.meshbone.bench.registry.RegistryLookupHarness;
import dev.meshbone.bench.scale.ProductScaleBench;
import dev.meshbone.bench.security.SecurityBench;
import dev.meshbone.bench.serde.SerdeBenchmark;
import dev.meshbone.bench.serde.SerdeCpuTimeHarness;
import dev.meshbone.bench.validator.ChildBroker;
import dev.meshbone.bench.validator.RecordCheckBenchmark;
import dev.meshbone.bench.validator.ValidatorLatency;
import dev.meshbone.bench.validator.ValidatorThroughput;
import dev.meshbone.bench.validator.ValidatorThroughput.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The whole benchmark suite in one command ({@code bin/bench}): runs every benchmark in order
 * against one embedded broker (a child JVM), at sizes that fit the suite into about ten minutes on
 * a 2-core machine, each end-to-end figure the median of several runs with its baseline measured in
 * the same run, and writes the report ({@code BENCHMARKS.md} by default).
 *
 * <pre>
 * bin/bench [--quick] [--out FILE] [--only serde,record-check,...]
 * </pre>
 *
 * <p>{@code --quick} runs every benchmark at a tiny size (a smoke test of the suite, its figures
 * mean nothing); {@code --only} runs the named sections ({@link #SECTIONS}). Exits 1 when a section
 * failed (the report says which and why).
 */
public final class BenchSuite {
  /** The sections, in the order they run. */
  public static final List<String> SECTIONS =
      List.of(
          "serde",
          "record-check",
          "validator-throughput",
          "validator-latency",
          "contracts",
          "publish",
          "registry",
          "security",
          "access",
          "products",
          "local-mesh",
          "recovery");

  private final boolean quick;
  private final Set<String> only;

  /**
   * Whether the sections were named ({@code --only}): a quick run of every section (the test run's
   * {@code BenchSuiteIT}) leaves out what would cost it more start-ups of the whole mesh.
   */
  private final boolean named;

  private final Path out;

  /** {@code --products}, or null for the default counts (see {@link #products()}). */
  private final List<Integer> productCounts;

  private ChildBroker broker;
  private MeshApps apps;

  /** The local-mesh section's rounds, with a restart after SIGKILL when recovery runs too. */
  private ColdStartBench.Result meshRounds;

  private BenchSuite(
      boolean quick, Set<String> only, boolean named, Path out, List<Integer> productCounts) {
    this.quick = quick;
    this.named = named;
    this.productCounts = productCounts;
    this.only = only;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    int status = run(args);
    // Micronaut and Kafka leave non-daemon threads behind after their contexts close.
    System.exit(status);
  }

  /** Runs the suite with the command line's arguments; returns the exit status. */
  public static int run(String... args) throws Exception {
    boolean quick = false;
    Path out = Path.of("BENCHMARKS.md");
    Set<String> only = new LinkedHashSet<>(SECTIONS);
    boolean named = false;
    List<Integer> products = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--out" -> out = Path.of(args[++i]);
        case "--products" -> {
          try {
            products = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
          } catch (RuntimeException e) {
            System.err.println("--products takes counts, e.g. 10,100,1000");
            return 2;
          }
          if (products.stream().anyMatch(n -> n < 1)) {
            System.err.println("--products takes counts of at least 1");
            return 2;
          }
        }
        case "--only" -> {
          named = true;
          only = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
          for (String s : only) {
            if (!SECTIONS.contains(s)) {
              System.err.println("unknown section " + s + "; sections: " + SECTIONS);
              return 2;
            }
          }
        }
        case "--help", "-h" -> {
          System.out.println(
              "bin/bench [--quick] [--out FILE] [--products 10,100,1000] [--only "
                  + String.join(",", SECTIONS)
                  + "]");
          return 0;
        }
        default -> {
          System.err.println("unknown option " + args[i]);
          return 2;
        }
      }
    }
    return new BenchSuite(quick, only, named, out, products).run();
  }

  private int run() throws Exception {
    // The JDK HTTP server reads this once, when the first server of the JVM starts (the serde
    // benchmark's registry double): without it the registry benchmark's baseline server meets
    // delayed ACKs and waits 40 ms a request.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    var machine = Machine.now();
    long start = System.nanoTime();
    List<Section> sections = new ArrayList<>();
    try {
      for (String key : SECTIONS) {
        if (!only.contains(key)) {
          continue;
        }
        if (key.equals("local-mesh") || key.equals("recovery")) {
          // The local mesh brings its own broker: stop the suite's services and broker first so
          // they do not take CPU from its start-up.
          stopShared();
        }
        log("== " + key);
        String load = Machine.load();
        long t0 = System.nanoTime();
        Section section;
        try {
          section = section(key);
        } catch (Exception | Error e) {
          e.printStackTrace();
          section = new Section(key, key);
          section.failure = e.toString();
        }
        section.seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        section.loadAtStart = load;
        sections.add(section);
        log(String.format("== %s done in %d s", key, section.seconds));
      }
    } finally {
      stopShared();
    }
    long total = (System.nanoTime() - start) / 1_000_000_000L;
    String report = Report.markdown(machine.finish(), quick, total, sections);
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    Files.writeString(out, report);
    log("wrote " + out.toAbsolutePath() + " (" + total + " s)");
    return sections.stream().anyMatch(s -> s.failure != null) ? 1 : 0;
  }

  private Section section(String key) throws Exception {
    return switch (key) {
      case "serde" -> serde();
      case "record-check" -> recordCheck();
      case "validator-throughput" -> validatorThroughput();
      case "validator-latency" -> validatorLatency();
      case "contracts" -> contracts();
      case "publish" -> publish();
      case "registry" -> registry();
      case "security" -> security();
      case "access" -> access();
      case "products" -> products();
      case "local-mesh" -> localMesh();
      case "recovery" -> recovery();
      default -> throw new IllegalArgumentException(key);
    };
  }

  private void stopShared() throws Exception {
    if (apps != null) {
      apps.close();
      apps = null;
    }
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }

  private String bootstrap() throws Exception {
    if (broker == null) {
      broker = ChildBroker.start();
    }
    return broker.bootstrapServers();
  }

  private MeshApps apps() throws Exception {
    if (apps == null) {
      apps = MeshApps.start(bootstrap());
    }
    return apps;
  }

  private static void log(String line) {
    System.out.println(line);
    System.out.flush();
  }

  // Serde: JMH and interleaved thread CPU time.

  private Section serde() throws Exception {
    var s =
        new Section("serde", "Serde encode and decode against plain Avro")
            .how(
                "`SerdeBenchmark` (JMH, average time, "
                    + (quick
                        ? "in this JVM, one 100 ms iteration"
                        : "1 fork, 2 warm-up and 3" + " measured iterations of 1 s")
                    + "): a `DataProductEvent` with a full descriptor as a generated class and"
                    + " as a `GenericRecord`; plain Avro with a reused encoder, decoder and buffer"
                    + " against the Confluent-wire-format serde (`KafkaAvroSerializer` /"
                    + " `KafkaAvroDeserializer`, registry client cache warmed, no request during"
                    + " measurement). JMH measures wall time, which on a loaded shared machine"
                    + " also measures the other processes, so each pair is also run by"
                    + " `SerdeCpuTimeHarness`: blocks of plain and serde operations interleaved"
                    + " in thread CPU time, the ratio the median of the rounds' ratios.");
    Map<String, JmhRuns.Score> jmh = JmhRuns.run(SerdeBenchmark.class, quick);
    String[][] pairs = {
      {"serialize specific", "avroEncodeSpecific", "serdeSerializeSpecific"},
      {"serialize generic", "avroEncodeGeneric", "serdeSerializeGeneric"},
      {"deserialize specific", "avroDecodeSpecific", "serdeDeserializeSpecific"},
      {"deserialize generic", "avroDecodeGeneric", "serdeDeserializeGeneric"}
    };
    for (String[] p : pairs) {
      var plain = jmh.get(p[1]);
      var serde = jmh.get(p[2]);
      Figure f =
          Figure.of(
              p[0] + ", JMH wall time",
              serde.nanos(),
              "ns/op",
              List.of(),
              "plain Avro " + p[1],
              plain.nanos());
      s.figure(f.target("<= 1.2x the time", f.ratio() <= 1.2));
    }
    int rounds = quick ? 3 : 30;
    var cpu = SerdeCpuTimeHarness.measure(rounds, quick ? 1 : 15, quick ? 500 : 20_000);
    for (var r : cpu) {
      var f =
          new Figure(
              r.name() + ", thread CPU time",
              r.serdeNanos(),
              "ns/op",
              List.of(),
              "plain Avro, interleaved",
              r.plainNanos(),
              r.ratio(),
              "<= 1.2x the time",
              r.ratio() <= 1.2);
      s.figure(f);
    }
    s.detail("| JMH benchmark | ns/op | ± (99.9%) |").detail("| --- | --- | --- |");
    jmh.forEach(
        (name, score) ->
            s.detail(String.format("| %s | %.1f | %.1f |", name, score.nanos(), score.error())));
    s.detail("")
        .detail(
            "| thread CPU time pair | plain ns/op | serde ns/op | ratio, median of "
                + rounds
                + " rounds | p25-p75 |")
        .detail("| --- | --- | --- | --- | --- |");
    for (var r : cpu) {
      s.detail(
          String.format(
              "| %s | %.1f | %.1f | %.3f | %.3f-%.3f |",
              r.name(), r.plainNanos(), r.serdeNanos(), r.ratio(), r.ratioP25(), r.ratioP75()));
    }
    return s;
  }

  // The validator's check of one record (JMH).

  private Section recordCheck() throws Exception {
    var s =
        new Section("record-check", "Record check (contract-validator, JMH)")
            .how(
                "`RecordCheckBenchmark` (JMH, average time, "
                    + (quick
                        ? "in this JVM, one 100 ms iteration"
                        : "1 fork, 2 warm-up and 3" + " measured iterations of 1 s")
                    + "): a 195-byte order in the Confluent wire format with three data rules;"
                    + " meshbone's compiled walker (header, schema id, walk of the Avro binary,"
                    + " rules, nothing trailing) against the straightforward check (full decode"
                    + " with a reused `GenericDatumReader` and the same rules on the record).");
    var jmh = JmhRuns.run(RecordCheckBenchmark.class, quick);
    var walker = jmh.get("compiledWalker");
    var generic = jmh.get("genericDecodeAndRules");
    s.figure(
        Figure.of(
            "check of one record, compiled walker",
            walker.nanos(),
            "ns/record",
            List.of(),
            "full decode + rules on a GenericRecord",
            generic.nanos()));
    s.detail("| JMH benchmark | ns/op | ± (99.9%) |").detail("| --- | --- | --- |");
    jmh.forEach(
        (name, score) ->
            s.detail(String.format("| %s | %.1f | %.1f |", name, score.nanos(), score.error())));
    return s;
  }

  // Validator throughput and latency.

  private Section validatorThroughput() throws Exception {
    int records = quick ? 5_000 : 500_000;
    int rounds = quick ? 1 : 3;
    int warmup = quick ? 0 : 1;
    var s =
        new Section("validator-throughput", "Validator throughput")
            .how(
                String.format(
                    "`ValidatorThroughput`: %,d benchmark orders (about 200 B, 1%% breaking a"
                        + " rule) written once to an ingest topic of 2 partitions; each variant"
                        + " reads all of them and writes them to the product topic, exactly once"
                        + " (`exactly_once_v2`, `commit.interval.ms=20`, `poll.ms=10`,"
                        + " `max.task.idle.ms=-1`, 1 stream"
                        + " thread). VALIDATOR_LOOP is contract-validator's record path as the"
                        + " service runs it (`RecordLoop`, record-path=loop: a read_committed"
                        + " consumer and a transactional producer beside a Kafka Streams app that"
                        + " holds the contract catalog and sums the counts); VALIDATOR its record"
                        + " path in Kafka Streams (record-path=streams); PASS_THROUGH a Kafka"
                        + " Streams app of the same shape without the check; COPY_LOOP a"
                        + " hand-written read_committed consumer + transactional producer that"
                        + " copies. Rate = the last 90%% of the records over the"
                        + " time between the group's committed offsets passing 10%% and reaching"
                        + " the end. Variants in rotating order, %d warm-up round(s) dropped, the"
                        + " median of %d rounds.",
                    records, warmup, rounds));
    var opts =
        Map.of(
            "records", Integer.toString(records),
            "rounds", Integer.toString(rounds),
            "warmup", Integer.toString(warmup),
            "variants", "PASS_THROUGH,VALIDATOR,COPY_LOOP,VALIDATOR_LOOP");
    var r = ValidatorThroughput.measure(bootstrap(), opts, BenchSuite::log);
    // The goals are the service's: its record path is the loop (RecordPath.DEFAULT).
    double validator = r.medianRate(Variant.VALIDATOR_LOOP);
    double streamsPath = r.medianRate(Variant.VALIDATOR);
    double pass = r.medianRate(Variant.PASS_THROUGH);
    double copy = r.medianRate(Variant.COPY_LOOP);
    List<Double> vsPassRounds = r.pairedRatios(Variant.VALIDATOR_LOOP, Variant.PASS_THROUGH);
    double worstRound = vsPassRounds.stream().mapToDouble(x -> x).min().orElse(0);
    var vsPass =
        new Figure(
            "validator throughput vs pass-through of the same shape",
            validator,
            "records/s",
            r.rates().get(Variant.VALIDATOR_LOOP),
            "Kafka Streams pass-through, same shape and settings",
            pass,
            validator / pass,
            ">= 0.95, median and every round",
            validator / pass >= 0.95 && worstRound >= 0.95);
    var vsCopy =
        new Figure(
            "validator throughput vs transactional copy loop",
            validator,
            "records/s",
            r.rates().get(Variant.VALIDATOR_LOOP),
            "hand-written transactional copy loop",
            copy,
            validator / copy,
            ">= 0.7",
            validator / copy >= 0.7);
    var streamsVsCopy =
        Figure.of(
            "validator's record path in Kafka Streams (record-path=streams) vs copy loop",
            streamsPath,
            "records/s",
            r.rates().get(Variant.VALIDATOR),
            "hand-written transactional copy loop",
            copy);
    s.figure(vsPass).figure(vsCopy).figure(streamsVsCopy);
    s.detail("| variant | median records/s | CPU µs/record (harness JVM) | runs (records/s) |")
        .detail("| --- | --- | --- | --- |");
    for (Variant v : r.order()) {
      s.detail(
          String.format(
              "| %s | %,.0f | %.2f | %s |",
              v, r.medianRate(v), Stats.median(r.cpus().get(v)), join(r.rates().get(v), "%,.0f")));
    }
    s.detail("")
        .detail(
            String.format(
                "Median of per-round ratios: record loop / pass-through %.2f %s, record loop /"
                    + " copy loop %.2f %s, Streams path / copy loop %.2f %s, pass-through /"
                    + " copy loop %.2f.",
                Stats.median(vsPassRounds),
                join(vsPassRounds, "%.2f"),
                Stats.median(r.pairedRatios(Variant.VALIDATOR_LOOP, Variant.COPY_LOOP)),
                join(r.pairedRatios(Variant.VALIDATOR_LOOP, Variant.COPY_LOOP), "%.2f"),
                Stats.median(r.pairedRatios(Variant.VALIDATOR, Variant.COPY_LOOP)),
                join(r.pairedRatios(Variant.VALIDATOR, Variant.COPY_LOOP), "%.2f"),
                pass / copy));
    return s;
  }

  private Section validatorLatency() throws Exception {
    int rate = quick ? 500 : 5_000;
    int seconds = quick ? 2 : 8;
    int rounds = quick ? 1 : 3;
    var s =
        new Section("validator-latency", "Ingest-to-product latency at a fixed rate")
            .how(
                String.format(
                    "`ValidatorLatency`: a producer writes %,d orders/s (1%% breaking a rule,"
                        + " each stamped with its send time, `linger.ms=0`) to a fresh product's"
                        + " ingest topic (2 partitions); the app under test runs exactly once with"
                        + " the service's settings; a read_committed consumer of the product topic"
                        + " records now - record timestamp for every record sent after 3 s of"
                        + " warm-up, for %d s. The validator (its record loop, as the service runs it) and the pass-through of the same shape"
                        + " (the baseline) run in turn, %d round(s) each (the JIT is already warm"
                        + " from the throughput runs when the whole suite runs); figures are the"
                        + " median over rounds of each round's percentile.",
                    rate, seconds, rounds));
    var opts =
        Map.of(
            "rate",
            Integer.toString(rate),
            "seconds",
            Integer.toString(seconds),
            "warmup-seconds",
            quick ? "1" : "3",
            "rounds",
            Integer.toString(rounds),
            "warmup-rounds",
            "0",
            // The service's record path, the loop, against the pass-through.
            "variants",
            "VALIDATOR_LOOP,PASS_THROUGH");
    var runs = ValidatorLatency.measure(bootstrap(), opts, BenchSuite::log);
    var validator = runs.stream().filter(r -> r.app().equals("VALIDATOR_LOOP")).toList();
    var pass = runs.stream().filter(r -> r.app().equals("PASS_THROUGH")).toList();
    List<Double> vp50 = validator.stream().map(ValidatorLatency.Run::p50).toList();
    List<Double> vp99 = validator.stream().map(ValidatorLatency.Run::p99).toList();
    double pp50 = Stats.median(pass.stream().map(ValidatorLatency.Run::p50).toList());
    double pp99 = Stats.median(pass.stream().map(ValidatorLatency.Run::p99).toList());
    double p50 = Stats.median(vp50);
    double p99 = Stats.median(vp99);
    String baseline = "pass-through of the same shape, same settings";
    s.figure(
        Figure.of(
                "ingest-to-product p50 at " + rate + " records/s", p50, "ms", vp50, baseline, pp50)
            .target("p50 <= 25 ms", p50 <= 25));
    s.figure(
        Figure.of(
                "ingest-to-product p99 at " + rate + " records/s", p99, "ms", vp99, baseline, pp99)
            .target("p99 <= 60 ms", p99 <= 60));
    s.detail("| app | round | records | p50 ms | p90 ms | p99 ms | max ms |")
        .detail("| --- | --- | --- | --- | --- | --- | --- |");
    runs.forEach(r -> s.detail(r.row()));
    return s;
  }

  // Contract registration and the publish paths, through the real services.

  private Section contracts() throws Exception {
    int registrations = quick ? 5 : 100;
    int rounds = quick ? 1 : 3;
    // Both registries (and the echo) are measured warm: after 50 registrations meshbone's p50 was
    // still falling (51 -> 8 ms over its first 1,500, Apicurio's 13 -> 4), each JVM's JIT still
    // compiling the request path (docs/benchmarks-notes.md, "Warm-up").
    int warmup = quick ? 3 : 1_500;
    int readSeconds = quick ? 1 : 5;
    var s =
        new Section("contracts", "Contract registration latency")
            .how(
                String.format(
                    "`ContractRegistryBench` against contract-validator and mesh-registry in the"
                        + " suite's JVM (the broker in a child JVM): `POST"
                        + " /subjects/{subject}/versions` of a new schema under a new subject, one"
                        + " after the other as a Confluent client does, each a request/reply"
                        + " through Kafka (proposal, exactly-once decision, read-your-writes"
                        + " wait). %d warm-up registrations, then %d round(s) of %d; p50 and p99"
                        + " per round, the median over rounds. Baseline (`KafkaEcho`, same run):"
                        + " the floor of a request/reply through Kafka, a record written with"
                        + " acks=all, copied by an exactly-once Kafka Streams app with the"
                        + " validator's commit settings (20 ms, poll 10 ms) to a reply topic and"
                        + " read there by a read_committed consumer, one at a time, as many rounds"
                        + " of as many requests.",
                    warmup, rounds, registrations));
    var apps = apps();
    var result =
        ContractRegistryBench.measure(
            apps.registryUrl(),
            "suite" + System.currentTimeMillis() % 100_000,
            warmup,
            registrations,
            rounds,
            readSeconds,
            4);
    var echo = KafkaEcho.measure(apps.bootstrapServers(), warmup, registrations, rounds);
    List<Double> p50 = quantiles(result.registrations(), 50);
    List<Double> p99 = quantiles(result.registrations(), 99);
    List<Double> e50 = quantiles(echo, 50);
    List<Double> e99 = quantiles(echo, 99);
    String baseline = "exactly-once Kafka Streams echo (request/reply floor)";
    s.figure(
        Figure.of("registration p50", Stats.median(p50), "ms", p50, baseline, Stats.median(e50)));
    s.figure(
        Figure.of("registration p99", Stats.median(p99), "ms", p99, baseline, Stats.median(e99))
            .target("p99 <= 250 ms", Stats.median(p99) <= 250));
    s.detail("| round | registration p50 ms | p99 ms | max ms | echo p50 ms | echo p99 ms |")
        .detail("| --- | --- | --- | --- | --- | --- |");
    for (int i = 0; i < rounds; i++) {
      long[] reg = result.registrations().get(i);
      s.detail(
          String.format(
              "| %d | %.1f | %.1f | %.1f | %.1f | %.1f |",
              i, p50.get(i), p99.get(i), reg[reg.length - 1] / 1e6, e50.get(i), e99.get(i)));
    }
    s.detail("")
        .detail(
            String.format(
                "`GET /schemas/ids/{id}` afterwards, 4 closed-loop client threads for %d s over"
                    + " %d ids: %,.0f requests/s, p50 %.2f ms, p99 %.2f ms.",
                readSeconds,
                result.ids(),
                result.readsPerSecond(),
                result.readP50Millis(),
                result.readP99Millis()));
    readSetGate(s, apps);
    apicurio(s, warmup, registrations, rounds, readSeconds, p50, p99);
    return s;
  }

  /**
   * Apicurio Registry as the peer baseline of registration: the same registrations against its
   * Confluent-compatible API, after meshbone's services and broker are stopped (the two never run
   * at the same time; later sections start them again). Full run only.
   */
  private void apicurio(
      Section s,
      int warmup,
      int registrations,
      int rounds,
      int readSeconds,
      List<Double> p50,
      List<Double> p99)
      throws Exception {
    String peer = "Apicurio Registry " + ApicurioPeer.VERSION;
    if (quick) {
      String skip =
          peer + " baseline: full run only (a 151 MB download and a start), not with `--quick`.";
      log(skip);
      s.detail("").detail(skip);
      return;
    }
    var java = ApicurioPeer.java21();
    if (java.isEmpty()) {
      String skip =
          peer
              + " baseline: skipped, no Java 21 or newer (set JAVA21 or install one in"
              + " /usr/lib/jvm).";
      log(skip);
      s.detail("").detail(skip);
      return;
    }
    s.how(
        String.format(
            "Peer baseline: %s from its published artifact (`%s` from Maven Central, its"
                + " defaults: in-memory H2, no authentication) under %s, started after"
                + " meshbone's services and broker are stopped, so the two never run at the same"
                + " time: the same %d warm-up registrations, %d round(s) of %d and %d s of"
                + " lookups through its Confluent-compatible API (`/apis/ccompat/v7`).",
            peer,
            "io.apicurio:apicurio-registry-app:" + ApicurioPeer.VERSION + ":tar.gz:all",
            java.get().getParent().getParent().getFileName(),
            warmup,
            rounds,
            registrations,
            readSeconds));
    stopShared();
    Path work = Path.of("benchmarks", "target", "apicurio");
    Files.createDirectories(work);
    ContractRegistryBench.Result result;
    long t0 = System.nanoTime();
    try (var apicurio = ApicurioPeer.start(java.get(), work, BenchSuite::log)) {
      log(String.format("%s up in %d s", peer, (System.nanoTime() - t0) / 1_000_000_000L));
      result =
          ContractRegistryBench.measure(
              apicurio.url(), "peer", warmup, registrations, rounds, readSeconds, 4);
    }
    List<Double> a50 = quantiles(result.registrations(), 50);
    List<Double> a99 = quantiles(result.registrations(), 99);
    String baseline = peer + " (H2 in memory), same run";
    s.figure(
        Figure.of(
                "registration p50 vs peer",
                Stats.median(p50),
                "ms",
                p50,
                baseline,
                Stats.median(a50))
            .target("<= " + peer, Stats.median(p50) <= Stats.median(a50)));
    s.figure(
        Figure.of(
                "registration p99 vs peer",
                Stats.median(p99),
                "ms",
                p99,
                baseline,
                Stats.median(a99))
            .target("<= " + peer, Stats.median(p99) <= Stats.median(a99)));
    s.detail("")
        .detail("| round | " + peer + " registration p50 ms | p99 ms | max ms |")
        .detail("| --- | --- | --- | --- |");
    for (int i = 0; i < rounds; i++) {
      long[] reg = result.registrations().get(i);
      s.detail(
          String.format(
              "| %d | %.1f | %.1f | %.1f |", i, a50.get(i), a99.get(i), reg[reg.length - 1] / 1e6));
    }
    s.detail("")
        .detail(
            String.format(
                "%s `GET /schemas/ids/{id}`, 4 closed-loop client threads for %d s over %d ids:"
                    + " %,.0f requests/s, p50 %.2f ms, p99 %.2f ms.",
                peer,
                readSeconds,
                result.ids(),
                result.readsPerSecond(),
                result.readP50Millis(),
                result.readP99Millis()));
  }

  /** Consumers' declared read sets: the impact check and the registration gate they cost. */
  private void readSetGate(Section s, MeshApps apps) throws Exception {
    int consumers = quick ? 3 : 1_000;
    int warmup = quick ? 0 : 5;
    int calls = quick ? 2 : 30;
    int registrations = quick ? 1 : 20;
    int rounds = quick ? 1 : 3;
    s.how(
        String.format(
            "`ReadSetGateBench`, same services: three products with the same contract, one"
                + " with %,d APPROVED consumers each declaring the fields it reads (`id`,"
                + " `site.code`), one with as many APPROVED consumers that declare none, one with"
                + " no consumer. **Impact**: `POST /products/{id}/impact` one call"
                + " after the other, %d per round, a candidate adding an optional field (every"
                + " consumer unaffected) and one removing `site` (every consumer broken); the"
                + " baseline is the adding candidate on the product without consumers."
                + " **Registration with the gate**: `POST /subjects/{subject}/versions` of a"
                + " compatible new version, %d per round, taking the three products' subjects in"
                + " turn: under the first the proposal carries every read set and the validator"
                + " checks each declared field. The gate has no switch, so its baseline (\"off\")"
                + " is the second, nobody declared fields of but every subscriber is still"
                + " notified of the new version; the third (no subscriber) shows what the"
                + " notifications cost. %d warm-up calls of"
                + " each, %d round(s); p50 and p99 per round, the median over rounds.",
            consumers, calls, registrations, warmup, rounds));
    long started = System.nanoTime();
    var g =
        dev.meshbone.bench.contracts.ReadSetGateBench.measure(
            apps.registryUrl(),
            apps.bootstrapServers(),
            "gate" + System.currentTimeMillis() % 100_000,
            consumers,
            warmup,
            calls,
            registrations,
            rounds,
            BenchSuite::log);
    List<Double> none50 = quantiles(g.impactNone(), 50);
    List<Double> none99 = quantiles(g.impactNone(), 99);
    List<Double> all50 = quantiles(g.impactAll(), 50);
    List<Double> all99 = quantiles(g.impactAll(), 99);
    List<Double> base50 = quantiles(g.impactBaseline(), 50);
    List<Double> base99 = quantiles(g.impactBaseline(), 99);
    List<Double> on50 = quantiles(g.registerGated(), 50);
    List<Double> on99 = quantiles(g.registerGated(), 99);
    log(String.format("read-set gate: done in %.1f s", (System.nanoTime() - started) / 1e9));
    List<Double> off50 = quantiles(g.registerPlain(), 50);
    List<Double> off99 = quantiles(g.registerPlain(), 99);
    List<Double> bare50 = quantiles(g.registerFree(), 50);
    List<Double> bare99 = quantiles(g.registerFree(), 99);
    String noConsumers = "impact, product without consumers";
    String off = "registration, as many subscribers without read sets (gate off)";
    String n = String.format("%,d", consumers);
    s.figure(
        Figure.of(
            "impact p50, " + n + " consumers, none broken",
            Stats.median(none50),
            "ms",
            none50,
            noConsumers,
            Stats.median(base50)));
    s.figure(
        Figure.of(
            "impact p99, " + n + " consumers, none broken",
            Stats.median(none99),
            "ms",
            none99,
            noConsumers,
            Stats.median(base99)));
    s.figure(
        Figure.of(
            "impact p50, " + n + " consumers, all broken",
            Stats.median(all50),
            "ms",
            all50,
            noConsumers,
            Stats.median(base50)));
    s.figure(
        Figure.of(
            "registration p50, gate on (" + n + " read sets)",
            Stats.median(on50),
            "ms",
            on50,
            off,
            Stats.median(off50)));
    s.figure(
        Figure.of(
            "registration p99, gate on (" + n + " read sets)",
            Stats.median(on99),
            "ms",
            on99,
            off,
            Stats.median(off99)));
    s.detail("")
        .detail(
            "| round | impact none broken p50 / p99 ms | all broken ("
                + g.breaks()
                + " breaks) p50 / p99 ms | no consumers p50 / p99 ms | registration gate on"
                + " p50 / p99 ms | gate off p50 / p99 ms | no subscriber p50 / p99 ms |")
        .detail("| --- | --- | --- | --- | --- | --- | --- |");
    for (int i = 0; i < rounds; i++) {
      s.detail(
          String.format(
              "| %d | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f | %.1f / %.1f"
                  + " | %.1f / %.1f |",
              i,
              none50.get(i),
              none99.get(i),
              all50.get(i),
              all99.get(i),
              base50.get(i),
              base99.get(i),
              on50.get(i),
              on99.get(i),
              off50.get(i),
              off99.get(i),
              bare50.get(i),
              bare99.get(i)));
    }
  }

  private Section publish() throws Exception {
    int changes = quick ? 3 : 30;
    int rounds = quick ? 1 : 3;
    var s =
        new Section("publish", "Publish to registry-visible and to notification")
            .how(
                String.format(
                    "`PublishLatencyBench` against contract-validator and mesh-registry in the"
                        + " suite's JVM: an owner domain's `MeshClient` changes its product's"
                        + " description (`declare`: an UPDATED event through the registry's write"
                        + " API and contract-validator's verdict); a reader domain subscribed to"
                        + " the product listens with `MeshClient.notifications` (server-sent events"
                        + " from the registry). From the call to `declare`: **registry-visible** is"
                        + " when `GET /products/{id}` (polled every 1 ms on a kept-alive"
                        + " connection) first shows the change; **notification** when the reader's"
                        + " SDK listener gets the DESCRIPTOR_CHANGED notification of that event."
                        + " Baseline, same changes: when a plain read_committed consumer first"
                        + " reads the event on the owner's control topic (the change as a bare"
                        + " Kafka write and read). One change at a time, 20-70 ms apart; 5 warm-up"
                        + " changes, then %d round(s) of %d; p50 and the highest per round, the"
                        + " median over rounds. The registry commits every 100 ms and the validator"
                        + " every 20 ms (exactly-once): a reader sees a change only after both"
                        + " committed.",
                    rounds, changes));
    var result =
        PublishLatencyBench.measure(apps(), changes, rounds, quick ? 1 : 5, BenchSuite::log);
    String baseline = "plain consumer reads the event on the control topic";
    for (Stage stage : List.of(Stage.REGISTRY_VISIBLE, Stage.NOTIFIED)) {
      String what =
          stage == Stage.REGISTRY_VISIBLE
              ? "publish to registry-visible"
              : "publish to" + " notification";
      List<Double> p50 = result.stream().map(r -> r.p50(stage)).toList();
      List<Double> max = result.stream().map(r -> r.max(stage)).toList();
      s.figure(
          Figure.of(
              what + " p50",
              Stats.median(p50),
              "ms",
              p50,
              baseline,
              Stats.median(result.stream().map(r -> r.p50(Stage.CONTROL_TOPIC)).toList())));
      s.figure(
          Figure.of(
              what + ", highest of " + changes,
              Stats.median(max),
              "ms",
              max,
              baseline,
              Stats.median(result.stream().map(r -> r.max(Stage.CONTROL_TOPIC)).toList())));
    }
    s.detail("| stage (ms after calling declare) | p50 per round | highest per round |")
        .detail("| --- | --- | --- |");
    for (Stage stage : Stage.values()) {
      s.detail(
          String.format(
              "| %s | %s | %s |",
              stage.description,
              join(result.stream().map(r -> r.p50(stage)).toList(), "%.1f"),
              join(result.stream().map(r -> r.max(stage)).toList(), "%.1f")));
    }
    return s;
  }

  // What HTTP security costs.

  private Section security() throws Exception {
    int lookups = quick ? 200 : 2_000;
    int registrations = quick ? 5 : 50;
    int rounds = quick ? 1 : 3;
    var s =
        new Section("security", "HTTP security on against off")
            .how(
                String.format(
                    "`SecurityBench`: the suite's open mesh-registry beside a second one with"
                        + " security on (HTTP Basic against a users file, every request"
                        + " authenticated and checked against the access rules), same JVM, same"
                        + " topics, same contract-validator. %,d sequential `GET /products/{id}` on"
                        + " a keep-alive connection per variant and round (also as a user whose"
                        + " password is stored as a 310,000-iteration PBKDF2 hash: paid once, then"
                        + " remembered), and %d sequential `POST /subjects/{s}/versions` of new"
                        + " schemas; %d round(s), variants interleaved; the median over rounds.",
                    lookups, registrations, rounds));
    var apps = apps();
    var r =
        SecurityBench.measure(
            apps.bootstrapServers(), apps.registryUrl(), lookups, registrations, rounds);
    String off = "security off";
    for (String what : List.of("lookup", "registration")) {
      var results = what.equals("lookup") ? r.lookups() : r.registrations();
      for (double p : new double[] {50, 99}) {
        double base = Stats.median(quantiles(results.get(off), p));
        for (var variant : results.entrySet()) {
          if (variant.getKey().equals(off)) {
            continue;
          }
          List<Double> values = quantiles(variant.getValue(), p);
          s.figure(
              Figure.of(
                  String.format("%s p%.0f, %s", what, p, variant.getKey()),
                  Stats.median(values),
                  "ms",
                  values,
                  off + ", same run",
                  base));
        }
      }
    }
    s.detail("| variant | what | p50 ms by round | p99 ms by round |")
        .detail("| --- | --- | --- | --- |");
    for (String what : List.of("lookup", "registration")) {
      var results = what.equals("lookup") ? r.lookups() : r.registrations();
      results.forEach(
          (variant, runs) ->
              s.detail(
                  String.format(
                      "| %s | %s | %s | %s |",
                      variant,
                      what,
                      join(quantiles(runs, 50), "%.2f"),
                      join(quantiles(runs, 99), "%.2f"))));
    }
    return s;
  }

  // How fast Kafka access follows an approval or a revocation.

  private Section access() throws Exception {
    int cycles = quick ? 2 : 20;
    int rounds = quick ? 1 : 3;
    var s =
        new Section("access", "Approval to readable, revocation to denied (Kafka ACLs)")
            .how(
                String.format(
                    "`AccessLatencyBench`: a broker of its own in this JVM that takes only"
                        + " SASL/SCRAM-SHA-512 and authorizes with ACLs, mesh-registry on its own"
                        + " principal with the access reconciler on, HTTP Basic. A subscriber"
                        + " requests a subscription; from the owner's `POST"
                        + " .../subscriptions/{consumer}/approval` sent until the subscriber's"
                        + " consumer (polling every 2 ms) reads the product topic is **approval to"
                        + " readable**; from the owner's `DELETE .../subscriptions/{consumer}`"
                        + " sent until its poll is refused is **revocation to denied**. Baseline,"
                        + " same run: the broker's own part, `createAcls` / `deleteAcls` called"
                        + " directly until a second principal's reads are allowed / refused. 3"
                        + " warm-up cycles, then %d round(s) of %d cycles; p50 and the highest per"
                        + " round, the median over rounds.",
                    rounds, cycles));
    var result = AccessLatencyBench.measure(cycles, rounds, quick ? 1 : 3, BenchSuite::log);
    addAccess(
        s,
        "approval to readable",
        result.stream().map(AccessLatencyBench.Round::approvalToReadable).toList(),
        result.stream().map(AccessLatencyBench.Round::aclToReadable).toList(),
        "createAcls to readable",
        cycles);
    addAccess(
        s,
        "revocation to denied",
        result.stream().map(AccessLatencyBench.Round::revocationToDenied).toList(),
        result.stream().map(AccessLatencyBench.Round::aclDeletionToDenied).toList(),
        "deleteAcls to denied",
        cycles);
    s.detail(
            "| round | approval to readable p50 / highest (ms) | revocation to denied p50 /"
                + " highest (ms) | createAcls to readable p50 (ms) | deleteAcls to denied p50 (ms) |")
        .detail("| --- | --- | --- | --- | --- |");
    for (int i = 0; i < result.size(); i++) {
      var r = result.get(i);
      s.detail(
          String.format(
              "| %d | %.1f / %.1f | %.1f / %.1f | %.1f | %.1f |",
              i + 1,
              AccessLatencyBench.p50(r.approvalToReadable()),
              AccessLatencyBench.max(r.approvalToReadable()),
              AccessLatencyBench.p50(r.revocationToDenied()),
              AccessLatencyBench.max(r.revocationToDenied()),
              AccessLatencyBench.p50(r.aclToReadable()),
              AccessLatencyBench.p50(r.aclDeletionToDenied())));
    }
    return s;
  }

  private static void addAccess(
      Section s,
      String what,
      List<List<Double>> mesh,
      List<List<Double>> raw,
      String baseline,
      int cycles) {
    List<Double> p50 = mesh.stream().map(AccessLatencyBench::p50).toList();
    List<Double> max = mesh.stream().map(AccessLatencyBench::max).toList();
    s.figure(
        Figure.of(
            what + " p50",
            Stats.median(p50),
            "ms",
            p50,
            baseline,
            Stats.median(raw.stream().map(AccessLatencyBench::p50).toList())));
    s.figure(
        Figure.of(
            what + ", highest of " + cycles,
            Stats.median(max),
            "ms",
            max,
            baseline,
            Stats.median(raw.stream().map(AccessLatencyBench::max).toList())));
  }

  // The registry under load.

  private Section registry() throws Exception {
    int products = quick ? 300 : 100_000;
    int rate = quick ? 200 : 2_000;
    int seconds = quick ? 1 : 8;
    int rounds = quick ? 1 : 3;
    int historyChanges = quick ? 200 : 10_000;
    var s =
        new Section("registry", "Registry lookup latency and throughput under load")
            .how(
                String.format(
                    "`RegistryLookupHarness`, on a broker of its own: %,d products written to"
                        + " `mesh.products` (as the validator would); a fresh mesh-registry in the suite's JVM takes them"
                        + " in; then `GET /products/{id}` of random products at a fixed %,d"
                        + " requests/s for %d s (latency from when each request was due, so a stall"
                        + " counts against every request it delays), %d round(s), each after %d s"
                        + " of the same load against the baseline: a trivial JDK HTTP server in the"
                        + " same JVM answering every GET with a product-sized body; then the most"
                        + " requests/s 8 closed-loop callers get from each; then the registry is"
                        + " stopped, its state folder deleted and started again: the time until"
                        + " every product answers again, rebuilt from Kafka. Before that, one"
                        + " product gets %,d changes: its read as of its middle change and a"
                        + " history page of 100 from the middle, against its current read, 30"
                        + " of each, interleaved.",
                    products, rate, seconds, rounds, Math.max(1, seconds / 2), historyChanges));
    RegistryLookupHarness.Result r;
    // On a broker of its own: on the shared one, its products would be declared products to the
    // suite's contract-validator, which would spend the sections after this one creating topics
    // for every one of them.
    try (var own = ChildBroker.start()) {
      r =
          RegistryLookupHarness.measure(
              own.bootstrapServers(),
              Map.of(
                  "products", Integer.toString(products),
                  "rate", Integer.toString(rate),
                  "seconds", Integer.toString(seconds),
                  "rounds", Integer.toString(rounds),
                  "clients", "8",
                  "history-changes", Integer.toString(historyChanges)));
    }
    ToDoubleFunction<RegistryLookupHarness.FixedRate> p50 = RegistryLookupHarness.FixedRate::p50;
    ToDoubleFunction<RegistryLookupHarness.FixedRate> p99 = RegistryLookupHarness.FixedRate::p99;
    List<Double> reg50 = r.registryRuns().stream().map(x -> p50.applyAsDouble(x)).toList();
    List<Double> reg99 = r.registryRuns().stream().map(x -> p99.applyAsDouble(x)).toList();
    List<Double> base50 = r.baselineRuns().stream().map(x -> p50.applyAsDouble(x)).toList();
    List<Double> base99 = r.baselineRuns().stream().map(x -> p99.applyAsDouble(x)).toList();
    String baseline = "trivial HTTP server, same JVM, same load";
    String at = String.format(" at %,d/s, %,d products", rate, products);
    s.figure(
        Figure.of(
            "lookup p50" + at, Stats.median(reg50), "ms", reg50, baseline, Stats.median(base50)));
    s.figure(
        Figure.of(
                "lookup p99" + at, Stats.median(reg99), "ms", reg99, baseline, Stats.median(base99))
            .target("p99 <= 5 ms at 2,000/s with 100,000 products", Stats.median(reg99) <= 5));
    s.figure(
        Figure.of(
            "lookup throughput, 8 closed-loop callers",
            r.registryClosedLoop().perSecond(),
            "requests/s",
            List.of(),
            baseline,
            r.baselineClosedLoop().perSecond()));
    s.figure(
        Figure.of(
                String.format("rebuild of %,d products after losing local state", products),
                r.restoreAllSeconds(),
                "s",
                List.of(),
                "first take-in by a fresh registry, same products",
                r.takeInSeconds())
            .target("<= 30 s for 100,000 products", r.restoreAllSeconds() <= 30));
    var h = r.history();
    String current = "the same product now (`GET /products/{id}`)";
    s.figure(
        Figure.of(
            String.format("as-of read of a product with %,d changes, median", h.changes()),
            h.asOfMedian(),
            "ms",
            List.of(),
            current,
            h.currentMedian()));
    s.figure(
        Figure.of(
            String.format("history page of 100 at change %,d, median", h.changes() / 2),
            h.pageMedian(),
            "ms",
            List.of(),
            current,
            h.currentMedian()));
    s.detail(
            "| run | target | asked/s | achieved/s | errors | p50 ms | p90 ms | p99 ms | p99.9 ms |"
                + " max ms |")
        .detail("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (int i = 0; i < r.registryRuns().size(); i++) {
      for (var f : List.of(r.baselineRuns().get(i), r.registryRuns().get(i))) {
        s.detail(fixedRow(Integer.toString(i), f));
      }
    }
    s.detail(fixedRow("after rebuild", r.afterRestore()));
    s.detail("")
        .detail("| closed loop | callers | requests/s | errors | p50 ms | p99 ms |")
        .detail("| --- | --- | --- | --- | --- | --- |");
    for (var c : List.of(r.baselineClosedLoop(), r.registryClosedLoop())) {
      s.detail(
          String.format(
              "| %s | %d | %,.0f | %d | %.2f | %.2f |",
              c.target(), c.callers(), c.perSecond(), c.errors(), c.p50(), c.p99()));
    }
    s.detail("")
        .detail(
            String.format(
                "One product answer is %d bytes of JSON. Fresh take-in of %,d products: %.1f s;"
                    + " rebuild after deleting the state folder: running after %.1f s, every"
                    + " product answering after %.1f s.",
                r.answerBytes(),
                r.products(),
                r.takeInSeconds(),
                r.restoreRunningSeconds(),
                r.restoreAllSeconds()));
    return s;
  }

  private static String fixedRow(String run, RegistryLookupHarness.FixedRate f) {
    return String.format(
        "| %s | %s | %,d | %,.0f | %d | %.2f | %.2f | %.2f | %.2f | %.2f |",
        run,
        f.target(),
        f.rate(),
        f.achieved(),
        f.errors(),
        f.p50(),
        f.p90(),
        f.p99(),
        f.p999(),
        f.max());
  }

  // Many products: a new product joining, onboarding in bulk.

  /**
   * The joining and onboarding part's highest product count: its counts add up on the suite's
   * broker, twice each count (one product a request, then as many in bulk), so {@code --products
   * 100,1000,2000} there would put 6,200 products on one broker, three times what the growth part
   * checks. The joining goals are set at 1,000.
   */
  private static final int JOIN_MAX_PRODUCTS = 1000;

  private Section products() throws Exception {
    int joins = quick ? 1 : 3;
    // Without --products: joining at 100 (10 with --quick); growth at 100 and 1,000 (each count
    // adds its products, then a restart and a restart after SIGKILL of the whole mesh: minutes a
    // count on 2 cores, see docs/record-validation.md); 2,000 when asked. --quick measures growth
    // only when the section
    // is named (--only products), at its tiny count: it would add three start-ups of the whole
    // local mesh to the test run's BenchSuiteIT.
    List<Integer> joinCounts =
        productCounts == null
            ? List.of(quick ? 10 : 100)
            : productCounts.stream().filter(n -> n <= JOIN_MAX_PRODUCTS).toList();
    List<Integer> growthCounts =
        quick && !named
            ? List.of()
            : productCounts == null
                ? (quick ? List.of(10) : List.of(100, 1000))
                : productCounts.stream().sorted().distinct().toList();
    var s =
        new Section(
                "products",
                "A new product joins; onboarding in bulk; the local mesh as products grow")
            .how(
                String.format(
                    "`ProductScaleBench`: fresh contract-validator and mesh-registry in this JVM"
                        + " (the suite's shared ones are stopped first), one broker, one partition"
                        + " a product topic as on the local mesh. Baseline: a"
                        + " product whose topics exist before the validator starts is declared and"
                        + " registered over HTTP; its first 3 records, each timed from the"
                        + " producer's acknowledgement until a read_committed consumer reads it on"
                        + " the product topic. Onboarding: 8 client threads declare (`POST"
                        + " /products`) and register a contract (`POST /subjects/{s}/versions`) for"
                        + " N products of one domain; products/s over the batch. Then, with the"
                        + " baseline product written at 100 records/s, %d new product(s) join one"
                        + " after the other: declaration sent to its first record read validated,"
                        + " and that record's acknowledgement (written as soon as its ingest topic"
                        + " exists) to read validated; the background records' p99 while it joins."
                        + " Bulk: then as many products again through `POST"
                        + " /domains/{domain}/products` (declaration and contract schema in each"
                        + " item), the same 8 clients each posting batches of ceil(N / 8), at most"
                        + " 100; a product counts only when its result says ACCEPTED with its"
                        + " contract REGISTERED (both decided by contract-validator). Product counts"
                        + " run in turn on one broker (products add up). Medians over the joins.",
                    joins));
    // The growth part runs the packaged local mesh with its own broker: nothing of the suite's
    // runs beside it. The joining part then starts a fresh broker.
    stopShared();
    growth(s, growthCounts);
    if (joinCounts.size() < (productCounts == null ? 1 : productCounts.size())) {
      s.detail(
          String.format(
              "Joining and onboarding: not measured above %,d products (their products add up on"
                  + " one broker, twice each count).",
              JOIN_MAX_PRODUCTS));
      s.detail("");
    }
    s.detail(
            "| products onboarded | products/s | declare / register p50 ms | errors | bulk products/s"
                + " (batch) | bulk request p50 ms | bulk errors | baseline write→validated ms |"
                + " new: declare→validated ms | new: write→validated ms | others p99 / max ms"
                + " while joining | others p99 ms steady |")
        .detail("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (int n : joinCounts) {
      log("-- " + n + " products");
      var r =
          ProductScaleBench.measure(
              bootstrap(),
              "n" + n + "x" + Long.toString(System.nanoTime() % 100_000, 36),
              n,
              8,
              joins,
              BenchSuite::log);
      double base = Stats.median(r.baselineWriteToValidatedMs());
      double declare = Stats.median(r.declareToValidatedMs());
      double write = Stats.median(r.writeToValidatedMs());
      s.figure(
          Figure.alone(
                  "onboarding, declare + register, 8 clients, " + n + " products",
                  r.onboardedPerSecond(),
                  "products/s",
                  List.of())
              .target(">= 50 products/s", r.onboardedPerSecond() >= 50));
      s.figure(
          Figure.of(
                  "bulk onboarding, declare + register, 8 clients, batches of "
                      + r.bulkBatch()
                      + ", "
                      + n
                      + " products",
                  r.bulkPerSecond(),
                  "products/s",
                  List.of(),
                  "one product a request (above)",
                  r.onboardedPerSecond())
              .target(">= 50 products/s", r.bulkPerSecond() >= 50 && r.bulkErrors() == 0));
      s.figure(
          Figure.of(
                  "new product after " + n + ": its first record, written to validated",
                  write,
                  "ms",
                  r.writeToValidatedMs(),
                  "first records of a product whose topics existed before the validator started",
                  base)
              .target("<= 2 s", write <= 2000));
      s.figure(
          Figure.of(
                  "new product after " + n + ": declaration to its first record validated",
                  declare,
                  "ms",
                  r.declareToValidatedMs(),
                  "the same baseline",
                  base)
              .target("<= 3 s", declare <= 3000));
      double othersMax =
          r.othersMaxMs().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
      s.figure(
          Figure.of(
                  "other products' records while a new product joins, highest latency",
                  othersMax,
                  "ms",
                  r.othersMaxMs(),
                  "their p99 before any join",
                  r.steadyP99Ms())
              .target("<= 1 s", othersMax <= 1000));
      s.detail(
          String.format(
              "| %d | %.1f | %.0f / %.0f | %d | %.1f (%d) | %.0f | %d | %s | %s | %s | %s / %s | %.0f |",
              n,
              r.onboardedPerSecond(),
              r.declareP50Ms(),
              r.registerP50Ms(),
              r.onboardErrors(),
              r.bulkPerSecond(),
              r.bulkBatch(),
              r.bulkRequestP50Ms(),
              r.bulkErrors(),
              join(r.baselineWriteToValidatedMs(), "%.0f"),
              join(r.declareToValidatedMs(), "%.0f"),
              join(r.writeToValidatedMs(), "%.0f"),
              join(r.othersP99Ms(), "%.0f"),
              join(r.othersMaxMs(), "%.0f"),
              r.steadyP99Ms()));
    }
    return s;
  }

  /** One figure of the local mesh as products grow, against the first count's. */
  private record GrowthFigure(
      String label,
      String ratioLabel,
      String unit,
      ToDoubleFunction<ProductGrowthBench.Step> value) {}

  private static final List<GrowthFigure> GROWTH_FIGURES =
      List.of(
          new GrowthFigure("local mesh RSS", "RSS", "MiB", x -> x.memory().rssMb()),
          new GrowthFigure(
              "local mesh live heap (after a full GC)",
              "live heap",
              "MiB",
              x -> x.memory().heapLiveMb()),
          new GrowthFigure(
              "local mesh restart to healthy",
              "restart",
              "s",
              ProductGrowthBench.Step::restartSeconds),
          new GrowthFigure(
              "local mesh restart after SIGKILL to healthy",
              "SIGKILL restart",
              "s",
              ProductGrowthBench.Step::killedSeconds),
          new GrowthFigure(
              "registry list, `GET /products?limit=100`, p99",
              "list p99",
              "ms",
              x -> x.reads().listP99Ms()),
          new GrowthFigure(
              "registry search, `GET /products?q=...`, p99",
              "search p99",
              "ms",
              x -> x.reads().searchP99Ms()));

  /** The local mesh as its products grow: the growth part of {@link #products()}. */
  private void growth(Section s, List<Integer> counts) throws Exception {
    if (counts.isEmpty()) {
      s.how(
          "The local mesh as products grow: not run by `--quick` without `--only` (three"
              + " start-ups of the whole local mesh in the test run). `bin/bench --quick --only"
              + " products` runs it at 10 products.");
      return;
    }
    int calls = quick ? 30 : 300;
    log("-- growth " + counts);
    var r = ProductGrowthBench.measure(counts, calls, BenchSuite::log);
    s.how(
        String.format(
            "The local mesh as products grow: `ProductGrowthBench`, the packaged local mesh in a"
                + " child JVM as `bin/local-mesh` runs it (`%s`, its default settings: one partition"
                + " a product topic, three a product) on free ports and one fresh data folder, nothing"
                + " of the suite running beside it. For each count in turn (%s), products of one"
                + " domain are added through `POST /domains/{domain}/products` (4 clients, batches"
                + " of 25, declaration and contract schema in each item) until `GET /domains`"
                + " counts them all. Then: the mesh JVM's resident set (`VmRSS`; peak `VmHWM`) and"
                + " heap used (`jcmd GC.heap_info`), again after a full collection (`jcmd GC.run`:"
                + " the live heap); %d `GET /products?limit=100` (a catalogue page) and %d `GET"
                + " /products?q=<the last product's name>&limit=100` (a free-text search, which"
                + " scans every product), interleaved, one at a time on a kept-alive connection,"
                + " after a tenth as many to warm up; a clean stop (SIGTERM) and a launch on the"
                + " same data until the three services' `/health` answer 200 UP; a SIGKILL and a"
                + " launch on the same data until healthy, then until the registry counts every"
                + " product again. The mesh restarted after the SIGKILL takes the next count's"
                + " products. Baseline: the same figure at the smallest count (%,d products),"
                + " same run, same mesh. First start on the empty folder: %.1f s.",
            r.launcher(),
            String.join(", ", counts.stream().map(n -> String.format("%,d", n)).toList()),
            calls,
            calls,
            counts.get(0),
            r.coldSeconds()));
    var steps = r.steps();
    ProductGrowthBench.Step base = steps.get(0);
    String baseline = String.format("the same at %,d products", base.products());
    for (var x : steps) {
      if (x.failure() != null) {
        continue;
      }
      String at = String.format(", %,d products", x.products());
      for (GrowthFigure g : GROWTH_FIGURES) {
        s.figure(
            Figure.of(
                g.label() + at,
                g.value().applyAsDouble(x),
                g.unit(),
                List.of(),
                baseline,
                g.value().applyAsDouble(base)));
      }
    }
    int highest = counts.get(counts.size() - 1);
    var last = steps.get(steps.size() - 1);
    boolean held =
        last.products() == highest
            && last.failure() == null
            && last.reads().errors() == 0
            && last.memory().heapLiveMb() < r.heapMaxMb();
    if (highest >= 2000 || !held) {
      // The goal; a count that failed is a figure not met (the section's other part
      // still runs), and the table below says why.
      s.figure(
          Figure.alone(
                  String.format(
                      "local mesh holds %,d products, default settings and heap (%.0f MiB)",
                      highest, r.heapMaxMb()),
                  last.failure() == null ? last.memory().heapLiveMb() : Double.NaN,
                  "MiB live heap",
                  List.of())
              .target(
                  String.format("%,d products inside the default heap", Math.max(2000, highest)),
                  held && highest >= 2000));
    }
    s.detail(
            "| products | onboarding s (not accepted at once) | RSS MiB (peak) | heap used MiB |"
                + " live heap MiB | list p50 / p99 ms | search p50 / p99 ms | read errors | clean"
                + " stop s | restart s | restart after SIGKILL s (all counted s) | ratio to the"
                + " first row: "
                + GROWTH_FIGURES.stream()
                    .map(GrowthFigure::ratioLabel)
                    .collect(Collectors.joining(", "))
                + " |")
        .detail("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (var x : steps) {
      s.detail(
          String.format(
              "| %,d | %s (%d) | %.0f (%.0f) | %.0f | %.0f | %.1f / %.1f | %.1f / %.1f | %d | %s |"
                  + " %s | %s (%s) | %s |",
              x.products(),
              seconds(x.onboardSeconds()),
              x.notAccepted(),
              x.memory().rssMb(),
              x.memory().peakRssMb(),
              x.memory().heapUsedMb(),
              x.memory().heapLiveMb(),
              x.reads().listP50Ms(),
              x.reads().listP99Ms(),
              x.reads().searchP50Ms(),
              x.reads().searchP99Ms(),
              x.reads().errors(),
              seconds(x.stopSeconds()),
              seconds(x.restartSeconds()),
              seconds(x.killedSeconds()),
              seconds(x.countedAfterKillSeconds()),
              x.failure() != null
                  ? "failed: " + x.failure().replace("|", "/")
                  : GROWTH_FIGURES.stream()
                      .map(
                          g ->
                              String.format(
                                  "%.2f",
                                  g.value().applyAsDouble(x) / g.value().applyAsDouble(base)))
                      .collect(Collectors.joining(", "))));
    }
    s.detail(String.format("(maximum heap of the mesh JVM: %.0f MiB)", r.heapMaxMb()));
    s.detail("");
  }

  // The local mesh.

  /** Seconds with one decimal, or "–" when not measured. */
  private static String seconds(double value) {
    return Double.isNaN(value) ? "–" : String.format("%.1f", value);
  }

  private Section localMesh() throws Exception {
    int rounds = quick ? 1 : 3;
    // With the recovery section, each round also restarts the mesh after a SIGKILL: that section
    // reports it against this round's clean restart, and no start-up is run twice.
    boolean kill = only.contains("recovery") && !recoverySkipped();
    // --quick checks the launcher and the health polling with a cold start; the tests restart the
    // local mesh on its data already (LocalMeshIT, LocalMeshCrashFaultIT).
    boolean restart = !quick || kill;
    // And, in a full run, carries a steady load from after the cold start, for recovery's time to
    // resume output (not with --quick: its run must not grow).
    int rate = kill && !quick ? MESH_RATE : 0;
    var r = ColdStartBench.measure(rounds, restart, kill, rate, BenchSuite::log);
    meshRounds = kill ? r : null;
    var s =
        new Section("local-mesh", "Local mesh cold start and restart")
            .how(
                String.format(
                    "`ColdStartBench`: `dev.meshbone.local.LocalMesh` launched in a child JVM as"
                        + " `bin/local-mesh` runs it (`%s`) on free ports; the time from launching"
                        + " the process until the health endpoints of contract-validator,"
                        + " mesh-registry and quality-monitor all answer 200 UP (polled every 20"
                        + " ms). Cold start: a fresh, empty data folder. Restart: the same folder"
                        + " after a clean stop (SIGTERM, as Ctrl-C). Baseline, same round: a child"
                        + " JVM that only starts the tests' embedded single-node KRaft broker,"
                        + " until it prints its address. %d round(s), the median.%s",
                    r.launcher(),
                    rounds,
                    kill
                        ? " Each round then also kills the restarted mesh with SIGKILL and"
                            + " restarts it: see `recovery`."
                            + (rate > 0
                                ? String.format(
                                    " From after the cold start a steady %,d records/s runs"
                                        + " through the mesh's validator, so the clean stop and"
                                        + " restart happen under that load.",
                                    rate)
                                : "")
                        : ""));
    List<Double> cold = r.rounds().stream().map(ColdStartBench.Round::cold).toList();
    List<Double> restarts = r.rounds().stream().map(ColdStartBench.Round::restart).toList();
    double broker = Stats.median(r.rounds().stream().map(ColdStartBench.Round::broker).toList());
    String baseline = "a JVM starting only a single-node KRaft broker";
    s.figure(
        Figure.of("cold start to healthy", Stats.median(cold), "s", cold, baseline, broker)
            .target("<= 15 s", Stats.median(cold) <= 15));
    if (restart) {
      s.figure(
          Figure.of(
              "restart with existing data to healthy",
              Stats.median(restarts),
              "s",
              restarts,
              baseline,
              broker));
    } else {
      s.detail(
          "Restart with existing data to healthy: not measured with `--quick` (a cold start"
              + " only, ended with a SIGKILL).");
      s.detail("");
    }
    s.detail("| round | broker alone s | cold start s | clean stop s | restart s |")
        .detail("| --- | --- | --- | --- | --- |");
    for (int i = 0; i < r.rounds().size(); i++) {
      var x = r.rounds().get(i);
      s.detail(
          String.format(
              "| %d | %.1f | %.1f | %s | %s |",
              i, x.broker(), x.cold(), seconds(x.stop()), seconds(x.restart())));
    }
    return s;
  }

  // Recovery after a crash.

  /**
   * Whether the recovery section is left out: in a quick run of every section, where it would add a
   * start of the whole mesh (about 15 s on 2 cores) to the test run's {@code BenchSuiteIT}.
   */
  private boolean recoverySkipped() {
    return quick && !named;
  }

  private Section recovery() throws Exception {
    if (recoverySkipped()) {
      return new Section("recovery", "Recovery: restart after SIGKILL against a clean restart")
          .how(
              "Not run by `--quick` without `--only`: it would add a start of the whole local"
                  + " mesh to the quick run of every section. `bin/bench --quick --only"
                  + " local-mesh,recovery` runs it at a tiny size.");
    }
    ColdStartBench.Result mesh = meshRounds;
    boolean shared = mesh != null;
    if (mesh == null) {
      mesh =
          ColdStartBench.measure(
              quick ? 1 : recoveryRounds("mesh", 2),
              true,
              true,
              quick ? 0 : MESH_RATE,
              BenchSuite::log);
    }
    boolean meshOutput = !quick;
    int serviceRounds = quick ? 0 : recoveryRounds("service", 1);
    int clusterRounds = quick ? 0 : recoveryRounds("cluster", 2);
    var s =
        new Section("recovery", "Recovery: restart after SIGKILL against a clean restart")
            .how(
                String.format(
                    "Local mesh: `ColdStartBench` rounds (%s): `%s` on free ports and a fresh data"
                        + " folder, started, stopped with SIGTERM and started again on the same"
                        + " data (the clean restart), then killed with SIGKILL (no shutdown hook:"
                        + " the broker recovers its log, the services' open transactions and"
                        + " group members are left behind) and started again on the same data;"
                        + " each restart timed from launching the process until the health"
                        + " endpoints of contract-validator, mesh-registry and quality-monitor"
                        + " all answer 200 UP (UP once each one's Kafka Streams application is"
                        + " RUNNING), polled every 20 ms. %d round(s), the median; the clean"
                        + " restart of the same round is the baseline. %s",
                    shared ? "shared with the `local-mesh` section" : "run for this section",
                    mesh.launcher(),
                    mesh.rounds().size(),
                    meshOutput
                        ? String.format(
                            "Time to resume output: from after the cold start, `SteadyLoad`"
                                + " sends a steady %,d records/s of valid orders into a product of"
                                + " 2 partitions (its topics and contract created once the mesh"
                                + " is up) and waits for the first one validated; after each"
                                + " restart, the time from the launch until every partition of"
                                + " the product's validated topic delivered (read_committed) a"
                                + " record sent after the launch. After the restart after SIGKILL"
                                + " the load stops, the reader catches up, and the round's records"
                                + " are counted: lost (acknowledged, never read), duplicated"
                                + " (read twice), read out of order.",
                            MESH_RATE)
                        : "No load runs with `--quick`: the local mesh's time to resume output"
                            + " is not measured (`LocalMeshCrashFaultIT` prints its stall)."))
            .how(
                serviceRounds == 0
                    ? "Each service on its own: not with `--quick`."
                    : String.format(
                        "Each service on its own: `ServiceRestartBench`, contract-validator,"
                            + " mesh-registry and quality-monitor one after another, each in a"
                            + " child JVM (`java -Xmx512m -cp <this class path> <its main"
                            + " class>`) against a broker of its own (a child JVM), as the local"
                            + " mesh runs it: a static member (`meshbone.instance-id`), a state"
                            + " folder kept across restarts, security off. After a first start,"
                            + " each round restarts it after SIGTERM, then after SIGKILL, each"
                            + " time until its `/health` answers 200 UP and until its output"
                            + " moved (see the recovery table's note), both from the launch of"
                            + " the new process. %d round(s), the median; the restart after"
                            + " SIGTERM is the baseline.",
                        serviceRounds))
            .how(
                clusterRounds == 0
                    ? "Three-broker cluster: not with `--quick`."
                    : String.format(
                        "Three-broker cluster: `ClusterRecoveryBench`, a KRaft controller and three"
                            + " brokers, each a child JVM, replication factor 3,"
                            + " `min.insync.replicas=2`, the transaction state and consumer offsets"
                            + " replicated (3, min in-sync 2), other settings at Kafka's defaults"
                            + " (`broker.session.timeout.ms` 9 s); contract-validator in a child"
                            + " JVM (static member, exactly-once, replication factor 3) under a"
                            + " steady %,d records/s of valid orders into a product of 3"
                            + " partitions. Each round makes, in turn: a clean restart of the"
                            + " broker leading ingest partition 0 (SIGTERM: a controlled shutdown,"
                            + " then started again at once; the baseline), a SIGKILL of that"
                            + " broker, a SIGKILL of the broker coordinating the validator's"
                            + " transactions (each started again at once, as a supervisor would),"
                            + " and a leader move (each ingest partition's replicas reordered,"
                            + " then a preferred leader election; no broker stops). Time to resume"
                            + " output: from the fault until every partition of the validated"
                            + " topic delivered (read_committed) a record sent after the fault,"
                            + " the producer's own recovery included. Time to healthy: until the"
                            + " broker serves again, every partition of every topic (internal ones"
                            + " too) has its full ISR and the validator's `/health` is UP. Records"
                            + " lost (acknowledged, never read) and duplicated (read twice) are"
                            + " counted per round by a read_committed reader of every sequence"
                            + " number, after the load stops. %d round(s), the median.",
                        CLUSTER_RATE, clusterRounds));
    List<Double> clean = mesh.rounds().stream().map(ColdStartBench.Round::restart).toList();
    List<Double> killed = mesh.rounds().stream().map(ColdStartBench.Round::killed).toList();
    double c = Stats.median(clean);
    double k = Stats.median(killed);
    s.figure(
        Figure.of(
                "local mesh: restart after SIGKILL to healthy",
                k,
                "s",
                killed,
                "restart after a clean stop (SIGTERM), same data, same round",
                c)
            .target("<= 2x the clean restart", k <= 2 * c));
    if (meshOutput) {
      List<Double> co = mesh.rounds().stream().map(ColdStartBench.Round::restartOutput).toList();
      List<Double> ko = mesh.rounds().stream().map(ColdStartBench.Round::killedOutput).toList();
      s.figure(
          Figure.of(
              "local mesh: restart after SIGKILL to output",
              Stats.median(ko),
              "s",
              ko,
              "restart after a clean stop (SIGTERM), same data, same round, to output",
              Stats.median(co)));
      long wrong = mesh.rounds().stream().mapToLong(r -> r.lost() + r.dup() + r.outOfOrder()).sum();
      s.figure(
          Figure.alone(
                  "local mesh: records lost + duplicated + out of order across the restarts",
                  wrong,
                  "records",
                  List.of())
              .target("0", wrong == 0));
    }
    List<ServiceRestartBench.Result> services = List.of();
    if (serviceRounds > 0) {
      services = ServiceRestartBench.measure(bootstrap(), serviceRounds, BenchSuite::log);
    }
    for (var r : services) {
      List<Double> sc = r.rounds().stream().map(ServiceRestartBench.Round::clean).toList();
      List<Double> sk = r.rounds().stream().map(ServiceRestartBench.Round::killed).toList();
      s.figure(
          Figure.of(
              r.service() + ": restart after SIGKILL to healthy",
              Stats.median(sk),
              "s",
              sk,
              "the same service restarted after SIGTERM",
              Stats.median(sc)));
      List<Double> oc = r.rounds().stream().map(ServiceRestartBench.Round::cleanOutput).toList();
      List<Double> ok = r.rounds().stream().map(ServiceRestartBench.Round::killedOutput).toList();
      s.figure(
          Figure.of(
              r.service() + ": restart after SIGKILL to output",
              Stats.median(ok),
              "s",
              ok,
              "the same service restarted after SIGTERM",
              Stats.median(oc)));
    }
    ClusterRecoveryBench.Result cluster = null;
    if (clusterRounds > 0) {
      // The cluster brings its own brokers: the suite's broker would only take CPU from them.
      stopShared();
      cluster = ClusterRecoveryBench.measure(clusterRounds, CLUSTER_RATE, BenchSuite::log);
      clusterFigures(s, cluster);
    }
    recoveryTable(s, mesh, services, cluster);
    s.detail(
            "| round | local mesh: restart after SIGTERM, to healthy / output s | after SIGKILL,"
                + " to healthy / output s | ratio, healthy / output | records lost / duplicated /"
                + " out of order |")
        .detail("| --- | --- | --- | --- | --- |");
    for (int i = 0; i < mesh.rounds().size(); i++) {
      var x = mesh.rounds().get(i);
      s.detail(
          String.format(
              "| %d | %.1f / %s | %.1f / %s | %.2f / %s | %s |",
              i,
              x.restart(),
              seconds(x.restartOutput()),
              x.killed(),
              seconds(x.killedOutput()),
              x.killed() / x.restart(),
              ratio(x.killedOutput(), x.restartOutput()),
              x.lost() < 0 ? "not counted" : x.lost() + " / " + x.dup() + " / " + x.outOfOrder()));
    }
    if (!services.isEmpty()) {
      s.detail("")
          .detail(
              "| service | first start s | round | restart after SIGTERM s | after SIGKILL s |"
                  + " ratio |")
          .detail("| --- | --- | --- | --- | --- | --- |");
      for (var r : services) {
        for (int i = 0; i < r.rounds().size(); i++) {
          var x = r.rounds().get(i);
          s.detail(
              String.format(
                  "| %s | %.1f | %d | %.1f | %.1f | %.2f |",
                  r.service(), r.first(), i, x.clean(), x.killed(), x.killed() / x.clean()));
        }
      }
    }
    return s;
  }

  /** The cluster part's steady load, records a second. */
  private static final int CLUSTER_RATE = 2_000;

  /** The local mesh's steady load in the recovery rounds, records a second. */
  private static final int MESH_RATE = 2_000;

  /**
   * A recovery part's rounds in a full run: {@code -Dbench.recovery.<part>-rounds=N} (part mesh,
   * service or cluster), else {@code full}.
   */
  private static int recoveryRounds(String part, int full) {
    return Integer.getInteger("bench.recovery." + part + "-rounds", full);
  }

  private static List<Double> clusterRuns(
      ClusterRecoveryBench.Result cluster,
      String fault,
      java.util.function.ToDoubleFunction<ClusterRecoveryBench.Round> value) {
    return cluster.rounds().stream()
        .filter(r -> r.fault().equals(fault))
        .map(r -> value.applyAsDouble(r))
        .toList();
  }

  private static void clusterFigures(Section s, ClusterRecoveryBench.Result cluster) {
    String clean = ClusterRecoveryBench.FAULTS.get(0);
    double base = Stats.median(clusterRuns(cluster, clean, ClusterRecoveryBench.Round::resume));
    for (String fault : ClusterRecoveryBench.FAULTS.subList(1, 4)) {
      List<Double> runs = clusterRuns(cluster, fault, ClusterRecoveryBench.Round::resume);
      s.figure(
          Figure.of(
              "cluster: " + fault + " to output",
              Stats.median(runs),
              "s",
              runs,
              "clean restart of the ingest leader, same run",
              base));
    }
    long wrong =
        cluster.outOfOrder() + cluster.rounds().stream().mapToLong(r -> r.lost() + r.dup()).sum();
    s.figure(
        Figure.alone(
                "cluster: records lost + duplicated + out of order across the faults",
                wrong,
                "records",
                List.of())
            .target("0", wrong == 0));
    s.detail(
            String.format(
                "Three-broker cluster: %,d records sent at %,d/s (%,d sends failed), %,d read out"
                    + " of order.",
                cluster.sent(), cluster.rate(), cluster.refused(), cluster.outOfOrder()))
        .detail("")
        .detail(
            "| round | fault | broker | input acknowledged s | to output s | to healthy s |"
                + " records lost | records duplicated |")
        .detail("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (var r : cluster.rounds()) {
      s.detail(
          String.format(
              "| %d | %s | %s | %s | %s | %s | %d | %d |",
              r.round(),
              r.fault(),
              r.broker() < 0 ? "–" : Integer.toString(r.broker()),
              seconds(r.input()),
              seconds(r.resume()),
              seconds(r.healthy()),
              r.lost(),
              r.dup()));
    }
    s.detail("");
  }

  /**
   * The recovery table: one row per fault, its medians against the clean restart of the same run.
   */
  private static void recoveryTable(
      Section s,
      ColdStartBench.Result mesh,
      List<ServiceRestartBench.Result> services,
      ClusterRecoveryBench.Result cluster) {
    var t = new ArrayList<String>();
    t.add(
        "**Recovery table** (medians, seconds; the baseline is the clean restart of the same run:");
    t.add("a broker's controlled shutdown and restart for the cluster faults, a restart after");
    t.add("SIGTERM for a service or the local mesh; ratio = fault / baseline)");
    t.add("");
    t.add(
        "| fault | time to resume output s | time to healthy s | clean-restart baseline:"
            + " output / healthy s | ratio: output / healthy | records lost / duplicated |");
    t.add("| --- | --- | --- | --- | --- | --- |");
    if (cluster != null) {
      String clean = ClusterRecoveryBench.FAULTS.get(0);
      double bo = Stats.median(clusterRuns(cluster, clean, ClusterRecoveryBench.Round::resume));
      double bh = Stats.median(clusterRuns(cluster, clean, ClusterRecoveryBench.Round::healthy));
      for (String fault : ClusterRecoveryBench.FAULTS) {
        double o = Stats.median(clusterRuns(cluster, fault, ClusterRecoveryBench.Round::resume));
        double h = Stats.median(clusterRuns(cluster, fault, ClusterRecoveryBench.Round::healthy));
        long lost =
            cluster.rounds().stream()
                .filter(r -> r.fault().equals(fault))
                .mapToLong(ClusterRecoveryBench.Round::lost)
                .sum();
        long dup =
            cluster.rounds().stream()
                .filter(r -> r.fault().equals(fault))
                .mapToLong(ClusterRecoveryBench.Round::dup)
                .sum();
        String name =
            switch (fault) {
              case "clean restart" -> "broker clean restart (baseline)";
              case "ingest leader SIGKILL" -> "broker loss: SIGKILL of the ingest leader";
              case "coordinator SIGKILL" ->
                  "broker loss: SIGKILL of the validator's transaction coordinator";
              default -> "leader move (reassignment + preferred election)";
            };
        t.add(
            String.format(
                "| %s | %s | %s | %s / %s | %s / %s | %d / %d |",
                name,
                seconds(o),
                seconds(h),
                seconds(bo),
                seconds(bh),
                ratio(o, bo),
                ratio(h, bh),
                lost,
                dup));
      }
    } else {
      t.add("| three-broker cluster faults | not run with `--quick` | | | | |");
    }
    for (var r : services) {
      double o =
          Stats.median(r.rounds().stream().map(ServiceRestartBench.Round::killedOutput).toList());
      double h = Stats.median(r.rounds().stream().map(ServiceRestartBench.Round::killed).toList());
      double bo =
          Stats.median(r.rounds().stream().map(ServiceRestartBench.Round::cleanOutput).toList());
      double bh = Stats.median(r.rounds().stream().map(ServiceRestartBench.Round::clean).toList());
      t.add(
          String.format(
              "| %s SIGKILL | %s | %s | %s / %s | %s / %s | %s |",
              r.service(),
              seconds(o),
              seconds(h),
              seconds(bo),
              seconds(bh),
              ratio(o, bo),
              ratio(h, bh),
              r.account()));
    }
    if (services.isEmpty()) {
      t.add("| each service's SIGKILL | not run with `--quick` | | | | |");
    }
    double k = Stats.median(mesh.rounds().stream().map(ColdStartBench.Round::killed).toList());
    double c = Stats.median(mesh.rounds().stream().map(ColdStartBench.Round::restart).toList());
    double ko =
        Stats.median(mesh.rounds().stream().map(ColdStartBench.Round::killedOutput).toList());
    double co =
        Stats.median(mesh.rounds().stream().map(ColdStartBench.Round::restartOutput).toList());
    boolean counted = mesh.rounds().stream().allMatch(r -> r.lost() >= 0);
    t.add(
        String.format(
            "| local mesh SIGKILL (whole JVM) | %s | %s | %s / %s | %s / %s | %s |",
            Double.isNaN(ko) ? "not with `--quick`" : seconds(ko),
            seconds(k),
            seconds(co),
            seconds(c),
            ratio(ko, co),
            ratio(k, c),
            counted
                ? mesh.rounds().stream().mapToLong(ColdStartBench.Round::lost).sum()
                    + " / "
                    + mesh.rounds().stream().mapToLong(ColdStartBench.Round::dup).sum()
                : "not with `--quick`"));
    t.add("");
    t.add(
        "Time to resume output, per row: the cluster faults, from the fault until every partition"
            + " of the validated topic delivered a record sent after it; contract-validator, the"
            + " same after the new process was launched; mesh-registry, the first 200 answer to a"
            + " contract read (`GET /subjects/bench.orders-value/versions`); quality-monitor, the"
            + " first health update the new process wrote to `mesh.quality.status` under a steady"
            + " stream of quality results; the local mesh, every partition of the validated topic"
            + " delivered a record sent after the launch of the new process, under a steady load"
            + " through the mesh's validator. The services' and the local mesh's times count from"
            + " the launch of the new process (the old one gone). Records lost / duplicated:"
            + " counted by a read_committed reader of every sequence number; `n/a` where the"
            + " service's output is not a record stream counted here.");
    t.add("");
    s.detail.addAll(0, t);
  }

  private static String ratio(double value, double base) {
    return Double.isNaN(value) || Double.isNaN(base) ? "–" : String.format("%.2f", value / base);
  }

  // Helpers.

  private static List<Double> quantiles(List<long[]> sortedNanos, double p) {
    return sortedNanos.stream().map(l -> Stats.percentile(l, p) / 1e6).toList();
  }

  private static String join(List<Double> values, String format) {
    return values.stream().map(v -> String.format(format, v)).toList().toString();
  }
}
