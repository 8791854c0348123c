package dev.meshbone.validator.records;

import dev.meshbone.events.ProductStats;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.MeshTopics;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The record-validation section of the validator's topology: every {@code
 * <domain>.<product>.ingest} topic in, each record to {@code <domain>.<product>} byte for byte, or
 * to {@code <domain>.<product>.dlq} with the reason in headers, in the partition it came from.
 *
 * <pre>
 *   [global] mesh.contracts ─┐                      (compiled contracts, product subjects)
 *   [global] mesh.products  ─┴─▶ ContractCatalog ◀── read by ──┐
 *   &lt;d&gt;.&lt;p&gt;.ingest (pattern) ─▶ validate-record ─┬─▶ to-product-or-dlq ─▶ &lt;d&gt;.&lt;p&gt; | &lt;d&gt;.&lt;p&gt;.dlq
 *                                               └─▶ product-stats-delta ─▶ product-stats-deltas
 *                               (repartition by product) ─▶ sum-product-stats ─▶ mesh.products.stats
 * </pre>
 *
 * <p>One pattern source covers every product, so a new product's ingest topic is picked up without
 * a restart: at the main consumer's next metadata refresh ({@code metadata.max.age.ms}, 10 s in
 * {@code ValidatorStreamsApp}) plus one rebalance, reading it from the beginning. Both global
 * stores are in memory and rebuilt from their topics at each start before any record is checked, so
 * every instance can check any partition of any product.
 */
public final class RecordValidation {
  /**
   * Global store: {@code mesh.contracts} as read (raw bytes), plus, under {@link
   * #LATEST_CONTRACT_TIMESTAMP_KEY}, the latest record timestamp read from it. The contract
   * decisions seed a fresh state from it (see {@code ContractDecisionProcessor}).
   */
  public static final String CONTRACTS_STORE = "record-validation-contracts";

  /**
   * The key in {@link #CONTRACTS_STORE} of the latest record timestamp read from {@code
   * mesh.contracts} (8 bytes, big-endian): the time of the newest contract change. It starts with a
   * NUL, which no key of the contract log does.
   */
  public static final String LATEST_CONTRACT_TIMESTAMP_KEY = "\u0000latest-timestamp";

  /** Global store: {@code mesh.products} as read (raw bytes). */
  public static final String PRODUCTS_STORE = "record-validation-products";

  static final String VALIDATE = "validate-record";
  static final String RECORDS_SINK = "to-product-or-dlq";
  static final String STATS_CHILD = "product-stats-delta";
  static final int STATS_PARTITIONS = 1;

  /** The name of the count deltas' repartition. */
  static final String STATS_DELTAS = "product-stats-deltas";

  /** Each product's cumulative {@link ProductStats}, changelogged. */
  public static final String STATS_STORE = "product-stats";

  /** The topics record validation reads: {@link DomainTopics#PRODUCT_INGEST_PATTERN}. */
  public static final Pattern SOURCE_PATTERN = DomainTopics.PRODUCT_INGEST_PATTERN;

  private RecordValidation() {}

  /** Adds record validation with the default settings (topics assumed to exist, no metrics). */
  public static void addTo(StreamsBuilder builder, MeshTopics topics) {
    addTo(builder, topics, RecordValidationSettings.defaults());
  }

  /**
   * Adds record validation to {@code builder}.
   *
   * @return the catalog the section's global stores fill, for tests and benchmarks
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static ContractCatalog addTo(
      StreamsBuilder builder, MeshTopics topics, RecordValidationSettings settings) {
    settings.statsCommits().attach(topics.productStats, settings.listener());
    ContractCatalog catalog = addCatalog(builder, topics);

    KStream<Object, Object> checked =
        builder.stream(
                SOURCE_PATTERN,
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("ingest-records"))
            .process(() -> new ValidateRecordProcessor(catalog, settings), Named.as(VALIDATE));

    // validate-record forwards each record to the sink by name and each count delta to the
    // statistics branch by name: no branch node between them on the per-record path.
    ((KStream<byte[], Routed>) (KStream) checked)
        .to(
            Routed.TOPIC,
            Produced.with(Serdes.ByteArray(), Routed.SERDE)
                .withStreamPartitioner(Routed.SOURCE_PARTITION)
                .withName(RECORDS_SINK));
    KStream<String, ProductStats> deltas =
        ((KStream<String, Object>) (KStream) checked)
            .mapValues(v -> (ProductStats) v, Named.as(STATS_CHILD))
            .repartition(
                // A fixed count: by default Streams would size it from the ingest topics the
                // pattern matches, and refuse to start once a product with more partitions
                // appears. One partition: a few count deltas a second per product need one task,
                // and every task costs the stream thread a check per loop, on the path of every
                // record.
                Repartitioned.<String, ProductStats>as(STATS_DELTAS)
                    .withNumberOfPartitions(STATS_PARTITIONS)
                    .withKeySerde(topics.productStats.keySerde())
                    .withValueSerde(topics.productStats.valueSerde()));
    addSums(builder, topics, settings, deltas);
    return catalog;
  }

  /**
   * Adds what the topology keeps of record validation when a {@link RecordLoop} checks the records:
   * the catalog's global stores, and the sums of the count deltas the loop commits to {@code
   * countsTopic} into {@code mesh.products.stats}. No ingest source.
   *
   * @return the catalog the global stores fill, for the loop
   */
  public static ContractCatalog addForLoop(
      StreamsBuilder builder,
      MeshTopics topics,
      RecordValidationSettings settings,
      String countsTopic) {
    ContractCatalog catalog = addCatalog(builder, topics);
    addSums(
        builder,
        topics,
        settings,
        builder.stream(
            countsTopic,
            Consumed.with(topics.productStats.keySerde(), topics.productStats.valueSerde())
                .withName("record-counts")));
    return catalog;
  }

  private static ContractCatalog addCatalog(StreamsBuilder builder, MeshTopics topics) {
    var catalog = new ContractCatalog();

    builder.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(CONTRACTS_STORE),
                Serdes.ByteArray(),
                Serdes.ByteArray())
            .withLoggingDisabled(),
        topics.contracts.name(),
        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("contracts-for-records"),
        () -> new CatalogUpdaters.Contracts(catalog, topics.contracts.name(), CONTRACTS_STORE));
    builder.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(PRODUCTS_STORE),
                Serdes.ByteArray(),
                Serdes.ByteArray())
            .withLoggingDisabled(),
        topics.products.name(),
        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("products-for-records"),
        () -> new CatalogUpdaters.Products(catalog, topics.products.name(), PRODUCTS_STORE));

    return catalog;
  }

  /**
   * The count deltas' repartition topic of the app {@code applicationId}, as Kafka Streams names
   * it: {@code <application.id>-product-stats-deltas-repartition}.
   */
  static String statsDeltasTopic(String applicationId) {
    return applicationId + "-" + STATS_DELTAS + "-repartition";
  }

  private static void addSums(
      StreamsBuilder builder,
      MeshTopics topics,
      RecordValidationSettings settings,
      KStream<String, ProductStats> deltas) {
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(STATS_STORE),
                topics.productStats.keySerde(),
                topics.productStats.valueSerde())
            .withCachingDisabled());
    deltas
        .process(
            () -> new ProductStatsAggregator(STATS_STORE, settings.statsEmitInterval()),
            Named.as("sum-product-stats"),
            STATS_STORE)
        .to(
            topics.productStats.name(),
            Produced.with(topics.productStats.keySerde(), topics.productStats.valueSerde())
                .withName("to-product-stats"));
  }
}
