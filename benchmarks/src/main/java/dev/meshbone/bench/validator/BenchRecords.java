package dev.meshbone.bench.validator;

import dev.meshbone.events.ContractEntry;
import dev.meshbone.events.ContractVersion;
import dev.meshbone.serde.MeshAvro;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * The records every validator benchmark uses: an order of about 200 bytes in the Confluent wire
 * format, under a contract with three data rules (a numeric range, allowed enum symbols, a required
 * field inside a nullable nested record), and a generator of valid and rule-breaking ones.
 */
public final class BenchRecords {
  public static final String SUBJECT = "bench.orders-value";
  public static final int SCHEMA_ID = 1;

  public static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              """
              {"type":"record","name":"Order","namespace":"bench","fields":[
                {"name":"orderId","type":"string"},
                {"name":"customerId","type":"string"},
                {"name":"customer","type":["null",{"type":"record","name":"Customer","fields":[
                  {"name":"email","type":["null","string"],"default":null},
                  {"name":"segment","type":"string"}]}],"default":null},
                {"name":"amount","type":"double"},
                {"name":"currency","type":{"type":"enum","name":"Currency",
                  "symbols":["EUR","USD","GBP","JPY"]}},
                {"name":"quantity","type":"int"},
                {"name":"status","type":"string"},
                {"name":"createdAt","type":{"type":"long","logicalType":"timestamp-millis"}},
                {"name":"shipTo","type":{"type":"record","name":"Address","fields":[
                  {"name":"street","type":"string"},
                  {"name":"city","type":"string"},
                  {"name":"zip","type":"string"},
                  {"name":"country","type":"string"}]}},
                {"name":"note","type":["null","string"],"default":null},
                {"name":"lines","type":{"type":"array","items":{"type":"record","name":"Line",
                  "fields":[{"name":"sku","type":"string"},{"name":"qty","type":"int"},
                            {"name":"price","type":"double"}]}}}
              ]}
              """);

  /** Three rules, as the straightforward validator the design compares with had. */
  public static final String RULES =
      """
      {"domainRules":[
        {"name":"amount-range","kind":"CONDITION","mode":"WRITE","type":"MESH",
         "params":{"field":"amount","min":"0","max":"100000"}},
        {"name":"currency-known","kind":"CONDITION","mode":"WRITE","type":"MESH",
         "params":{"field":"currency","allowed":"EUR,USD,GBP"}},
        {"name":"email-present","kind":"CONDITION","mode":"WRITE","type":"MESH",
         "params":{"field":"customer.email","required":"true"}}
      ]}
      """;

  private static final Schema CUSTOMER = SCHEMA.getField("customer").schema().getTypes().get(1);
  private static final Schema ADDRESS = SCHEMA.getField("shipTo").schema();
  private static final Schema LINE = SCHEMA.getField("lines").schema().getElementType();
  private static final Schema CURRENCY = SCHEMA.getField("currency").schema();

  private final Random random;
  private final GenericDatumWriter<GenericRecord> writer = new GenericDatumWriter<>(SCHEMA);
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
  private BinaryEncoder encoder;

  public BenchRecords(long seed) {
    this.random = new Random(seed);
  }

  /** The contract entry to write to {@code mesh.contracts} under {@link #versionKey()}. */
  public static ContractEntry contract() {
    MeshAvro.trustMeshPackages();
    return ContractEntry.newBuilder()
        .setVersion(
            ContractVersion.newBuilder()
                .setSubject(SUBJECT)
                .setVersion(1)
                .setSchemaId(SCHEMA_ID)
                .setSchema$(SCHEMA.toString())
                .setRuleSetJson(RULES)
                .setRegisteredAt(Instant.parse("2026-01-01T00:00:00Z"))
                .build())
        .build();
  }

  public static String versionKey() {
    return "version:" + SUBJECT + ":1";
  }

  /** A valid order. */
  public GenericRecord order() {
    var customer = new GenericData.Record(CUSTOMER);
    customer.put("email", "buyer" + random.nextInt(100_000) + "@example.com");
    customer.put("segment", "retail");
    var address = new GenericData.Record(ADDRESS);
    address.put("street", random.nextInt(999) + " Long Acre Street");
    address.put("city", "Manchester");
    address.put("zip", "M1 2AB");
    address.put("country", "GB");
    var l1 = new GenericData.Record(LINE);
    l1.put("sku", "SKU-" + random.nextInt(10_000));
    l1.put("qty", 1 + random.nextInt(5));
    l1.put("price", 9.99);
    var l2 = new GenericData.Record(LINE);
    l2.put("sku", "SKU-" + random.nextInt(10_000));
    l2.put("qty", 1 + random.nextInt(5));
    l2.put("price", 24.5);
    var o = new GenericData.Record(SCHEMA);
    o.put("orderId", "ORD-" + (1_000_000 + random.nextInt(9_000_000)));
    o.put("customerId", "C-" + random.nextInt(1_000_000));
    o.put("customer", customer);
    o.put("amount", Math.round(random.nextDouble() * 50_000) / 100.0);
    o.put(
        "currency",
        new GenericData.EnumSymbol(CURRENCY, List.of("EUR", "USD", "GBP").get(random.nextInt(3))));
    o.put("quantity", 1 + random.nextInt(10));
    o.put("status", "CONFIRMED");
    o.put("createdAt", 1_760_000_000_000L + random.nextInt(1_000_000));
    o.put("shipTo", address);
    o.put("note", random.nextBoolean() ? null : "leave at the door, ring twice");
    o.put("lines", List.of(l1, l2));
    return o;
  }

  /** A valid order, or with probability {@code invalidShare} one that breaks a rule. */
  public byte[] next(double invalidShare) {
    GenericRecord o = order();
    if (random.nextDouble() < invalidShare) {
      o.put("amount", -1.0);
    }
    return confluent(o);
  }

  /** Magic byte 0, the schema id, Avro binary. */
  public byte[] confluent(GenericRecord record) {
    try {
      out.reset();
      out.write(0);
      out.write(new byte[] {0, 0, 0, (byte) SCHEMA_ID});
      encoder = EncoderFactory.get().binaryEncoder(out, encoder);
      writer.write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
