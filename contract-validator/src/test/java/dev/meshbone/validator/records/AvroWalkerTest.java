package dev.meshbone.validator.records;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshbone.rules.DataRules;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** The walker against Avro's own decoder, and the meaning of each kind of rule. */
class AvroWalkerTest {
  /** Every Avro type but boolean (whose strictness differs on purpose), nested and recursive. */
  private static final Schema RICH =
      new Schema.Parser()
          .parse(
              """
              {"type":"record","name":"Rich","fields":[
                {"name":"i","type":"int"},
                {"name":"l","type":"long"},
                {"name":"f","type":"float"},
                {"name":"d","type":"double"},
                {"name":"s","type":"string"},
                {"name":"b","type":"bytes"},
                {"name":"fx","type":{"type":"fixed","name":"Four","size":4}},
                {"name":"e","type":{"type":"enum","name":"Colour","symbols":["RED","GREEN","BLUE"]}},
                {"name":"u","type":["null","string","long"]},
                {"name":"a","type":{"type":"array","items":"int"}},
                {"name":"m","type":{"type":"map","values":["null","double"]}},
                {"name":"n","type":["null",{"type":"record","name":"Node","fields":[
                  {"name":"v","type":"int"},
                  {"name":"next","type":["null","Node"]}]}]},
                {"name":"dec","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}}
              ]}
              """);

  private static final String RICH_RULES =
      """
      {"domainRules":[
        {"name":"i","type":"MESH","params":{"field":"i","min":"-1000000"}},
        {"name":"s","type":"MESH","params":{"field":"s","maxLength":"1000"}},
        {"name":"e","type":"MESH","params":{"field":"e","allowed":"RED,GREEN,BLUE"}},
        {"name":"a","type":"MESH","params":{"field":"a","maxLength":"1000"}},
        {"name":"m","type":"MESH","params":{"field":"m","minLength":"0"}},
        {"name":"nv","type":"MESH","params":{"field":"n.next.v","min":"-2000000000"}}
      ]}
      """;

  private final Random random = new Random(42);

  @Test
  void shouldAcceptExactlyWhatAvrosDecoderReadsCompletely() throws Exception {
    AvroWalker plain = AvroWalker.compile(RICH, DataRules.NONE);
    AvroWalker ruled = AvroWalker.compile(RICH, DataRules.parse(RICH_RULES));
    int agreedRejections = 0;
    for (int n = 0; n < 3_000; n++) {
      byte[] valid = encode(randomRich());
      assertThat(accepts(plain, valid)).isTrue();
      assertThat(accepts(ruled, valid)).isTrue();

      byte[] bad = mutate(valid);
      Boolean walker = accepts(plain, bad);
      if (walker == null) {
        continue; // a forged array block size: Avro ignores it, the walker refuses it
      }
      boolean avro = avroReadsCompletely(bad);
      assertThat(walker).as("mutation %d of %s", n, toHex(bad)).isEqualTo(avro);
      assertThat(accepts(ruled, bad)).isEqualTo(avro);
      if (!avro) {
        agreedRejections++;
      }
    }
    assertThat(agreedRejections).isGreaterThan(1_000);
  }

  @Test
  void shouldRefuseBooleanBytesOtherThanZeroAndOne() {
    Schema s = record("{\"name\":\"flag\",\"type\":\"boolean\"}");
    AvroWalker walker = AvroWalker.compile(s, DataRules.NONE);
    assertThat(accepts(walker, new byte[] {1})).isTrue();
    assertThat(accepts(walker, new byte[] {2})).isFalse();
  }

  @Test
  void shouldRefuseArrayCountsTheBytesCannotHold() {
    Schema s = record("{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"long\"}}");
    AvroWalker walker = AvroWalker.compile(s, DataRules.NONE);
    // count 2^62 (zig-zag varint), then nothing
    byte[] forged = {
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x80,
      (byte) 0x80,
      0x7f
    };
    assertThat(accepts(walker, forged)).isFalse();
  }

