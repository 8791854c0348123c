package dev.meshbone.bench.serde;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meshbone.events.ChangeType;
import dev.meshbone.events.Classification;
import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.Owner;
import dev.meshbone.events.ProductDescriptor;
import dev.meshbone.events.ServiceLevels;
import dev.meshbone.serde.KafkaAvroDeserializer;
import dev.meshbone.serde.KafkaAvroSerializer;
import dev.meshbone.serde.MeshAvro;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Confluent-wire-format serde's hot path against plain Avro binary encoding and decoding of the
 * same record, in the same run (goal: the serde within 1.2x of plain Avro).
 *
 * <p>The record is a {@link DataProductEvent} with a full descriptor (about 300 bytes of Avro), as
 * a generated class and as a {@code GenericRecord}. The plain-Avro baselines are the cheapest plain
 * Avro we know: a reused {@code BinaryEncoder} over a reused, lock-free buffer (the one the serde
 * uses), a reused {@code BinaryDecoder}, one datum writer/reader; both sides return a new {@code
 * byte[]} / a new record per operation. The serde side is the real {@link KafkaAvroSerializer} and
 * {@link KafkaAvroDeserializer} with the real REST client, whose cache is warmed in set-up by a
 * local registry double (an HTTP server inside the benchmark); tear-down checks that no request
 * reached it during the measurement, so what is measured is the hot path only.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SerdeBenchmark -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SerdeBenchmark {
  private static final String TOPIC = "clinical-trials.enrollments";

  private RegistryDouble registry;
  private int requestsAfterWarmUp;

  private DataProductEvent specific;
  private GenericRecord generic;

  private SpecificDatumWriter<DataProductEvent> specificWriter;
  private GenericDatumWriter<GenericRecord> genericWriter;
  private SpecificDatumReader<DataProductEvent> specificReader;
  private GenericDatumReader<GenericRecord> genericReader;
  private final ReusedBuffer out = new ReusedBuffer(512);
  private BinaryEncoder encoder;
  private BinaryDecoder decoder;
  private byte[] plainBytes;

  private KafkaAvroSerializer serializer;
  private KafkaAvroDeserializer genericDeserializer;
  private KafkaAvroDeserializer specificDeserializer;
  private byte[] serdeBytes;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    // Building a generated record already instantiates the mesh's enum classes (Avro 1.12 trap).
    MeshAvro.trustMeshPackages();
    registry = RegistryDouble.start();
    Map<String, Object> props = Map.of("schema.registry.url", registry.url());

    specific = event();
    // Generic records as a plain-Avro user has them: from the .avsc, without the generated
    // class's Java-only "avro.java.string" (so strings are Utf8, as the serde's generic reader
    // gives them).
    Schema schema =
        new Schema.Parser()
            .parse(
                DataProductEvent.getClassSchema()
                    .toString()
                    .replace(",\"avro.java.string\":\"String\"", ""));
    specificWriter = new SpecificDatumWriter<>(DataProductEvent.class);
    specificReader = new SpecificDatumReader<>(DataProductEvent.class);
    genericWriter = new GenericDatumWriter<>(schema);
    genericReader = new GenericDatumReader<>(schema);
    encoder = EncoderFactory.get().binaryEncoder(out, null);
    plainBytes = avroEncodeSpecific();
    decoder = DecoderFactory.get().binaryDecoder(plainBytes, null);
    generic = genericReader.read(null, decoder);
    if (!Arrays.equals(plainBytes, avroEncodeGeneric())) {
      throw new IllegalStateException("generic and specific encodings differ");
    }

    serializer = new KafkaAvroSerializer();
    serializer.configure(props, false);
    genericDeserializer = new KafkaAvroDeserializer();
    genericDeserializer.configure(props, false);
    specificDeserializer = new KafkaAvroDeserializer();
    specificDeserializer.configure(
        Map.of("schema.registry.url", registry.url(), "specific.avro.reader", true), false);
    serdeBytes = serializer.serialize(TOPIC, specific);
    if (!Arrays.equals(serdeBytes, serializer.serialize(TOPIC, generic))
        || !Arrays.equals(Arrays.copyOfRange(serdeBytes, 5, serdeBytes.length), plainBytes)) {
      throw new IllegalStateException("the serde's payload differs from plain Avro");
    }
    if (!specific.equals(specificDeserializer.deserialize(TOPIC, serdeBytes))
        || !generic
            .toString()
            .equals(genericDeserializer.deserialize(TOPIC, serdeBytes).toString())) {
      throw new IllegalStateException("the serde does not round-trip the record");
    }
    requestsAfterWarmUp = registry.requests.get();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    int during = registry.requests.get() - requestsAfterWarmUp;
    registry.close();
    if (during != 0) {
      throw new IllegalStateException(during + " registry requests on the hot path");
    }
  }

  // --- encode ---

  @Benchmark
  public byte[] avroEncodeSpecific() throws IOException {
    out.reset();
    specificWriter.write(specific, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  @Benchmark
  public byte[] serdeSerializeSpecific() {
    return serializer.serialize(TOPIC, specific);
  }

  @Benchmark
  public byte[] avroEncodeGeneric() throws IOException {
    out.reset();
    genericWriter.write(generic, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  @Benchmark
  public byte[] serdeSerializeGeneric() {
    return serializer.serialize(TOPIC, generic);
  }

  // --- decode ---

  @Benchmark
  public DataProductEvent avroDecodeSpecific() throws IOException {
    decoder = DecoderFactory.get().binaryDecoder(plainBytes, decoder);
    return specificReader.read(null, decoder);
  }

  @Benchmark
  public Object serdeDeserializeSpecific() {
    return specificDeserializer.deserialize(TOPIC, serdeBytes);
  }

  @Benchmark
  public GenericRecord avroDecodeGeneric() throws IOException {
    decoder = DecoderFactory.get().binaryDecoder(plainBytes, decoder);
    return genericReader.read(null, decoder);
  }

  @Benchmark
  public Object serdeDeserializeGeneric() {
    return genericDeserializer.deserialize(TOPIC, serdeBytes);
  }

  static DataProductEvent event() {
    return DataProductEvent.newBuilder()
        .setEventId("6f1c2a9e-6c7b-4a57-9c3e-0b1f2d3e4a5b")
        .setProductId("clinical-trials.enrollments")
        .setDomain("clinical-trials")
        .setType(ChangeType.UPDATED)
        .setOccurredAt(Instant.ofEpochMilli(1_700_000_000_000L))
        .setActor("enrollment-service")
        .setVersion(42)
        .setDescriptor(
            ProductDescriptor.newBuilder()
                .setName("Trial enrollments")
                .setDescription("Every patient enrollment in an active clinical trial, per site")
                .setOwner(
                    Owner.newBuilder()
                        .setTeam("enrollment")
                        .setContact("enrollment@example.com")
                        .build())
                .setTags(List.of("trials", "patients", "gcp"))
                .setGlossaryTerms(List.of("enrollment", "site"))
                .setClassification(Classification.PHI)
                .setSlos(
                    ServiceLevels.newBuilder()
                        .setMaxStalenessMs(3_600_000L)
                        .setMinPassRate(0.99)
                        .build())
                .setInputs(List.of("clinical-trials.sites", "clinical-trials.patients"))
                .setContractSubject("clinical-trials.enrollments-value")
                .setProperties(Map.of("retention", "7y"))
                .build())
        .build();
  }

  /** Answers register and get-by-id as Confluent's registry does, for the warm-up only. */
  static final class RegistryDouble implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, String> schemas = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();

    private RegistryDouble() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/", this::handle);
      server.start();
    }

    static RegistryDouble start() throws IOException {
      return new RegistryDouble();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
      requests.incrementAndGet();
      try (exchange) {
        String path = exchange.getRequestURI().getPath();
        String answer;
        int status = 200;
        if (exchange.getRequestMethod().equals("POST") && path.endsWith("/versions")) {
          String schema =
              JSON.readTree(exchange.getRequestBody().readAllBytes()).get("schema").asText();
          String canonical = new Schema.Parser().parse(schema).toString();
          int id = ids.computeIfAbsent(canonical, c -> ids.size() + 1);
          schemas.putIfAbsent(id, schema);
          answer = "{\"id\":" + id + "}";
        } else if (path.startsWith("/schemas/ids/")) {
          String schema = schemas.get(Integer.parseInt(path.substring("/schemas/ids/".length())));
          if (schema == null) {
            status = 404;
            answer = "{\"error_code\":40403,\"message\":\"Schema not found\"}";
          } else {
            answer = JSON.createObjectNode().put("schema", schema).toString();
          }
        } else {
          status = 404;
          answer = "{\"error_code\":404,\"message\":\"not in this double\"}";
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  /**
   * The baseline's output: a growable buffer without {@code ByteArrayOutputStream}'s locks, reused
   * per thread, as the serde's own (internal) buffer is, so both sides pay the same for bytes.
   */
  private static final class ReusedBuffer extends java.io.OutputStream {
    private byte[] buf;
    private int count;

    ReusedBuffer(int capacity) {
      buf = new byte[capacity];
    }

    @Override
    public void write(int b) {
      ensure(count + 1);
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(count + len);
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    private void ensure(int needed) {
      if (needed > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(needed, buf.length << 1));
      }
    }

    void reset() {
      count = 0;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, count);
    }
  }
}
