package dev.meshbone.serde;

import dev.meshbone.serde.internal.Configs;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The settings of {@link KafkaAvroSerializer}, {@link KafkaAvroDeserializer}, {@link
 * GenericAvroSerde} and {@link SpecificAvroSerde}, by the names Confluent's serializers use, read
 * from the map Kafka hands to {@code configure(Map, isKey)}. The registry client's own settings
 * ({@code schema.registry.url}, {@code basic.auth.*}, retries and timeouts) are in {@link
 * SchemaRegistryClientConfig}.
 *
 * @param autoRegisterSchemas serializer: register the record's schema (else look it up)
 * @param useLatestVersion serializer (without auto-register): write under the subject's latest
 *     version; generic deserializer: read into the latest version
 * @param latestCompatibilityStrict with {@code useLatestVersion}: refuse a record whose schema the
 *     latest version cannot read
 * @param latestCacheTtl how long the latest version is trusted; null for the life of the serde
 * @param normalizeSchemas ask the registry to normalize schemas on register and lookup
 * @param keySubjectNameStrategy subject of keys
 * @param valueSubjectNameStrategy subject of values
 * @param specificAvroReader deserializer: generated classes instead of {@code GenericRecord}
 * @param specificKeyType deserializer: the generated class of keys, or null (from the writer
 *     schema)
 * @param specificValueType deserializer: the generated class of values, or null
 * @param trustedPackages packages whose generated classes may be instantiated (Avro 1.12 trap)
 * @param useLogicalTypeConverters generic records: logical types as Java objects (Instant,
 *     BigDecimal, UUID, LocalDate) instead of their underlying long/bytes/string
 */