  @Test
  void shouldRefuseDeepNestingOfARecursiveRecord() {
    Schema s =
        new Schema.Parser()
            .parse(
                """
                {"type":"record","name":"L","fields":[{"name":"next","type":["null","L"]}]}
                """);
    AvroWalker walker = AvroWalker.compile(s, DataRules.NONE);
    byte[] deep = new byte[5_000];
    java.util.Arrays.fill(deep, (byte) 2);
    deep[deep.length - 1] = 0;
    var c = new Cursor();
    c.reset(deep, 0);
    try {
      walker.walk(c);
    } catch (MalformedRecordException e) {
      assertThat(e.getMessage()).contains("nested deeper than");
      return;
    }
    throw new AssertionError("expected the walk to refuse the nesting");
  }

  @Test
  void shouldRoundIntegerBoundsInward() {
    String violation = check("{\"name\":\"n\",\"type\":\"int\"}", "n", "\"min\":\"0.5\"", 0);
    assertThat(violation).isEqualTo("n is 0, below the minimum 0.5");
    assertThat(check("{\"name\":\"n\",\"type\":\"int\"}", "n", "\"min\":\"0.5\"", 1)).isNull();
  }

  @Test
  void shouldFailNotANumberAgainstAnyBound() {
    assertThat(check("{\"name\":\"x\",\"type\":\"double\"}", "x", "\"max\":\"10\"", Double.NaN))
        .isNotNull();
  }

  @Test
  void shouldCountStringLengthInCodePoints() {
    String field = "{\"name\":\"t\",\"type\":\"string\"}";
    assertThat(check(field, "t", "\"maxLength\":\"3\"", "äöü")).isNull();
    assertThat(check(field, "t", "\"maxLength\":\"3\"", "äöüß"))
        .isEqualTo("t has 4 character(s), more than maxLength 3");
  }

  @Test
  void shouldCompareDecimalsByValue() {
    String field =
        "{\"name\":\"p\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":9,\"scale\":2}}";
    ByteBuffer ok = ByteBuffer.wrap(new BigDecimal("99.99").unscaledValue().toByteArray());
    ByteBuffer high = ByteBuffer.wrap(new BigDecimal("100.01").unscaledValue().toByteArray());
    assertThat(check(field, "p", "\"max\":\"100\"", ok)).isNull();
    assertThat(check(field, "p", "\"max\":\"100\"", high))
        .isEqualTo("p is 100.01, above the maximum 100");
  }

  @Test
  void shouldApplyAPatternToEnumSymbols() {
    String field =
        "{\"name\":\"c\",\"type\":{\"type\":\"enum\",\"name\":\"C\",\"symbols\":[\"A1\",\"B2\"]}}";
    Schema s = record(field);
    var b2 = new GenericData.EnumSymbol(s.getField("c").schema(), "B2");
    assertThat(check(field, "c", "\"pattern\":\"A.*\"", b2)).startsWith("c is B2");
  }

  @Test
  void shouldApplyValueRulesToEveryMapValueAndLengthRulesToTheMap() {
    String field = "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"long\"}}";
    var map = new HashMap<String, Long>();
    map.put("a", 5L);
    map.put("b", 50L);
    assertThat(check(field, "m", "\"max\":\"10\"", map)).isEqualTo("m is 50, above the maximum 10");
    assertThat(check(field, "m", "\"maxLength\":\"1\"", map))
        .isEqualTo("m has 2 entries, more than maxLength 1");
  }

  @Test
  void shouldLetANullValueThroughUnlessRequired() {
    String field = "{\"name\":\"o\",\"type\":[\"null\",\"long\"]}";
    assertThat(check(field, "o", "\"min\":\"1\"", null)).isNull();
    assertThat(check(field, "o", "\"required\":\"true\"", null))
        .isEqualTo("o is required but is null");
  }

  // ---------------------------------------------------------------------------------------------

  /** A one-field record with a rule on it; returns the violation message, or null. */
  private static String check(String field, String path, String params, Object value) {
    Schema s = record(field);
    var rules =
        DataRules.parse(
            "{\"domainRules\":[{\"name\":\"r\",\"type\":\"MESH\",\"params\":{\"field\":\""
                + path
                + "\","
                + params
                + "}}]}");
    var r = new GenericData.Record(s);
    r.put(0, value);
    byte[] bytes = encode(r);
    var c = new Cursor();
    c.reset(bytes, 0);
    AvroWalker.compile(s, rules).walk(c);
    assertThat(c.pos).isEqualTo(bytes.length);
    return c.violation;
  }

