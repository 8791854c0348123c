package dev.meshbone.registry.products.catalog;

import dev.meshbone.serde.MeshEventSerde;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serdes of the registry's own store values and repartition records. They never leave the
 * registry's application (its stores, changelogs and repartition topics), so they are a compact
 * binary layout versioned by a leading byte rather than a mesh contract; mesh records inside them
 * (a {@code Subscription}, a {@code Notification}) keep their single-object encoding, so a contract
 * that gains a field still reads.
 */
public final class Codecs {
  /** The layout version every value starts with; a reader refuses one it does not know. */
  static final byte FORMAT = 1;

  private Codecs() {}

  /** Writes and reads one value type. */
  interface Codec<T> {
    void write(DataOutputStream out, T value) throws IOException;

    T read(DataInputStream in) throws IOException;
  }

  static <T> Serde<T> serde(String what, Codec<T> codec) {
    Serializer<T> serializer =
        (topic, value) -> {
          if (value == null) {
            return null;
          }
          var bytes = new ByteArrayOutputStream(64);
          try (var out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            codec.write(out, value);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return bytes.toByteArray();
        };
    Deserializer<T> deserializer =
        (topic, data) -> {
          if (data == null) {
            return null;
          }
          try (var in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte format = in.readByte();
            if (format != FORMAT) {
              throw new SerializationException(
                  what
                      + ": unknown layout version "
                      + format
                      + " (this registry reads "
                      + FORMAT
                      + ")");
            }
            return codec.read(in);
          } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException s) {
              throw s;
            }
            throw new SerializationException("cannot read " + what + ": " + e.getMessage(), e);
          }
        };
    return Serdes.serdeFrom(serializer, deserializer);
  }

  /** A list of strings, such as the product ids of a lineage or subject index entry. */
  public static Serde<List<String>> stringList() {
    return serde(
        "string list",
        new Codec<>() {
          @Override
          public void write(DataOutputStream out, List<String> value) throws IOException {
            writeStrings(out, value);
          }

          @Override
          public List<String> read(DataInputStream in) throws IOException {
            return readStrings(in);
          }
        });
  }

  static void writeStrings(DataOutputStream out, List<String> values) throws IOException {
    out.writeInt(values.size());
    for (String v : values) {
      out.writeUTF(v);
    }
  }

  static List<String> readStrings(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 1_000_000) {
      throw new IOException("implausible list length " + n);
    }
    var values = new ArrayList<String>(n);
    for (int i = 0; i < n; i++) {
      values.add(in.readUTF());
    }
    return values;
  }

  static void writeNullableString(DataOutputStream out, String value) throws IOException {
    out.writeBoolean(value != null);
    if (value != null) {
      out.writeUTF(value);
    }
  }

  static String readNullableString(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  /** Writes a mesh record in its single-object encoding, length-prefixed; null allowed. */
  static <R extends SpecificRecord> void writeRecord(
      DataOutputStream out, MeshEventSerde<R> serde, R record) throws IOException {
    if (record == null) {
      out.writeInt(-1);
      return;
    }
    byte[] bytes = serde.serialize(null, record);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static <R extends SpecificRecord> R readRecord(DataInputStream in, MeshEventSerde<R> serde)
      throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    if (n > 16 * 1024 * 1024) {
      throw new IOException("implausible record length " + n);
    }
    byte[] bytes = in.readNBytes(n);
    if (bytes.length != n) {
      throw new IOException("truncated record: " + bytes.length + " of " + n + " bytes");
    }
    return serde.deserialize(null, bytes);
  }
}
