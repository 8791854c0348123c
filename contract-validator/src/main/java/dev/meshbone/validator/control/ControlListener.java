package dev.meshbone.validator.control;

import dev.meshbone.events.ContractViolation;

/**
 * Told of every control event's outcome, for metrics. Called on a stream thread once per event:
 * implementations must be quick and thread-safe. The calls are those of processing, which
 * exactly-once may repeat after a crash; {@code mesh.products}, {@code mesh.quality} and {@code
 * mesh.violations} are the exact record.
 */
public interface ControlListener {
  ControlListener NONE =
      new ControlListener() {
        @Override
        public void onAccepted(String kind) {}

        @Override
        public void onRefused(String kind, ContractViolation violation) {}
      };

  /**
   * An event went on to its output topic.
   *
   * @param kind {@value ControlEvents#PRODUCT_EVENTS_KIND} or {@value
   *     ControlEvents#QUALITY_EVENTS_KIND}
   */
  void onAccepted(String kind);

  /**
   * An event was refused with {@code violation} (its reasons in the order the checks found them).
   */
  void onRefused(String kind, ContractViolation violation);
}