  private static Schema record(String field) {
    return new Schema.Parser()
        .parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[" + field + "]}");
  }

  /** True or false as the walker decides; null for a forged block size (expected difference). */
  private static Boolean accepts(AvroWalker walker, byte[] bytes) {
    var c = new Cursor();
    c.reset(bytes, 0);
    try {
      walker.walk(c);
      return c.pos == bytes.length;
    } catch (MalformedRecordException e) {
      return e.getMessage().contains("block declares") ? null : false;
    }
  }

  private static boolean avroReadsCompletely(byte[] bytes) {
    try {
      BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
      new GenericDatumReader<GenericRecord>(RICH).read(null, decoder);
      return decoder.isEnd();
    } catch (Exception | OutOfMemoryError e) {
      return false;
    }
  }

  private static byte[] encode(GenericRecord record) {
    try {
      var out = new ByteArrayOutputStream();
      var encoder = EncoderFactory.get().binaryEncoder(out, null);
      new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private GenericRecord randomRich() {
    var r = new GenericData.Record(RICH);
    r.put("i", random.nextInt());
    r.put("l", random.nextLong() >> random.nextInt(63));
    r.put("f", random.nextFloat());
    r.put("d", random.nextDouble());
    r.put("s", randomString());
    byte[] b = new byte[random.nextInt(6)];
    random.nextBytes(b);
    r.put("b", ByteBuffer.wrap(b));
    byte[] four = new byte[4];
    random.nextBytes(four);
    r.put("fx", new GenericData.Fixed(RICH.getField("fx").schema(), four));
    r.put(
        "e",
        new GenericData.EnumSymbol(
            RICH.getField("e").schema(), List.of("RED", "GREEN", "BLUE").get(random.nextInt(3))));
    r.put(
        "u",
        switch (random.nextInt(3)) {
          case 0 -> null;
          case 1 -> randomString();
          default -> random.nextLong();
        });
    var ints = new ArrayList<Integer>();
    for (int k = random.nextInt(4); k > 0; k--) {
      ints.add(random.nextInt(1000));
    }
    r.put("a", ints);
    var map = new HashMap<String, Double>();
    for (int k = random.nextInt(3); k > 0; k--) {
      map.put(randomString(), random.nextBoolean() ? null : random.nextDouble());
    }
    r.put("m", map);
    Schema node = RICH.getField("n").schema().getTypes().get(1);
    GenericRecord chain = null;
    for (int k = random.nextInt(4); k > 0; k--) {
      var next = new GenericData.Record(node);
      next.put("v", random.nextInt());
      next.put("next", chain);
      chain = next;
    }
    r.put("n", chain);
    r.put("dec", ByteBuffer.wrap(BigInteger.valueOf(random.nextInt(100_000) + 1).toByteArray()));
    return r;
  }

  private String randomString() {
    var sb = new StringBuilder();
    for (int k = random.nextInt(8); k > 0; k--) {
      sb.append((char) ('a' + random.nextInt(26)));
    }
    if (random.nextInt(10) == 0) {
      sb.append("é");
    }
    return sb.toString();
  }

  private byte[] mutate(byte[] valid) {
    byte[] out;
    switch (random.nextInt(4)) {
      case 0 -> out = java.util.Arrays.copyOf(valid, random.nextInt(valid.length));
      case 1 -> {
        out = valid.clone();
        out[random.nextInt(out.length)] = (byte) random.nextInt(256);
      }
      case 2 -> {
        out = java.util.Arrays.copyOf(valid, valid.length + 1 + random.nextInt(3));
        for (int k = valid.length; k < out.length; k++) {
          out[k] = (byte) random.nextInt(256);
        }
      }
      default -> {
        out = valid.clone();
        for (int k = 0; k < 3; k++) {
          out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
      }
    }
    return out;
  }

  private static String toHex(byte[] b) {
    var sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x & 0xff));
    }
    return sb.toString();
  }
}
