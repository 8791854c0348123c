package dev.meshbone.serde;

import dev.meshbone.serde.internal.AvroModels;
import dev.meshbone.serde.internal.AvroSchemas;
import dev.meshbone.serde.internal.EncodeBuffers;
import dev.meshbone.serde.internal.ProjectingDatumWriter;
import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificFixed;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer in the Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro
 * binary), a drop-in for Confluent's {@code io.confluent.kafka.serializers.KafkaAvroSerializer}:
 * same settings, same subjects, same bytes.
 *
 * <p>Takes a {@code GenericRecord}, a generated {@code SpecificRecord} (or enum, fixed), or a
 * String, Integer, Long, Float, Double, Boolean, byte[] or ByteBuffer (as the Avro primitive). The
 * first record of each (topic, schema) registers its schema ({@code auto.register.schemas}, the
 * default), looks it up, or takes the subject's latest version ({@code use.latest.version}); the
 * answer is cached by schema identity with a ready writer, so later records cost one cache read
 * plus the Avro encoding itself. Java-only schema properties ({@code avro.java.string}) are not
 * registered, so a generated class gets the id non-Java clients get for its .avsc.
 *
 * <p>A null value serializes to null (a tombstone). A value that is not Avro, a record that does
 * not match its schema, or a registry refusal (incompatible schema, unknown subject, registry down
 * after retries) throws {@link SerializationException} saying which; the registry's error, if any,
 * is its cause.
 *
 * <p>Thread-safe: one instance may serve all of a producer's threads.
 */
public class KafkaAvroSerializer implements Serializer<Object> {
  // Identity caches stay small in practice (one entry per schema instance and topic); a caller
  // that builds a new Schema object per record would grow them without bound, so they restart.
  private static final int MAX_CACHED_SCHEMAS = 1000;

  private SchemaRegistryClient client;
  private boolean ownsClient;
  private AvroSerdeConfig config = AvroSerdeConfig.defaults();
  private boolean isKey;
  private GenericData genericModel = GenericData.get();

  private volatile Entry last;
  private volatile IdentityHashMap<Schema, Entry[]> entries = new IdentityHashMap<>();

  /** What one (topic, schema) is written as: the id's header and a writer for the schema. */
  private record Entry(
      String topic, Schema schema, byte[] header, DatumWriter<Object> writer, long expiresAt) {}

  /** A serializer to {@link #configure} (Kafka creates it so from {@code value.serializer}). */
  public KafkaAvroSerializer() {}

