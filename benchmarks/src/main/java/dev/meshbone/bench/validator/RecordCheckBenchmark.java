package dev.meshbone.bench.validator;

import dev.meshbone.topics.ProductId;
import dev.meshbone.validator.records.ContractCatalog;
import dev.meshbone.validator.records.RecordCheck;
import dev.meshbone.validator.records.RejectReason;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-record check alone, on the benchmark orders (about 200 bytes, three rules): meshbone's
 * compiled walker against the straightforward check (docs/design.md, record validation: a reused
 * GenericDatumReader decoding the whole record, a trailing-bytes check, the same three rules read
 * from the GenericRecord), and the Confluent header check alone for scale. 64 different records are
 * cycled so branch prediction cannot learn one.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar RecordCheckBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecordCheckBenchmark {
  private static final int N = 64;

  private byte[][] records;
  private int i;
  private RecordCheck check;
  private GenericDatumReader<GenericRecord> reader;
  private BinaryDecoder decoder;
  private GenericRecord reuse;

  @Setup
  public void setUp() {
    var gen = new BenchRecords(3);
    records = new byte[N][];
    for (int k = 0; k < N; k++) {
      records[k] = gen.next(0);
    }
    var catalog = new ContractCatalog();
    catalog.putVersion(BenchRecords.versionKey(), BenchRecords.contract().getVersion());
    check = RecordCheck.of(catalog, new ProductId("bench", "orders"), 1_000_000);
    reader = new GenericDatumReader<>(BenchRecords.SCHEMA);
    for (byte[] r : records) {
      if (check.check(null, r) != null) {
        throw new IllegalStateException("benchmark record refused: " + check.message());
      }
    }
  }

  private byte[] next() {
    byte[] r = records[i];
    i = (i + 1) & (N - 1);
    return r;
  }

  /** meshbone: header, id, compiled walk with the three rules, trailing bytes. */
  @Benchmark
  public RejectReason compiledWalker() {
    return check.check(null, next());
  }

  /** The straightforward validator's check: decode the whole record, then the rules. */
  @Benchmark
  public boolean genericDecodeAndRules() throws IOException {
    byte[] r = next();
    if (r.length < 5 || r[0] != 0) {
      return false;
    }
    int id = (r[1] & 0xff) << 24 | (r[2] & 0xff) << 16 | (r[3] & 0xff) << 8 | r[4] & 0xff;
    if (id != BenchRecords.SCHEMA_ID) {
      return false;
    }
    decoder = DecoderFactory.get().binaryDecoder(r, 5, r.length - 5, decoder);
    reuse = reader.read(reuse, decoder);
    if (!decoder.isEnd()) {
      return false;
    }
    double amount = (Double) reuse.get("amount");
    if (amount < 0 || amount > 100_000) {
      return false;
    }
    String currency = reuse.get("currency").toString();
    if (!List.of("EUR", "USD", "GBP").contains(currency)) {
      return false;
    }
    var customer = (GenericData.Record) reuse.get("customer");
    return customer != null && customer.get("email") != null;
  }

  /** The Confluent header alone. */
  @Benchmark
  public int headerOnly() {
    byte[] r = next();
    if (r.length < 5 || r[0] != 0) {
      return -1;
    }
    return (r[1] & 0xff) << 24 | (r[2] & 0xff) << 16 | (r[3] & 0xff) << 8 | r[4] & 0xff;
  }
}
