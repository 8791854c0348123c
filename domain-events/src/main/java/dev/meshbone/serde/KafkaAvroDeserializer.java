package dev.meshbone.serde;

import dev.meshbone.serde.internal.AvroModels;
import dev.meshbone.serde.internal.CopyOnWriteIntMap;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer of the Confluent wire format, a drop-in for Confluent's {@code
 * io.confluent.kafka.serializers.KafkaAvroDeserializer}: same settings, same results.
 *
 * <p>The schema id in the header names the writer schema, fetched from the registry once and cached
 * with a ready reader. What comes back:
 *
 * <ul>
 *   <li>by default a {@code GenericRecord} in the writer's schema ({@code use.latest.version}: in
 *       the subject's latest schema);
 *   <li>with {@code specific.avro.reader=true} the generated class the writer schema names (or
 *       {@code specific.avro.value.type}/{@code key.type}), the writer's data resolved into the
 *       class's schema by Avro's schema-resolution rules, so a consumer with an older or newer
 *       class reads records of any compatible version;
 *   <li>for a primitive writer schema the Java value (String, Integer, Long, ..., byte[]).
 * </ul>
 *
 * <p>Null bytes give null. Bytes that are not a whole record throw {@link SerializationException}
 * (a {@link WireFormatException} for bad bytes) saying what is wrong: empty, shorter than the
 * header, wrong magic byte, an id the registry does not know, a payload that ends early, bytes left
 * after the record, or a writer schema the reader cannot read. A registry that stays unreachable
 * through the client's retries also gives a {@link SerializationException}, whose cause is a {@link
 * SchemaRegistryException} with {@link SchemaRegistryException#isTransient()} true.
 *
 * <p>Thread-safe.
 */
public class KafkaAvroDeserializer implements Deserializer<Object> {
  private static final long NEVER = Long.MAX_VALUE;
  private static final ThreadLocal<BinaryDecoder[]> DECODER =
      ThreadLocal.withInitial(() -> new BinaryDecoder[1]);

  private SchemaRegistryClient client;
  private boolean ownsClient;
  private AvroSerdeConfig config = AvroSerdeConfig.defaults();
  private boolean isKey;
  private Class<?> readerType;
  private GenericData genericModel = GenericData.get();

  // Readers by writer id; per topic too when the reader schema depends on the topic's subject.
  private final CopyOnWriteIntMap<Reader> readers = new CopyOnWriteIntMap<>();
  private final Map<String, CopyOnWriteIntMap<Reader>> readersByTopic = new ConcurrentHashMap<>();

  private enum Kind {
    VALUE,
    STRING,
    BYTES,
    /**
     * The record cannot be read (no class, not trusted, incompatible): {@code failure} says why.
     */
    FAILED
  }

  private record Reader(
      int id,
      Schema writer,
      DatumReader<Object> reader,
      Kind kind,
      String failure,
      long expiresAt) {}

  /** A deserializer to {@link #configure} (Kafka creates it so from {@code value.deserializer}). */
  public KafkaAvroDeserializer() {}

  /** A deserializer using {@code client}; configure it, or use the defaults. */
  public KafkaAvroDeserializer(SchemaRegistryClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** A value deserializer using {@code client}, configured by {@code props}. */
  public KafkaAvroDeserializer(SchemaRegistryClient client, Map<String, ?> props) {
    this(client);
    configure(props, false);
  }

  /**
   * A value deserializer using {@code client} and {@code props} that reads into {@code type} (a
   * generated class; its package is trusted).
   */
  public KafkaAvroDeserializer(SchemaRegistryClient client, Map<String, ?> props, Class<?> type) {
    this(client);
    configure(props, false);
    useReaderType(type);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.config = AvroSerdeConfig.fromMap(configs);
    this.isKey = isKey;
    TrustedPackages.trust(config.trustedPackages());
    this.genericModel =
        config.useLogicalTypeConverters() ? AvroModels.genericWithConversions() : GenericData.get();
    Class<?> configured = config.specificType(isKey);
    if (configured != null) {
      useReaderType(configured);
    }
    if (client == null) {
      client = RestSchemaRegistryClient.fromConfig(configs);
      ownsClient = true;
    }
    clearCache();
  }

  /** Reads every record into {@code type} and trusts its package. */
  final void useReaderType(Class<?> type) {
    this.readerType = Objects.requireNonNull(type, "type");
    TrustedPackages.trustPackageOf(type);
    clearCache();
  }

  /** The settings in force. */
  public AvroSerdeConfig config() {
    return config;
  }

  private boolean specific() {
    return readerType != null || config.specificAvroReader();
  }

  private boolean readerDependsOnTopic() {
    return config.useLatestVersion() && !specific();
  }

  @Override
  public Object deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    return decode(topic, ConfluentWireFormat.schemaId(data), data, 0, data.length);
  }

  /**
   * As {@link #deserialize(String, byte[])}, reading a heap buffer in place (the Kafka consumer
   * hands values over as buffers; the default would copy each into a new array first).
   */
  @Override
  public Object deserialize(String topic, Headers headers, ByteBuffer data) {
    if (data == null) {
      return null;
    }
    int id = ConfluentWireFormat.schemaId(data);
    if (data.hasArray()) {
      return decode(
          topic, id, data.array(), data.arrayOffset() + data.position(), data.remaining());
    }
    byte[] copy = new byte[data.remaining()];
    data.duplicate().get(copy);
    return decode(topic, id, copy, 0, copy.length);
  }

  private Object decode(String topic, int id, byte[] data, int offset, int length) {
    Reader reader = reader(topic, id);
    if (reader.kind == Kind.FAILED) {
      throw new SerializationException(reader.failure);
    }
    BinaryDecoder[] holder = DECODER.get();
    BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(
                data,
                offset + ConfluentWireFormat.HEADER_SIZE,
                length - ConfluentWireFormat.HEADER_SIZE,
                holder[0]);
    // Taken out while in use, so a nested call on this thread (a conversion that deserializes)
    // gets its own decoder.
    holder[0] = null;
    Object value;
    try {
      value = reader.reader.read(null, decoder);
      if (!decoder.isEnd()) {
        int extra = decoder.remainingBytes();
        throw new WireFormatException(
            (extra > 0 ? extra + " bytes" : "bytes")
                + " left after the Avro record of schema id "
                + id
                + " ("
                + name(reader.writer)
                + "): the value is longer than one record ("
                + length
                + " bytes in all)");
      }
    } catch (WireFormatException e) {
      throw e;
    } catch (EOFException e) {
      throw new WireFormatException(
          "truncated: the Avro payload of schema id "
              + id
              + " ("
              + name(reader.writer)
              + ") ends early ("
              + (length - ConfluentWireFormat.HEADER_SIZE)
              + " payload bytes)",
          e);
    } catch (Exception e) {
      throw new WireFormatException(
          "cannot decode the Avro payload of schema id "
              + id
              + " ("
              + name(reader.writer)
              + ", "
              + (length - ConfluentWireFormat.HEADER_SIZE)
              + " payload bytes): "
              + e,
          e);
    } finally {
      holder[0] = decoder;
    }
    return switch (reader.kind) {
      case STRING -> value.toString();
      case BYTES -> bytes((ByteBuffer) value);
      default -> value;
    };
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  private static String name(Schema schema) {
    return schema.getFullName();
  }

  private Reader reader(String topic, int id) {
    CopyOnWriteIntMap<Reader> map =
        readerDependsOnTopic()
            ? readersByTopic.computeIfAbsent(String.valueOf(topic), t -> new CopyOnWriteIntMap<>())
            : readers;
    Reader reader = map.get(id);
    if (reader == null || (reader.expiresAt != NEVER && System.nanoTime() - reader.expiresAt > 0)) {
      reader = newReader(topic, id);
      map.put(id, reader);
    }
    return reader;
  }

  private Reader newReader(String topic, int id) {
    if (client == null) {
      throw new IllegalStateException(
          "KafkaAvroDeserializer is not configured: call configure(props, isKey) with "
              + SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG);
    }
    Schema writer;
    try {
      writer = client.schemaById(id);
    } catch (SchemaRegistryException e) {
      String what =
          e.isNotFound()
              ? "unknown schema id " + id + ": the registry has no schema with this id"
              : "cannot fetch schema id " + id + " from the registry";
      throw new SerializationException(what + " (topic " + topic + "): " + e.getMessage(), e);
    }
    Kind kind =
        switch (writer.getType()) {
          case STRING -> Kind.STRING;
          case BYTES -> Kind.BYTES;
          default -> Kind.VALUE;
        };
    boolean primitive =
        switch (writer.getType()) {
          case RECORD, ENUM, FIXED, ARRAY, MAP, UNION -> false;
          default -> true;
        };
    if (primitive) {
      return new Reader(
          id, writer, new GenericDatumReader<>(writer, writer, genericModel), kind, null, NEVER);
    }
    if (specific()) {
      return specificReader(id, writer);
    }
    if (config.useLatestVersion()) {
      return latestReader(topic, id, writer);
    }
    return new Reader(
        id, writer, new GenericDatumReader<>(writer, writer, genericModel), kind, null, NEVER);
  }

  @SuppressWarnings("unchecked")
  private Reader specificReader(int id, Schema writer) {
    Class<?> type = readerType;
    if (type == null) {
      try {
        type = SpecificData.get().getClass(writer);
      } catch (SecurityException e) {
        return failed(
            id,
            writer,
            "the class "
                + SpecificData.getClassName(writer)
                + " named by schema id "
                + id
                + " is not trusted: add its package to "
                + AvroSerdeConfig.SPECIFIC_AVRO_TRUSTED_PACKAGES_CONFIG
                + " (or set "
                + (isKey
                    ? AvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE_CONFIG
                    : AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE_CONFIG)
                + ")");
      }
      if (type == null) {
        return failed(
            id,
            writer,
            "no generated class "
                + SpecificData.getClassName(writer)
                + " for schema id "
                + id
                + " on the classpath, and specific.avro.reader=true: set "
                + (isKey
                    ? AvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE_CONFIG
                    : AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE_CONFIG)
                + " or read GenericRecords");
      }
    }
    SpecificData model = SpecificData.getForClass(type);
    Schema readerSchema;
    try {
      readerSchema = model.getSchema(type);
    } catch (RuntimeException e) {
      return failed(
          id, writer, type.getName() + " is not a generated Avro class: " + e.getMessage());
    }
    var result =
        SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer).getResult();
    if (result.getCompatibility() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      return failed(
          id,
          writer,
          "schema id "
              + id
              + " ("
              + writer.getFullName()
              + ") cannot be read as "
              + type.getName()
              + ": "
              + KafkaAvroSerializer.describe(result));
    }
    DatumReader<Object> reader =
        (DatumReader<Object>)
            (DatumReader<?>) new SpecificDatumReader<>(writer, readerSchema, model);
    return new Reader(id, writer, reader, Kind.VALUE, null, NEVER);
  }

  private Reader latestReader(String topic, int id, Schema writer) {
    String subject = config.subjectNameStrategy(isKey).subjectName(topic, isKey, writer);
    RegisteredSchema latest;
    try {
      latest = client.latest(subject);
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "cannot get the latest version of subject " + subject + ": " + e.getMessage(), e);
    }
    long expiresAt =
        config.latestCacheTtl() == null
            ? NEVER
            : System.nanoTime() + config.latestCacheTtl().toNanos();
    var result =
        SchemaCompatibility.checkReaderWriterCompatibility(latest.schema(), writer).getResult();
    if (result.getCompatibility() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      return new Reader(
          id,
          writer,
          null,
          Kind.FAILED,
          "schema id "
              + id
              + " cannot be read into the latest version ("
              + latest.version()
              + ", id "
              + latest.id()
              + ") of subject "
              + subject
              + ": "
              + KafkaAvroSerializer.describe(result),
          expiresAt);
    }
    return new Reader(
        id,
        writer,
        new GenericDatumReader<>(writer, latest.schema(), genericModel),
        Kind.VALUE,
        null,
        expiresAt);
  }

  private static Reader failed(int id, Schema writer, String why) {
    return new Reader(id, writer, null, Kind.FAILED, why, NEVER);
  }

  private void clearCache() {
    readers.clear();
    readersByTopic.clear();
  }

  @Override
  public void close() {
    clearCache();
    if (ownsClient && client != null) {
      client.close();
    }
  }
}
