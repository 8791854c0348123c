package dev.meshbone.quality.internal;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.IssueDecision;
import dev.meshbone.events.ProductStats;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.quality.MonitorListener;
import dev.meshbone.quality.QualitySettings;
import dev.meshbone.quality.Refusal;
import dev.meshbone.serde.MeshEventSerde;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor, one instance per input topic and task. Each record goes through the {@link
 * MonitorIntake} shared by the inputs, then to its input ({@link QualityEventsInput}, {@link
 * ProductsInput}, {@link StatsInput}, {@link IssuesInput}), which folds it into the product's state
 * and has the {@link MonitorTask} evaluate the product and write its health on change and its
 * alerts. The instance on {@code mesh.products} also evaluates every product of its task on
 * wall-clock punctuation, which is what turns a silent product STALE.
 */
public final class MonitorProcessor implements Processor<String, byte[], String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorProcessor.class);

  /** Which input an instance reads. */
  public enum Input {
    QUALITY,
    PRODUCTS,
    STATS,
    ISSUES
  }

  /** Names of the nodes and stores the processor works with. */
  public record Wiring(
      String topic,
      String stateStore,
      String healthStore,
      String historyStore,
      String streamTimeStore,
      String statusSink,
      String alertsSink) {}

  private final Input input;
  private final Wiring wiring;
  private final QualitySettings settings;
  private final MonitorListener listener;
  private MonitorTask task;
  private MonitorIntake<?> intake;

  public MonitorProcessor(
      Input input, Wiring wiring, QualitySettings settings, MonitorListener listener) {
    this.input = input;
    this.wiring = wiring;
    this.settings = settings;
    this.listener = listener;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    task = new MonitorTask(context, wiring, settings, listener, new HealthEvaluator(settings));
    // Decoders per processor instance: each task's thread gets its own.
    intake =
        switch (input) {
          case QUALITY ->
              new MonitorIntake<>(
                  new QualityEventsInput(task, MeshEventSerde.of(QualityEvent.class)), task);
          case PRODUCTS ->
              new MonitorIntake<>(
                  new ProductsInput(task, MeshEventSerde.of(DataProductEvent.class)), task);
          case STATS ->
              new MonitorIntake<>(
                  new StatsInput(task, MeshEventSerde.of(ProductStats.class)), task);
          case ISSUES ->
              new MonitorIntake<>(
                  new IssuesInput(task, MeshEventSerde.of(IssueDecision.class)), task);
        };
    if (input == Input.PRODUCTS) {
      context.schedule(
          settings.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, task::evaluateAll);
    }
  }

  @Override
  public void process(Record<String, byte[]> record) {
    try {
      intake.process(record);
    } catch (StreamsException e) {
      throw e; // Kafka's own failures (a fenced producer, a lost store) are for Streams to handle
    } catch (RuntimeException e) {
      // A record the monitor cannot handle must not stop every product of the partition: skip it,
      // count it, and log it in full since it is a bug to fix.
      LOG.error(
          "{}: failed on a record of {} for product {}", input, wiring.topic(), record.key(), e);
      listener.refused(wiring.topic(), Refusal.INTERNAL_ERROR, record.key(), e.toString());
    }
  }
}
