package dev.meshbone.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The serde of the mesh's own topics ({@code mesh.*} and the domains' control topics): Avro's <a
 * href="https://avro.apache.org/docs/1.12.0/specification/#single-object-encoding">single-object
 * encoding</a> of the generated contract classes, that is {@code C3 01}, the 8-byte CRC-64-AVRO
 * fingerprint of the writer schema, then Avro binary.
 *
 * <p>Why not the Confluent wire format: {@code mesh.contracts} is the schema registry's own log, so
 * its values cannot depend on a registry to be read; one self-describing encoding for all of the
 * mesh's events keeps every mesh topic readable with nothing but the schema. Older writer schemas
 * can be added with {@link #withOlderSchemas(Schema...)} so a new reader still decodes records
 * written before a contract evolved; {@link #of(Class)} adds by itself every earlier schema kept
 * beside the class as a resource {@code history/<SimpleName>.<n>.avsc} (n = 1, 2, ...), which is
 * how a mesh record that gained a field (with a default) still reads what its old writers wrote.
 *
 * <p>A null value (a tombstone) serializes to null and back. A record that does not decode throws
 * {@link SerializationException}, which Kafka Streams hands to its deserialization exception
 * handler.
 */
public final class MeshEventSerde<T extends SpecificRecord>
    implements Serde<T>, Serializer<T>, Deserializer<T> {

  private final Class<T> type;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  private MeshEventSerde(Class<T> type, Schema... olderSchemas) {
    MeshAvro.trustMeshPackages();
    this.type = Objects.requireNonNull(type, "type");
    Schema schema = SpecificData.get().getSchema(type);
    var store = new SchemaStore.Cache();
    for (Schema older : olderSchemas) {
      store.addSchema(older);
    }
    this.encoder = new BinaryMessageEncoder<>(SpecificData.get(), schema);
    this.decoder = new BinaryMessageDecoder<>(SpecificData.get(), schema, store);
  }

  public static <T extends SpecificRecord> MeshEventSerde<T> of(Class<T> type) {
    return new MeshEventSerde<>(type, HISTORY.get(type));
  }

  private static final ClassValue<Schema[]> HISTORY =
      new ClassValue<>() {
        @Override
        protected Schema[] computeValue(Class<?> type) {
          return history(type);
        }
      };

  /** The earlier schemas of {@code type} kept as resources {@code history/<Name>.<n>.avsc}. */
  static Schema[] history(Class<?> type) {
    var schemas = new java.util.ArrayList<Schema>();
    for (int n = 1; ; n++) {
      try (var in =
          type.getResourceAsStream("history/" + type.getSimpleName() + "." + n + ".avsc")) {
        if (in == null) {
          break;
        }
        schemas.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read the history of " + type.getName(), e);
      }
    }
    return schemas.toArray(Schema[]::new);
  }

  /** A serde that also reads records written under the given earlier versions of the contract. */
  public MeshEventSerde<T> withOlderSchemas(Schema... olderSchemas) {
    var all = new java.util.ArrayList<>(java.util.List.of(HISTORY.get(type)));
    all.addAll(java.util.List.of(olderSchemas));
    return new MeshEventSerde<>(type, all.toArray(Schema[]::new));
  }

  public Class<T> type() {
    return type;
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    try {
      ByteBuffer buffer = encoder.encode(data);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot encode " + type.getSimpleName() + " for topic " + topic + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      return decoder.decode(data);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot decode "
              + type.getSimpleName()
              + " from topic "
              + topic
              + " ("
              + data.length
              + " bytes): "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(java.util.Map<String, ?> configs, boolean isKey) {}

  @Override
  public void close() {}
}