  /** A serializer using {@code client}; configure it, or use the defaults. */
  public KafkaAvroSerializer(SchemaRegistryClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** A value serializer using {@code client}, configured by {@code props}. */
  public KafkaAvroSerializer(SchemaRegistryClient client, Map<String, ?> props) {
    this(client);
    configure(props, false);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.config = AvroSerdeConfig.fromMap(configs);
    this.isKey = isKey;
    // As Confluent's: generic records carry logical types as Java objects only when told to.
    this.genericModel =
        config.useLogicalTypeConverters() ? AvroModels.genericWithConversions() : GenericData.get();
    if (client == null) {
      client = RestSchemaRegistryClient.fromConfig(configs);
      ownsClient = true;
    }
    clearCache();
  }

  /** The settings in force. */
  public AvroSerdeConfig config() {
    return config;
  }

  @Override
  public byte[] serialize(String topic, Object data) {
    if (data == null) {
      return null;
    }
    Schema schema = AvroSchemas.schemaOf(data);
    if (schema == null) {
      throw new SerializationException(
          "cannot serialize a "
              + data.getClass().getName()
              + " as Avro: give a GenericRecord, a generated SpecificRecord, or a String, Integer,"
              + " Long, Float, Double, Boolean or byte[]");
    }
    Entry entry = cached(topic, schema);
    if (entry == null) {
      entry = resolve(topic, schema, data);
    }
    Object datum = data instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : data;
    EncodeBuffers buffers = EncodeBuffers.acquire();
    try {
      buffers.out.write(entry.header, 0, ConfluentWireFormat.HEADER_SIZE);
      entry.writer.write(datum, buffers.encoder);
      buffers.encoder.flush();
      byte[] bytes = buffers.out.toByteArray();
      buffers.release();
      return bytes;
    } catch (Exception e) {
      buffers.discard();
      throw new SerializationException(
          "cannot encode a "
              + schema.getFullName()
              + " for topic "
              + topic
              + " with its schema: "
              + e.getMessage(),
          e);
    }
  }

  private Entry cached(String topic, Schema schema) {
    Entry entry = last;
    if (entry == null || entry.schema != schema || !Objects.equals(entry.topic, topic)) {
      entry = null;
      Entry[] candidates = entries.get(schema);
      if (candidates != null) {
        for (Entry candidate : candidates) {
          if (Objects.equals(candidate.topic, topic)) {
            entry = candidate;
            last = candidate;
            break;
          }
        }
      }
    }
    if (entry != null
        && entry.expiresAt != Long.MAX_VALUE
        && System.nanoTime() - entry.expiresAt > 0) {
      return null;
    }
    return entry;
  }

  private Entry resolve(String topic, Schema schema, Object datum) {
    String subject;
    try {
      subject = config.subjectNameStrategy(isKey).subjectName(topic, isKey, schema);
    } catch (RuntimeException e) {
      throw new SerializationException(
          "cannot name the subject of " + schema.getFullName() + " for topic " + topic, e);
    }
    if (client == null) {
      throw new IllegalStateException(
          "KafkaAvroSerializer is not configured: call configure(props, isKey) with "
              + SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG);
    }
    GenericData model = modelOf(datum);
    int id;
    DatumWriter<Object> writer;
    long expiresAt = Long.MAX_VALUE;
    try {
      if (config.autoRegisterSchemas()) {
        id = client.register(subject, schema, config.normalizeSchemas());
        writer = writerOf(schema, model);
      } else if (config.useLatestVersion()) {
        RegisteredSchema latest = client.latest(subject);
        id = latest.id();
        writer = latestWriter(subject, schema, latest, model);
        if (config.latestCacheTtl() != null) {
          expiresAt = System.nanoTime() + config.latestCacheTtl().toNanos();
        }
      } else {
        id = client.lookup(subject, schema, config.normalizeSchemas()).id();
        writer = writerOf(schema, model);
      }
    } catch (SchemaRegistryException e) {
      throw new SerializationException(registryFailure(subject, schema, e), e);
    }
    Entry entry = new Entry(topic, schema, ConfluentWireFormat.header(id), writer, expiresAt);
    remember(entry);
    return entry;
  }

  private String registryFailure(String subject, Schema schema, SchemaRegistryException e) {
    String action;
    if (config.autoRegisterSchemas()) {
      action =
          "cannot register the schema of " + schema.getFullName() + " under subject " + subject;
    } else if (config.useLatestVersion()) {
      action = "cannot get the latest version of subject " + subject;
    } else if (e.isNotFound()) {
      action =
          "the schema of "
              + schema.getFullName()
              + " is not registered under subject "
              + subject
              + " and auto.register.schemas=false";
    } else {
      action = "cannot look up the schema of " + schema.getFullName() + " under subject " + subject;
    }
    return action + ": " + e.getMessage();
  }

  private DatumWriter<Object> latestWriter(
      String subject, Schema schema, RegisteredSchema latest, GenericData model) {
    Schema plain = AvroSchemas.withoutJavaProperties(schema);
    if (plain.equals(latest.schema())) {
      return writerOf(schema, model);
    }
    if (config.latestCompatibilityStrict()) {
      var result =
          SchemaCompatibility.checkReaderWriterCompatibility(latest.schema(), plain).getResult();
      if (result.getCompatibility() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
        throw new SerializationException(
            "the latest version ("
                + latest.version()
                + ", id "
                + latest.id()
                + ") of subject "
                + subject
                + " cannot read a "
                + schema.getFullName()
                + " (latest.compatibility.strict=true): "
                + describe(result));
      }
    }
    SpecificData projecting = AvroModels.specificWithConversions();
    return new ProjectingDatumWriter(latest.schema(), projecting);
  }

  static String describe(SchemaCompatibility.SchemaCompatibilityResult result) {
    StringBuilder text = new StringBuilder();
    for (var incompatibility : result.getIncompatibilities()) {
      if (!text.isEmpty()) {
        text.append("; ");
      }
      text.append(incompatibility.getType())
          .append(" at ")
          .append(incompatibility.getLocation())
          .append(": ")
          .append(incompatibility.getMessage());
    }
    return text.toString();
  }

  private GenericData modelOf(Object datum) {
    if (datum instanceof SpecificRecord
        || datum instanceof SpecificFixed
        || datum instanceof Enum) {
      return SpecificData.getForClass(datum.getClass());
    }
    return genericModel;
  }

  @SuppressWarnings("unchecked")
  private static DatumWriter<Object> writerOf(Schema schema, GenericData model) {
    return model instanceof SpecificData specific
        ? (DatumWriter<Object>) (DatumWriter<?>) new SpecificDatumWriter<>(schema, specific)
        : new GenericDatumWriter<>(schema, model);
  }

  private synchronized void remember(Entry entry) {
    IdentityHashMap<Schema, Entry[]> next =
        entries.size() >= MAX_CACHED_SCHEMAS
            ? new IdentityHashMap<>()
            : new IdentityHashMap<>(entries);
    Entry[] old = next.get(entry.schema);
    Entry[] updated;
    if (old == null) {
      updated = new Entry[] {entry};
    } else {
      int at = -1;
      for (int i = 0; i < old.length; i++) {
        if (Objects.equals(old[i].topic, entry.topic)) {
          at = i;
        }
      }
      updated = java.util.Arrays.copyOf(old, at < 0 ? old.length + 1 : old.length);
      updated[at < 0 ? old.length : at] = entry;
    }
    next.put(entry.schema, updated);
    entries = next;
    last = entry;
  }

  private synchronized void clearCache() {
    entries = new IdentityHashMap<>();
    last = null;
  }

  @Override
  public void close() {
    clearCache();
    if (ownsClient && client != null) {
      client.close();
    }
  }
}
