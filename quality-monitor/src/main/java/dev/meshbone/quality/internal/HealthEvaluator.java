package dev.meshbone.quality.internal;

import dev.meshbone.events.IssueFigures;
import dev.meshbone.events.ProductHealth;
import dev.meshbone.events.QualityAlert;
import dev.meshbone.quality.QualitySettings;
import dev.meshbone.quality.state.MonitorState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Evaluates one product against its service levels, in four steps, each in its own class:
 *
 * <ol>
 *   <li>{@link SloFigures}: the figures of the current {@link SloWindows windows};
 *   <li>{@link SloVerdicts}: each declared SLO breached, met with margin, or not evaluable;
 *   <li>{@link AlertHysteresis}: the SLOs' alerts raised and cleared, with hysteresis;
 *   <li>{@link HealthClassification}: the product's health state and the reasons for it.
 * </ol>
 *
 * The result is a {@link ProductHealth} and the alerts to write.
 */
public final class HealthEvaluator {
  private final SloWindows windows;
  private final SloVerdicts verdicts;
  private final AlertHysteresis alerts;
  private final HealthClassification classification;

  public HealthEvaluator(QualitySettings settings) {
    this.windows = new SloWindows(settings);
    this.verdicts = new SloVerdicts(settings, windows);
    this.alerts = new AlertHysteresis(settings);
    this.classification = new HealthClassification(settings);
  }

  /** What one evaluation decided. */
  public record Evaluation(
      ProductHealth health, List<QualityAlert> alerts, String signature, boolean tracksChanged) {}

  public SloWindows windows() {
    return windows;
  }

  /**
   * Evaluates {@code state} at stream time {@code streamTime} ({@link Long#MIN_VALUE} when the task
   * has seen no event yet) and wall-clock time {@code now}, moving its alert tracks on.
   */
  public Evaluation evaluate(MonitorState state, long streamTime, long now) {
    String productId = state.getProductId();
    SloFigures figures = SloFigures.of(state, windows.at(state.getSlos(), streamTime), now);
    List<SloVerdict> judged = verdicts.judge(state, figures, now);
    AlertHysteresis.Moves moves = alerts.update(state.getAlerts(), judged, productId, now);
    HealthClassification.Health health =
        classification.classify(
            judged, state.getAlerts(), figures.passRateByCheck(), state.getSlos().getMinPassRate());
    ProductHealth built =
        health(productId, figures, health, IssuesInput.figures(state.getIssues()), now);
    return new Evaluation(
        built,
        alerts.alerts(moves.transitions(), productId, health.state(), now),
        signature(built),
        moves.tracksChanged());
  }

  /** Alerts that clear every raised alert of the product, e.g. when it is retired. */
  public List<QualityAlert> clearAll(MonitorState state, long now, String why) {
    return AlertHysteresis.clearAll(state.getAlerts(), state.getProductId(), now, why);
  }

  private static ProductHealth health(
      String productId,
      SloFigures figures,
      HealthClassification.Health health,
      IssueFigures issues,
      long now) {
    var built =
        ProductHealth.newBuilder()
            .setProductId(productId)
            .setState(health.state())
            .setReasons(health.reasons())
            .setEvaluatedAt(Instant.ofEpochMilli(now))
            .setPassRate(figures.passRate())
            .setPassRateByCheck(new LinkedHashMap<>(figures.passRateByCheck()))
            .setVolume(figures.volume())
            .setRejectionRate(figures.rejectionRate())
            .setLastUpdateAt(
                figures.lastSuccess() == null ? null : Instant.ofEpochMilli(figures.lastSuccess()))
            .setStalenessMs(figures.staleness())
            .setIssues(issues);
    figures
        .window()
        .ifPresent(
            w ->
                built
                    .setWindowStart(Instant.ofEpochMilli(w.start()))
                    .setWindowEnd(Instant.ofEpochMilli(w.end())));
    return built.build();
  }

  /** What a health says minus its timestamps: equal signatures mean nothing worth writing. */
  static String signature(ProductHealth h) {
    return h.getState()
        + "|"
        + h.getReasons()
        + "|"
        + h.getPassRate()
        + "|"
        + h.getPassRateByCheck()
        + "|"
        + h.getVolume()
        + "|"
        + h.getRejectionRate()
        + "|"
        + h.getIssues();
  }
}
