package dev.meshbone.validator.records;

import dev.meshbone.events.ProductStats;
import dev.meshbone.topics.DlqHeaders;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.InvalidNameException;
import dev.meshbone.topics.ProductId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Checks each ingest record and forwards it, as a {@link Routed}, to its product topic or its
 * dead-letter topic in the partition it came from; every {@code statsFlushInterval} it also
 * forwards, per product with new records, a {@link ProductStats} of the counts since the last flush
 * (keyed by product id) for the statistics aggregation.
 *
 * <p><b>Exactly-once counts.</b> The counts not yet flushed are not only in memory: each record
 * also writes its product's pending counts to the task's {@link
 * RecordValidation#PENDING_STATS_STORE} (changelogged, cached: the cache sends the latest value of
 * each product to the changelog once per commit). So every transaction that commits records also
 * commits their counts, and the flush that forwards a delta deletes it from the store in the same
 * transaction. After a crash the task restores the pending counts of what it committed and
 * reprocesses the rest; a count is neither lost nor taken twice.
 *
 * <p>Nothing here throws for a bad record: every outcome of the check is a forward. The one wait is
 * the first record of an ingest topic in this task, which makes sure the product's output topics
 * exist.
 */
final class ValidateRecordProcessor implements Processor<byte[], byte[], Object, Object> {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ValidateRecordProcessor.class);
  private static final RejectReason[] REASONS = RejectReason.values();

  private final ContractCatalog catalog;
  private final RecordValidationSettings settings;
  private final Map<String, Route> routes = new HashMap<>();
  private Route lastRoute;
  private ProcessorContext<Object, Object> context;
  private RecordValidator validator;
  private KeyValueStore<Bytes, byte[]> pending;

  ValidateRecordProcessor(ContractCatalog catalog, RecordValidationSettings settings) {
    this.catalog = catalog;
    this.settings = settings;
  }

  /** One ingest topic as this task sees it: where its records go, and its counts since a flush. */
  private static final class Route {
    final String sourceTopic;
    final ProductId product;
    final Bytes storeKey;
    final String productTopic;
    final String dlqTopic;
    long generation = -1;
    ProductContracts contracts;

    /** Whether its output topics were made sure of (not yet for counts restored at init). */
    boolean opened;

    boolean dirty;
    final PendingCounts counts = new PendingCounts();

    Route(String sourceTopic, ProductId product) {
      this.sourceTopic = sourceTopic;
      this.product = product;
      this.storeKey = Bytes.wrap(product.toString().getBytes(StandardCharsets.UTF_8));
      this.productTopic = DomainTopics.validated(product);
      this.dlqTopic = DomainTopics.dlq(product);
    }
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.validator = new RecordValidator(catalog, settings.maxRecordBytes());
    this.pending = context.getStateStore(RecordValidation.PENDING_STATS_STORE);
    // A task may be initialized again on the same processor (after a dirty close): the only
    // counts that hold are the committed ones, in the store.
    routes.clear();
    lastRoute = null;
    restorePending();
    context.schedule(
        settings.statsFlushInterval(), PunctuationType.WALL_CLOCK_TIME, this::flushStats);
  }

  /** Takes up the counts this task committed but had not flushed when it last stopped. */
  private void restorePending() {
    try (KeyValueIterator<Bytes, byte[]> all = pending.all()) {
      while (all.hasNext()) {
        KeyValue<Bytes, byte[]> kv = all.next();
        ProductId product = ProductId.parse(new String(kv.key.get(), StandardCharsets.UTF_8));
        String topic = DomainTopics.ingest(product);
        Route route = routes.computeIfAbsent(topic, t -> new Route(t, product));
        route.counts.addEncoded(kv.value);
        route.dirty = true;
      }
    }
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    String topic = meta.topic();
    Route route = lastRoute;
    if (route == null || !route.sourceTopic.equals(topic)) {
      route = routes.get(topic);
      if (route == null || !route.opened) {
        route = open(topic, route);
      }
      lastRoute = route;
    }
    long generation = catalog.generation();
    if (route.generation != generation) {
      route.contracts = catalog.resolve(route.product);
      route.generation = generation;
    }
    RejectReason reason = validator.check(record.key(), record.value(), route.contracts);

    long ts = record.timestamp();
    PendingCounts counts = route.counts;
    route.dirty = true;
    if (ts > counts.lastRecordAt) {
      counts.lastRecordAt = ts;
    }
    if (reason == null) {
      counts.valid++;
      if (ts > counts.lastValidAt) {
        counts.lastValidAt = ts;
      }
      context.forward(
          record.withValue(new Routed(record.value(), route.productTopic, meta.partition())),
          RecordValidation.RECORDS_SINK);
    } else {
      counts.invalid[reason.ordinal()]++;
      context.forward(deadLetter(record, meta, route, reason), RecordValidation.RECORDS_SINK);
    }
    pending.put(route.storeKey, counts.encode());
  }

  private Route open(String topic, Route restored) {
    // The source pattern only matches topics that name a product.
    ProductId product =
        DomainTopics.productOfIngest(topic)
            .orElseThrow(() -> new InvalidNameException("not an ingest topic: " + topic));
    settings.outputTopics().ensureOutputs(product);
    Route route = restored == null ? new Route(topic, product) : restored;
    route.opened = true;
    routes.put(topic, route);
    return route;
  }

  private Record<byte[], Routed> deadLetter(
      Record<byte[], byte[]> record, RecordMetadata meta, Route route, RejectReason reason) {
    Headers headers = new RecordHeaders(record.headers().toArray());
    for (String name : DlqHeaders.ALL) {
      headers.remove(name);
    }
    RecordValidator v = validator;
    add(headers, DlqHeaders.REASON, reason.name());
    add(headers, DlqHeaders.MESSAGE, v.message());
    add(headers, DlqHeaders.PART, v.part());
    if (v.rule() != null) {
      add(headers, DlqHeaders.RULE, v.rule());
      add(headers, DlqHeaders.FIELD, v.field());
    }
    if (v.schemaId() >= 0) {
      add(headers, DlqHeaders.SCHEMA_ID, Integer.toString(v.schemaId()));
    }
    add(headers, DlqHeaders.SUBJECT, v.subject());
    add(headers, DlqHeaders.SOURCE_TOPIC, meta.topic());
    add(headers, DlqHeaders.SOURCE_PARTITION, Integer.toString(meta.partition()));
    add(headers, DlqHeaders.SOURCE_OFFSET, Long.toString(meta.offset()));

    byte[] key = record.key();
    byte[] value = record.value();
    if (reason == RejectReason.TOO_LARGE) {
      // Cut to fit the dead-letter topic; the full record stays at the source offset.
      int limit = settings.maxRecordBytes();
      add(headers, DlqHeaders.ORIGINAL_SIZE, Integer.toString(value.length));
      if (key != null && key.length > limit / 2) {
        key = Arrays.copyOf(key, limit / 2);
      }
      value = Arrays.copyOf(value, Math.max(0, limit - (key == null ? 0 : key.length)));
    }
    return new Record<>(
        key, new Routed(value, route.dlqTopic, meta.partition()), record.timestamp(), headers);
  }

  private static void add(Headers headers, String name, String value) {
    if (value != null) {
      headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Sends each changed product's counts since the last flush and deletes them from the pending
   * store (both in the transaction that is open), then starts them again.
   */
  private void flushStats(long now) {
    for (Route route : routes.values()) {
      if (!route.dirty) {
        continue;
      }
      PendingCounts counts = route.counts;
      long invalid = 0;
      Map<String, Long> byReason = new LinkedHashMap<>();
      for (int i = 0; i < REASONS.length; i++) {
        if (counts.invalid[i] > 0) {
          byReason.put(REASONS[i].name(), counts.invalid[i]);
          invalid += counts.invalid[i];
        }
      }
      ProductStats delta =
          ProductStats.newBuilder()
              .setProductId(route.product.toString())
              .setValid(counts.valid)
              .setInvalid(invalid)
              .setInvalidByReason(byReason)
              .setLastRecordAt(instant(counts.lastRecordAt))
              .setLastValidAt(instant(counts.lastValidAt))
              .setUpdatedAt(Instant.ofEpochMilli(now))
              .build();
      context.forward(
          new Record<>(route.product.toString(), delta, now), RecordValidation.STATS_CHILD);
      pending.delete(route.storeKey);
      try {
        settings.listener().onCounts(route.product, delta);
      } catch (RuntimeException e) {
        // Metrics must never stop validation.
        LOG.warn("validation listener failed for {}", route.product, e);
      }
      route.dirty = false;
      counts.clear();
    }
  }

  private static Instant instant(long millis) {
    return millis == PendingCounts.NONE ? null : Instant.ofEpochMilli(millis);
  }
}
