package dev.meshbone.quality.internal;

import dev.meshbone.events.DataProductEvent;
import dev.meshbone.events.LifecycleStatus;
import dev.meshbone.events.ProductHealth;
import dev.meshbone.events.ProductStats;
import dev.meshbone.events.QualityAlert;
import dev.meshbone.events.QualityEvent;
import dev.meshbone.events.ServiceLevels;
import dev.meshbone.quality.MonitorListener;
import dev.meshbone.quality.QualitySettings;
import dev.meshbone.quality.Refusal;
import dev.meshbone.quality.state.CheckCount;
import dev.meshbone.quality.state.MonitorState;
import dev.meshbone.quality.state.Slice;
import dev.meshbone.quality.state.Slos;
import dev.meshbone.topics.ProductId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor, one instance per input topic and task: decodes and checks the input (refusing bad
 * records with a counted reason instead of failing), folds it into the product's {@link
 * MonitorState}, evaluates the product and writes its health on change and its alerts. The instance
 * on {@code mesh.products} also evaluates every product of its task on wall-clock punctuation,
 * which is what turns a silent product STALE.
 *
 * <p>Values arrive as bytes and are decoded here rather than by the source's serde, so a record
 * that does not decode is one more counted refusal, not a deserialization failure that depends on
 * the application's exception-handler configuration.
 */
