package dev.meshbone.validator.records;

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
  private IngestRoute.Routes routes;
  private ProcessorContext<Object, Object> context;
  private RecordValidator validator;
  private StatsCounts counts;

  ValidateRecordProcessor(ContractCatalog catalog, RecordValidationSettings settings) {
    this.catalog = catalog;
    this.settings = settings;
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
    routes = new IngestRoute.Routes(counts, settings.outputTopics());
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata meta = context.recordMetadata().orElseThrow();
    String topic = meta.topic();
    IngestRoute route = routes.of(topic);
    RejectReason reason = validator.check(record.key(), record.value(), route.contracts(catalog));

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

  private Record<byte[], Routed> deadLetter(
      Record<byte[], byte[]> record, RecordMetadata meta, IngestRoute route, RejectReason reason) {
    DeadLetter letter =
        DeadLetter.of(
            record.key(),
            record.value(),
            record.headers(),
            reason,
            validator,
            meta.topic(),
            meta.partition(),
            meta.offset(),
            settings.maxRecordBytes());
    return new Record<>(
        letter.key(),
        new Routed(letter.value(), route.dlqTopic, meta.partition()),
        record.timestamp(),
        letter.headers());
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
