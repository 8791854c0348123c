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
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Checks each ingest record and forwards it, as a {@link Routed}, to its product topic or its
 * dead-letter topic in the partition it came from; every {@code statsFlushInterval} it also
 * forwards, per product with new records, a {@link ProductStats} of the counts since the last flush
 * (keyed by product id) for the statistics aggregation.
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

  ValidateRecordProcessor(ContractCatalog catalog, RecordValidationSettings settings) {
    this.catalog = catalog;
    this.settings = settings;
  }

  /** One ingest topic as this task sees it: where its records go, and its counts since a flush. */
  private static final class Route {
    final String sourceTopic;
    final ProductId product;
    final String productTopic;
    final String dlqTopic;
    long generation = -1;
    ProductContracts contracts;

    boolean dirty;
    long valid;
    final long[] invalid = new long[REASONS.length];
    long lastRecordAt = Long.MIN_VALUE;
    long lastValidAt = Long.MIN_VALUE;

    Route(String sourceTopic, ProductId product) {
      this.sourceTopic = sourceTopic;
      this.product = product;
      this.productTopic = DomainTopics.validated(product);
      this.dlqTopic = DomainTopics.dlq(product);
    }
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.validator = new RecordValidator(catalog, settings.maxRecordBytes());
    context.schedule(
        settings.statsFlushInterval(), PunctuationType.WALL_CLOCK_TIME, this::flushStats);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    String topic = meta.topic();
    Route route = lastRoute;
    if (route == null || !route.sourceTopic.equals(topic)) {
      route = routes.get(topic);
      if (route == null) {
        route = open(topic);
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
    route.dirty = true;
    if (ts > route.lastRecordAt) {
      route.lastRecordAt = ts;
    }
    if (reason == null) {
      route.valid++;
      if (ts > route.lastValidAt) {
        route.lastValidAt = ts;
      }
      context.forward(
          record.withValue(new Routed(record.value(), route.productTopic, meta.partition())),
          RecordValidation.RECORDS_SINK);
    } else {
      route.invalid[reason.ordinal()]++;
      context.forward(deadLetter(record, meta, route, reason), RecordValidation.RECORDS_SINK);
    }
  }

  private Route open(String topic) {
    // The source pattern only matches topics that name a product.
    ProductId product =
        DomainTopics.productOfIngest(topic)
            .orElseThrow(() -> new InvalidNameException("not an ingest topic: " + topic));
    settings.outputTopics().ensureOutputs(product);
    Route route = new Route(topic, product);
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

  /** Sends each changed product's counts since the last flush, then starts them again. */
  private void flushStats(long now) {
    for (Route route : routes.values()) {
      if (!route.dirty) {
        continue;
      }
      long invalid = 0;
      Map<String, Long> byReason = new LinkedHashMap<>();
      for (int i = 0; i < REASONS.length; i++) {
        if (route.invalid[i] > 0) {
          byReason.put(REASONS[i].name(), route.invalid[i]);
          invalid += route.invalid[i];
        }
      }
      ProductStats delta =
          ProductStats.newBuilder()
              .setProductId(route.product.toString())
              .setValid(route.valid)
              .setInvalid(invalid)
              .setInvalidByReason(byReason)
              .setLastRecordAt(instant(route.lastRecordAt))
              .setLastValidAt(instant(route.lastValidAt))
              .setUpdatedAt(Instant.ofEpochMilli(now))
              .build();
      context.forward(
          new Record<>(route.product.toString(), delta, now), RecordValidation.STATS_CHILD);
      try {
        settings.listener().onCounts(route.product, delta);
      } catch (RuntimeException e) {
        // Metrics must never stop validation.
        LOG.warn("validation listener failed for {}", route.product, e);
      }
      route.dirty = false;
      route.valid = 0;
      Arrays.fill(route.invalid, 0);
      route.lastRecordAt = Long.MIN_VALUE;
      route.lastValidAt = Long.MIN_VALUE;
    }
  }

  private static Instant instant(long millis) {
    return millis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(millis);
  }
}