public record AvroSerdeConfig(
    boolean autoRegisterSchemas,
    boolean useLatestVersion,
    boolean latestCompatibilityStrict,
    Duration latestCacheTtl,
    boolean normalizeSchemas,
    SubjectNameStrategy keySubjectNameStrategy,
    SubjectNameStrategy valueSubjectNameStrategy,
    boolean specificAvroReader,
    Class<?> specificKeyType,
    Class<?> specificValueType,
    List<String> trustedPackages,
    boolean useLogicalTypeConverters) {

  public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
  public static final String AUTO_REGISTER_SCHEMAS_DOC =
      "Serializer: register the record's schema under its subject on first use (default true)."
          + " When false, the schema must already be registered (looked up with POST"
          + " /subjects/{s}), unless use.latest.version is set.";

  public static final String USE_LATEST_VERSION_CONFIG = "use.latest.version";
  public static final String USE_LATEST_VERSION_DOC =
      "Serializer, when auto.register.schemas=false: write every record under the subject's latest"
          + " version (its id, its schema; fields matched by name, defaults for missing ones)."
          + " Generic deserializer: read records into the latest version's schema. Default false.";

  public static final String LATEST_COMPATIBILITY_STRICT_CONFIG = "latest.compatibility.strict";
  public static final String LATEST_COMPATIBILITY_STRICT_DOC =
      "With use.latest.version: refuse a record whose schema the latest version cannot read"
          + " (default true).";

  public static final String LATEST_CACHE_TTL_SEC_CONFIG = "latest.cache.ttl.sec";
  public static final String LATEST_CACHE_TTL_SEC_DOC =
      "With use.latest.version: seconds the latest version is kept before it is asked again; -1"
          + " (default) keeps it for the life of the serde.";

  public static final String NORMALIZE_SCHEMAS_CONFIG = "normalize.schemas";
  public static final String NORMALIZE_SCHEMAS_DOC =
      "Ask the registry to normalize schemas on register and lookup (?normalize=true). Default"
          + " false.";

  public static final String KEY_SUBJECT_NAME_STRATEGY_CONFIG = "key.subject.name.strategy";
  public static final String VALUE_SUBJECT_NAME_STRATEGY_CONFIG = "value.subject.name.strategy";
  public static final String SUBJECT_NAME_STRATEGY_DOC =
      "TopicNameStrategy (default: <topic>-key / <topic>-value), RecordNameStrategy (the record's"
          + " full name) or TopicRecordNameStrategy (<topic>-<full name>), by Confluent's class"
          + " names or the short names, or a class implementing "
          + "dev.meshbone.serde.SubjectNameStrategy.";

  public static final String SPECIFIC_AVRO_READER_CONFIG = "specific.avro.reader";
  public static final String SPECIFIC_AVRO_READER_DOC =
      "Deserializer: return generated SpecificRecord classes (the class named by the writer"
          + " schema, or specific.avro.key.type / specific.avro.value.type), reading the writer's"
          + " schema into the class's schema. Default false: GenericRecord in the writer's schema.";

  public static final String SPECIFIC_AVRO_KEY_TYPE_CONFIG = "specific.avro.key.type";
  public static final String SPECIFIC_AVRO_VALUE_TYPE_CONFIG = "specific.avro.value.type";
  public static final String SPECIFIC_AVRO_TYPE_DOC =
      "Deserializer: the generated class (name or Class) to read keys / values into, whatever"
          + " the writer schema's name; implies specific.avro.reader and trusts the class's"
          + " package.";

  public static final String SPECIFIC_AVRO_TRUSTED_PACKAGES_CONFIG =
      "specific.avro.trusted.packages";
  public static final String SPECIFIC_AVRO_TRUSTED_PACKAGES_DOC =
      "Comma-separated Java packages (and their subpackages) whose generated classes the"
          + " deserializer may instantiate. Avro 1.12 refuses any other; meshbone's own"
          + " dev.meshbone.events is always trusted.";

  public static final String AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG =
      "avro.use.logical.type.converters";
  public static final String AVRO_USE_LOGICAL_TYPE_CONVERTERS_DOC =
      "Generic records: logical types as Java objects (Instant, LocalDate, BigDecimal, UUID), on"
          + " write and read. Default false: their underlying long, int, bytes or string.";

  /** The defaults: auto-register, TopicNameStrategy, generic records. */
  public static AvroSerdeConfig defaults() {
    return fromMap(Map.of());
  }

  /** Reads the settings; unknown keys are ignored (they belong to the Kafka client). */
  public static AvroSerdeConfig fromMap(Map<String, ?> props) {
    long ttl = Configs.number(props, LATEST_CACHE_TTL_SEC_CONFIG, -1, -1);
    return new AvroSerdeConfig(
        Configs.bool(props, AUTO_REGISTER_SCHEMAS_CONFIG, true),
        Configs.bool(props, USE_LATEST_VERSION_CONFIG, false),
        Configs.bool(props, LATEST_COMPATIBILITY_STRICT_CONFIG, true),
        ttl < 0 ? null : Duration.ofSeconds(ttl),
        Configs.bool(props, NORMALIZE_SCHEMAS_CONFIG, false),
        SubjectNameStrategy.of(
            KEY_SUBJECT_NAME_STRATEGY_CONFIG, props.get(KEY_SUBJECT_NAME_STRATEGY_CONFIG)),
        SubjectNameStrategy.of(
            VALUE_SUBJECT_NAME_STRATEGY_CONFIG, props.get(VALUE_SUBJECT_NAME_STRATEGY_CONFIG)),
        Configs.bool(props, SPECIFIC_AVRO_READER_CONFIG, false),
        Configs.type(props, SPECIFIC_AVRO_KEY_TYPE_CONFIG),
        Configs.type(props, SPECIFIC_AVRO_VALUE_TYPE_CONFIG),
        List.copyOf(Configs.list(props, SPECIFIC_AVRO_TRUSTED_PACKAGES_CONFIG)),
        Configs.bool(props, AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG, false));
  }

  public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
    return isKey ? keySubjectNameStrategy : valueSubjectNameStrategy;
  }

  /** The configured generated class of keys or values, or null. */
  public Class<?> specificType(boolean isKey) {
    return isKey ? specificKeyType : specificValueType;
  }
}
