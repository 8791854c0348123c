package dev.meshbone.validator.records;

import dev.meshbone.topics.DlqHeaders;
import dev.meshbone.topics.DomainTopics;
import dev.meshbone.topics.InvalidNameException;
import dev.meshbone.topics.ProductId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
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
 * dead-letter topic in the partition it came from, and counts it, per product, in its stream
 * thread's {@link StatsCounts}: the thread's producer sends those counts in the transaction that
 * commits the records ({@link StatsCommits}). Without that hook (TopologyTestDriver) the task keeps
 * its own counts and forwards them every {@code statsFlushInterval}, keyed by product id, for the
 * statistics aggregation.
 *
 * <p>Nothing here throws for a bad record: every outcome of the check is a forward. The one wait is
 * the first record of an ingest topic in this task, which makes sure the product's output topics
 * exist.
 */
final class ValidateRecordProcessor implements Processor<byte[], byte[], Object, Object> {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ValidateRecordProcessor.class);

  private final ContractCatalog catalog;
  private final RecordValidationSettings settings;
  private final Map<String, Route> routes = new HashMap<>();
  private Route lastRoute;
  private ProcessorContext<Object, Object> context;
  private RecordValidator validator;
  private StatsCounts counts;

  ValidateRecordProcessor(ContractCatalog catalog, RecordValidationSettings settings) {
    this.catalog = catalog;
    this.settings = settings;
  }

  /** One ingest topic as this task sees it: where its records go, and its product's counts. */
  private static final class Route {
    final String sourceTopic;
    final ProductId product;
    final String productTopic;
    final String dlqTopic;
    final StatsCounts.Cell counts;
    long generation = -1;
    ProductContracts contracts;

    Route(String sourceTopic, ProductId product, StatsCounts.Cell counts) {
      this.sourceTopic = sourceTopic;
      this.product = product;
      this.productTopic = DomainTopics.validated(product);
      this.dlqTopic = DomainTopics.dlq(product);
      this.counts = counts;
    }
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.validator = new RecordValidator(catalog, settings.maxRecordBytes());
    // init runs on the stream thread that will process and commit this task.
    StatsCounts threadCounts = settings.statsCommits().forCurrentThread();
    if (threadCounts != null) {
      counts = threadCounts;
    } else {
      if (settings.statsCommits().enabled()) {
        LOG.warn(
            "task {}: no hooked producer on thread {}; its counts go every {}, not with each commit",
            context.taskId(),
            Thread.currentThread().getName(),
            settings.statsFlushInterval());
      }
      counts = new StatsCounts();
      context.schedule(
          settings.statsFlushInterval(), PunctuationType.WALL_CLOCK_TIME, this::flushStats);
    }
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

    // Counted once forwarded: the record is then in the producer's open transaction, and so is
    // its count until that transaction commits or aborts.
    if (reason == null) {
      context.forward(
          record.withValue(new Routed(record.value(), route.productTopic, meta.partition())),
          RecordValidation.RECORDS_SINK);
      route.counts.valid(record.timestamp());
    } else {
      context.forward(deadLetter(record, meta, route, reason), RecordValidation.RECORDS_SINK);
      route.counts.invalid(reason, record.timestamp());
    }
  }

  private Route open(String topic) {
    // The source pattern only matches topics that name a product.
    ProductId product =
        DomainTopics.productOfIngest(topic)
            .orElseThrow(() -> new InvalidNameException("not an ingest topic: " + topic));
    settings.outputTopics().ensureOutputs(product);
    Route route = new Route(topic, product, counts.cell(product));
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
   * Without a hooked producer: sends each changed product's counts since the last flush through the
   * statistics' repartition, then starts them again.
   */
  private void flushStats(long now) {
    counts.drain(
        now,
        (product, delta) -> {
          context.forward(
              new Record<>(product.toString(), delta, now), RecordValidation.STATS_CHILD);
          try {
            settings.listener().onCounts(product, delta);
          } catch (RuntimeException e) {
            // Metrics must never stop validation.
            LOG.warn("validation listener failed for {}", product, e);
          }
        });
  }
}