public final class MonitorProcessor implements Processor<String, byte[], String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorProcessor.class);
  static final String STREAM_TIME_KEY = "stream-time";

  /** Which input an instance reads. */
  public enum Input {
    QUALITY,
    PRODUCTS,
    STATS
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
  private final HealthEvaluator evaluator;
  private final RefusalLog refusalLog;
  private final Deserializer<QualityEvent> qualityDecoder;
  private final Deserializer<DataProductEvent> productDecoder;
  private final Deserializer<ProductStats> statsDecoder;

  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, MonitorState> states;
  private KeyValueStore<String, ProductHealth> healths;
  private KeyValueStore<String, List<ProductHealth>> histories;
  private KeyValueStore<String, Long> streamTimes;

  public MonitorProcessor(
      Input input,
      Wiring wiring,
      QualitySettings settings,
      MonitorListener listener,
      Deserializer<QualityEvent> qualityDecoder,
      Deserializer<DataProductEvent> productDecoder,
      Deserializer<ProductStats> statsDecoder) {
    this.input = input;
    this.wiring = wiring;
    this.settings = settings;
    this.listener = listener;
    this.evaluator = new HealthEvaluator(settings);
    this.refusalLog = new RefusalLog(LOG);
    this.qualityDecoder = qualityDecoder;
    this.productDecoder = productDecoder;
    this.statsDecoder = statsDecoder;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.states = context.getStateStore(wiring.stateStore());
    this.healths = context.getStateStore(wiring.healthStore());
    this.histories = context.getStateStore(wiring.historyStore());
    this.streamTimes = context.getStateStore(wiring.streamTimeStore());
    if (input == Input.PRODUCTS) {
      context.schedule(
          settings.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::evaluateAll);
    }
  }

  @Override
  public void process(Record<String, byte[]> record) {
    try {
      switch (input) {
        case QUALITY -> onQualityEvent(record);
        case PRODUCTS -> onProduct(record);
        case STATS -> onStats(record);
      }
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

  // ---- mesh.quality ----

  private void onQualityEvent(Record<String, byte[]> record) {
    String key = record.key();
    if (key == null) {
      refuse(Refusal.NULL_KEY, null, "quality event without a key");
      return;
    }
    if (record.value() == null) {
      refuse(Refusal.NULL_VALUE, key, "quality event without a value");
      return;
    }
    QualityEvent event;
    try {
      event = qualityDecoder.deserialize(wiring.topic(), record.value());
    } catch (RuntimeException e) {
      refuse(Refusal.UNDECODABLE, key, e.getMessage());
      return;
    }
    if (!checkId(key, event.getProductId())) {
      return;
    }
    String invalid = invalidValue(event);
    if (invalid != null) {
      refuse(Refusal.INVALID_VALUE, key, invalid);
      return;
    }
    long now = context.currentSystemTimeMs();
    long t = event.getOccurredAt().toEpochMilli();
    if (isFuture(t, now)) {
      refuse(Refusal.FUTURE_TIMESTAMP, key, "occurredAt " + event.getOccurredAt() + " is ahead");
      return;
    }
    MonitorState state = states.get(key);
    if (state == null) {
      refuse(Refusal.UNKNOWN_PRODUCT, key, "no live product " + key + " on mesh.products");
      return;
    }
    long streamTime = streamTime();
    if (evaluator.isLate(t, streamTime)) {
      refuse(
          Refusal.LATE,
          key,
          "occurredAt "
              + event.getOccurredAt()
              + " is beyond the grace period (stream time "
              + java.time.Instant.ofEpochMilli(streamTime)
              + ")");
      return;
    }
    streamTime = advanceStreamTime(t, streamTime);

    Slice slice = slice(state, t);
    slice.setTotal(slice.getTotal() + 1);
    CheckCount check = slice.getChecks().get(event.getCheckName());
    if (check == null) {
      check = CheckCount.newBuilder().build();
      slice.getChecks().put(event.getCheckName(), check);
    }
    check.setTotal(check.getTotal() + 1);
    if (event.getPassed()) {
      slice.setPassed(slice.getPassed() + 1);
      check.setPassed(check.getPassed() + 1);
      if (state.getLastSuccessAt() == null || state.getLastSuccessAt() < t) {
        state.setLastSuccessAt(t);
      }
    }
    if (event.getRecordCount() != null) {
      check.setRecords(check.getRecords() + event.getRecordCount());
      state.setRecordCountsSeen(true);
    }
    noteData(state, t);
    listener.accepted(wiring.topic());
    evaluateAndWrite(state, streamTime, now, true);
  }

  private static String invalidValue(QualityEvent e) {
    if (e.getCheckName() == null || e.getCheckName().isBlank()) {
      return "blank checkName";
    }
    if (e.getCheckName().length() > 200) {
      return "checkName longer than 200 characters";
    }
    // A measurement may be negative (a drift, a temperature), as the validator also allows; it
    // must be a number.
    if (bad(e.getMeasuredValue())) {
      return "measuredValue " + e.getMeasuredValue() + " is not a finite number";
    }
    if (bad(e.getThreshold())) {
      return "threshold " + e.getThreshold() + " is not a finite number";
    }
    if (e.getRecordCount() != null && e.getRecordCount() < 0) {
      return "recordCount " + e.getRecordCount() + " is negative";
    }
    return null;
  }

  private static boolean bad(Double v) {
    return v != null && (v.isNaN() || v.isInfinite());
  }

  // ---- mesh.products ----

  private void onProduct(Record<String, byte[]> record) {
    String key = record.key();
    if (key == null) {
      refuse(Refusal.NULL_KEY, null, "product event without a key");
      return;
    }
    long now = context.currentSystemTimeMs();
    if (record.value() == null) {
      retire(key, now, "product deleted from mesh.products; monitoring stopped");
      listener.accepted(wiring.topic());
      return;
    }
    DataProductEvent event;
    try {
      event = productDecoder.deserialize(wiring.topic(), record.value());
    } catch (RuntimeException e) {
      refuse(Refusal.UNDECODABLE, key, e.getMessage());
      return;
    }
    if (!checkId(key, event.getProductId())) {
      return;
    }
    if (event.getStatus() == LifecycleStatus.RETIRED) {
      retire(key, now, "product retired; monitoring stopped");
      listener.accepted(wiring.topic());
      return;
    }
    MonitorState state = states.get(key);
    if (state == null) {
      state =
          MonitorState.newBuilder()
              .setProductId(key)
              .setSlos(Slos.newBuilder().build())
              .setMonitoredSince(now)
              .setSlices(new ArrayList<>())
              .setAlerts(new HashMap<>())
              .build();
    }
    if (event.getDescriptor() != null) {
      state.setSlos(slos(key, event.getDescriptor().getSlos()));
    }
    listener.accepted(wiring.topic());
    evaluateAndWrite(state, streamTime(), now, true);
  }

  private Slos slos(String productId, ServiceLevels declared) {
    var slos = Slos.newBuilder().build();
    if (declared == null) {
      return slos;
    }
    if (declared.getMaxStalenessMs() != null) {
      if (declared.getMaxStalenessMs() > 0) {
        slos.setMaxStalenessMs(declared.getMaxStalenessMs());
      } else {
        invalidSlo(productId, "maxStalenessMs " + declared.getMaxStalenessMs());
      }
    }
    if (declared.getMinPassRate() != null) {
      if (isShare(declared.getMinPassRate())) {
        slos.setMinPassRate(declared.getMinPassRate());
      } else {
        invalidSlo(productId, "minPassRate " + declared.getMinPassRate());
      }
    }
    if (declared.getMinVolume() != null) {
      if (declared.getMinVolume() >= 0) {
        slos.setMinVolume(declared.getMinVolume());
      } else {
        invalidSlo(productId, "minVolume " + declared.getMinVolume());
      }
    }
    if (declared.getVolumeWindowMs() != null) {
      if (declared.getVolumeWindowMs() > 0) {
        slos.setVolumeWindowMs(declared.getVolumeWindowMs());
      } else {
        invalidSlo(productId, "volumeWindowMs " + declared.getVolumeWindowMs());
      }
    }
    if (declared.getMaxRejectionRate() != null) {
      if (isShare(declared.getMaxRejectionRate())) {
        slos.setMaxRejectionRate(declared.getMaxRejectionRate());
      } else {
        invalidSlo(productId, "maxRejectionRate " + declared.getMaxRejectionRate());
      }
    }
    return slos;
  }

  private static boolean isShare(double v) {
    return v >= 0 && v <= 1;
  }

  private void invalidSlo(String productId, String what) {
    refuse(Refusal.INVALID_SLO, productId, what + " cannot be evaluated; ignored");
  }

  private void retire(String productId, long now, String why) {
    MonitorState state = states.get(productId);
    if (state != null) {
      for (QualityAlert alert : evaluator.clearAll(state, now, why)) {
        forwardAlert(alert, now);
      }
      states.delete(productId);
    }
    if (healths.get(productId) != null) {
      healths.delete(productId);
      context.forward(new Record<>(productId, null, now), wiring.statusSink());
    }
  }

  // ---- mesh.products.stats ----

  private void onStats(Record<String, byte[]> record) {
    String key = record.key();
    if (key == null) {
      refuse(Refusal.NULL_KEY, null, "stats without a key");
      return;
    }
    if (record.value() == null) {
      refuse(Refusal.NULL_VALUE, key, "stats without a value");
      return;
    }
    ProductStats stats;
    try {
      stats = statsDecoder.deserialize(wiring.topic(), record.value());
    } catch (RuntimeException e) {
      refuse(Refusal.UNDECODABLE, key, e.getMessage());
      return;
    }
    if (!checkId(key, stats.getProductId())) {
      return;
    }
    if (stats.getValid() < 0 || stats.getInvalid() < 0) {
      refuse(
          Refusal.INVALID_VALUE,
          key,
          "negative counts valid=" + stats.getValid() + " invalid=" + stats.getInvalid());
      return;
    }
    long now = context.currentSystemTimeMs();
    long t = stats.getUpdatedAt().toEpochMilli();
    Long lastValid = stats.getLastValidAt() == null ? null : stats.getLastValidAt().toEpochMilli();
    if (isFuture(t, now) || (lastValid != null && isFuture(lastValid, now))) {
      refuse(Refusal.FUTURE_TIMESTAMP, key, "updatedAt " + stats.getUpdatedAt() + " is ahead");
      return;
    }
    MonitorState state = states.get(key);
    if (state == null) {
      refuse(Refusal.UNKNOWN_PRODUCT, key, "no live product " + key + " on mesh.products");
      return;
    }
    long streamTime = streamTime();
    boolean late = evaluator.isLate(t, streamTime);
    long validDelta;
    long invalidDelta;
    if (!state.getStatsSeen()) {
      // The first counts the monitor sees: on a new product they are its first records; after a
      // compaction they are all it can know. Either way they count once, at their time.
      validDelta = stats.getValid();
      invalidDelta = stats.getInvalid();
    } else if (stats.getValid() < state.getStatsValid()
        || stats.getInvalid() < state.getStatsInvalid()) {
      LOG.warn(
          "{}: validator counts went down ({} -> {} valid); taking them as a new baseline",
          key,
          state.getStatsValid(),
          stats.getValid());
      validDelta = 0;
      invalidDelta = 0;
    } else {
      validDelta = stats.getValid() - state.getStatsValid();
      invalidDelta = stats.getInvalid() - state.getStatsInvalid();
    }
    state.setStatsSeen(true);
    state.setStatsValid(stats.getValid());
    state.setStatsInvalid(stats.getInvalid());
    if (!late) {
      streamTime = advanceStreamTime(t, streamTime);
      if (validDelta > 0 || invalidDelta > 0) {
        Slice slice = slice(state, t);
        slice.setValid(slice.getValid() + validDelta);
        slice.setInvalid(slice.getInvalid() + invalidDelta);
      }
      noteData(state, t);
    }
    if (lastValid != null
        && (state.getLastSuccessAt() == null || state.getLastSuccessAt() < lastValid)) {
      state.setLastSuccessAt(lastValid);
    }
    listener.accepted(wiring.topic());
    evaluateAndWrite(state, streamTime, now, true);
  }

  // ---- shared ----

  private boolean checkId(String key, String productId) {
    if (!ProductId.isValid(productId)) {
      refuse(Refusal.INVALID_PRODUCT_ID, key, "product id '" + productId + "' is not valid");
      return false;
    }
    if (!key.equals(productId)) {
      refuse(Refusal.KEY_MISMATCH, key, "key '" + key + "' but product id '" + productId + "'");
      return false;
    }
    return true;
  }

  private boolean isFuture(long t, long now) {
    return t > now + settings.futureTolerance().toMillis();
  }

  private void refuse(Refusal reason, String productId, String detail) {
    listener.refused(wiring.topic(), reason, productId, detail);
    refusalLog.log(wiring.topic(), reason, productId, detail);
  }

  private long streamTime() {
    Long t = streamTimes.get(STREAM_TIME_KEY);
    return t == null ? Long.MIN_VALUE : t;
  }

  private long advanceStreamTime(long t, long streamTime) {
    if (t > streamTime) {
      streamTimes.put(STREAM_TIME_KEY, t);
      return t;
    }
    return streamTime;
  }

  private void noteData(MonitorState state, long t) {
    if (state.getFirstDataAt() == null || state.getFirstDataAt() > t) {
      state.setFirstDataAt(t);
    }
  }

  /** The slice holding event time {@code t}, made if missing; drops slices no window needs. */
  private Slice slice(MonitorState state, long t) {
    long start = evaluator.sliceStart(t);
    List<Slice> slices = state.getSlices();
    if (!(slices instanceof ArrayList)) {
      // Decoded arrays are Avro's, which cannot remove elements.
      slices = new ArrayList<>(slices);
      state.setSlices(slices);
    }
    long keepFrom = evaluator.retainFrom(state.getSlos(), Math.max(t, streamTime()));
    slices.removeIf(s -> s.getStart() < keepFrom);
    for (Slice s : slices) {
      if (s.getStart() == start) {
        return s;
      }
    }
    Slice slice = Slice.newBuilder().setStart(start).setChecks(new HashMap<>()).build();
    // Kept in time order, which keeps window sums and pruning simple to read.
    int i = 0;
    while (i < slices.size() && slices.get(i).getStart() < start) {
      i++;
    }
    slices.add(i, slice);
    return slice;
  }

  private void evaluateAndWrite(MonitorState state, long streamTime, long now, boolean store) {
    var evaluation = evaluator.evaluate(state, streamTime, now);
    for (QualityAlert alert : evaluation.alerts()) {
      forwardAlert(alert, now);
    }
    boolean changed = !evaluation.signature().equals(state.getLastSignature());
    if (changed) {
      ProductHealth health = evaluation.health();
      String newState = health.getState().name();
      if (!newState.equals(state.getLastState())) {
        appendHistory(health);
      }
      state.setLastSignature(evaluation.signature());
      state.setLastState(newState);
      healths.put(state.getProductId(), health);
      context.forward(new Record<>(state.getProductId(), health, now), wiring.statusSink());
      listener.healthWritten(health);
    }
    if (store || changed || evaluation.tracksChanged()) {
      states.put(state.getProductId(), state);
    }
  }

  private void appendHistory(ProductHealth health) {
    List<ProductHealth> history = histories.get(health.getProductId());
    history = history == null ? new ArrayList<>() : new ArrayList<>(history);
    history.add(health);
    int excess = history.size() - settings.historySize();
    if (excess > 0) {
      history = new ArrayList<>(history.subList(excess, history.size()));
    }
    histories.put(health.getProductId(), history);
  }

  private void forwardAlert(QualityAlert alert, long now) {
    context.forward(new Record<>(alert.getProductId(), alert, now), wiring.alertsSink());
    listener.alertWritten(alert);
    LOG.info(
        "alert {} {} {}: {}",
        alert.getState(),
        alert.getProductId(),
        alert.getSlo(),
        alert.getMessage());
  }

  /** Evaluates every product of this task at wall-clock time {@code now}. */
  private void evaluateAll(long now) {
    long streamTime = streamTime();
    var all = new ArrayList<MonitorState>();
    try (KeyValueIterator<String, MonitorState> it = states.all()) {
      it.forEachRemaining(kv -> all.add(kv.value));
    }
    // Written after the iterator is closed: a store is not changed under an open iterator.
    for (MonitorState state : all) {
      evaluateAndWrite(state, streamTime, now, false);
    }
  }
}
