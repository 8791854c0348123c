package dev.meshbone.quality.internal;

import dev.meshbone.events.ProductHealth;
import dev.meshbone.events.QualityAlert;
import dev.meshbone.quality.MonitorListener;
import dev.meshbone.quality.QualitySettings;
import dev.meshbone.quality.Refusal;
import dev.meshbone.quality.state.MonitorState;
import dev.meshbone.quality.state.Slice;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one task of the monitor holds and writes, shared by its three inputs: the products' {@link
 * MonitorState}s, the task's stream time, the health and history stores, the status and alert
 * sinks, and the refusals. Writing a product's health goes through {@link #evaluateAndWrite}: it
 * evaluates the product, writes its alerts, and writes its health only when what it says changed.
 */
final class MonitorTask {
  private static final Logger LOG = LoggerFactory.getLogger(MonitorProcessor.class);
  static final String STREAM_TIME_KEY = "stream-time";

  private final ProcessorContext<String, Object> context;
  private final MonitorProcessor.Wiring wiring;
  private final QualitySettings settings;
  private final MonitorListener listener;
  private final HealthEvaluator evaluator;
  private final RefusalLog refusalLog = new RefusalLog(LOG);
  private final KeyValueStore<String, MonitorState> states;
  private final KeyValueStore<String, ProductHealth> healths;
  private final KeyValueStore<String, List<ProductHealth>> histories;
  private final KeyValueStore<String, Long> streamTimes;

  MonitorTask(
      ProcessorContext<String, Object> context,
      MonitorProcessor.Wiring wiring,
      QualitySettings settings,
      MonitorListener listener,
      HealthEvaluator evaluator) {
    this.context = context;
    this.wiring = wiring;
    this.settings = settings;
    this.listener = listener;
    this.evaluator = evaluator;
    this.states = context.getStateStore(wiring.stateStore());
    this.healths = context.getStateStore(wiring.healthStore());
    this.histories = context.getStateStore(wiring.historyStore());
    this.streamTimes = context.getStateStore(wiring.streamTimeStore());
  }

  String topic() {
    return wiring.topic();
  }

  long now() {
    return context.currentSystemTimeMs();
  }

  SloWindows windows() {
    return evaluator.windows();
  }

  /** The product's state, null when it is not a live product of {@code mesh.products}. */
  MonitorState state(String productId) {
    return states.get(productId);
  }

  /** The largest event time the task accepted; {@link Long#MIN_VALUE} before any. */
  long streamTime() {
    Long t = streamTimes.get(STREAM_TIME_KEY);
    return t == null ? Long.MIN_VALUE : t;
  }

  /** Moves the stream time on to {@code t} if it is later; returns the stream time. */
  long advanceStreamTime(long t, long streamTime) {
    if (t > streamTime) {
      streamTimes.put(STREAM_TIME_KEY, t);
      return t;
    }
    return streamTime;
  }

  /** Whether event time {@code t} is too far ahead of the wall clock to be believed. */
  boolean isFuture(long t, long now) {
    return t > now + settings.futureTolerance().toMillis();
  }

  /** The slice of {@code state} for event time {@code t} (see {@link SloWindows#slice}). */
  Slice slice(MonitorState state, long t, long streamTime) {
    return windows().slice(state, t, streamTime);
  }

  /** Notes that the product has data at event time {@code t}. */
  static void noteData(MonitorState state, long t) {
    if (state.getFirstDataAt() == null || state.getFirstDataAt() > t) {
      state.setFirstDataAt(t);
    }
  }

  void refuse(Refusal reason, String productId, String detail) {
    listener.refused(wiring.topic(), reason, productId, detail);
    refusalLog.log(wiring.topic(), reason, productId, detail);
  }

  void accepted() {
    listener.accepted(wiring.topic());
  }

  /**
   * Evaluates the product, writes its alerts and, when what its health says changed, its health
   * (and a history entry when its state changed); stores its state when asked to or when anything
   * in it changed.
   */
  void evaluateAndWrite(MonitorState state, long streamTime, long now, boolean store) {
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

  /** Stops monitoring a product: its raised alerts clear, its state and health are deleted. */
  void retire(String productId, long now, String why) {
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

  /** Evaluates every product of this task at wall-clock time {@code now}. */
  void evaluateAll(long now) {
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
}
