package dev.meshbone.validator.control;

import dev.meshbone.events.ContractViolation;
import dev.meshbone.events.ViolationReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The control-event checks' outcomes as Micrometer metrics, served at {@code /prometheus}:
 *
 * <ul>
 *   <li>{@code meshbone_validator_control_events_total{kind, outcome="accepted"|"refused",
 *       reason}}: events checked, {@code kind} {@code product-events} or {@code quality-events};
 *       {@code reason="NONE"} for accepted ones, else the first reason's code (the checks run from
 *       the most basic: a record that does not decode is {@code DECODE_FAILED}, whatever follows)
 *   <li>{@code meshbone_validator_control_reasons_total{kind, reason}}: every reason of every
 *       refused event, so an event refused for a bad owner and a bad SLO counts once under each
 * </ul>
 *
 * <p>A producer's retry of an accepted event (a remembered event id) is dropped without output and
 * counted nowhere. These count this instance's processing: after a crash, exactly-once reprocessing
 * counts some events again here (never on the topics).
 */
@Singleton
public class ControlMetrics implements ControlListener {
  static final String EVENTS = "meshbone.validator.control.events";
  static final String REASONS = "meshbone.validator.control.reasons";
  static final String NONE_REASON = "NONE";

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public ControlMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void onAccepted(String kind) {
    events(kind, "accepted", NONE_REASON).increment();
  }

  @Override
  public void onRefused(String kind, ContractViolation violation) {
    var reasons = violation.getReasons();
    String first = reasons.isEmpty() ? "OTHER" : reasons.get(0).getCode().name();
    events(kind, "refused", first).increment();
    for (ViolationReason reason : reasons) {
      reasons(kind, reason.getCode().name()).increment();
    }
  }

  private Counter events(String kind, String outcome, String reason) {
    return counters.computeIfAbsent(
        EVENTS + '\u0000' + kind + '\u0000' + outcome + '\u0000' + reason,
        k ->
            Counter.builder(EVENTS)
                .description("Control events checked by the validator, by kind and outcome")
                .tag("kind", kind)
                .tag("outcome", outcome)
                .tag("reason", reason)
                .register(registry));
  }

  private Counter reasons(String kind, String reason) {
    return counters.computeIfAbsent(
        REASONS + '\u0000' + kind + '\u0000' + reason,
        k ->
            Counter.builder(REASONS)
                .description("Reasons control events were refused for, each counted")
                .tag("kind", kind)
                .tag("reason", reason)
                .register(registry));
  }
}
