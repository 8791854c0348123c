package dev.meshbone.client;

import java.time.Duration;

/**
 * The service levels a product promises, which quality-monitor evaluates into its health: the
 * lowest pass rate of quality checks, the longest time without a successful update, the fewest
 * records per volume window, the highest share of records contract-validator may reject. Each is
 * optional; a product without any stays UNKNOWN.
 *
 * @param minPassRate between 0 and 1, or null
 * @param maxStaleness or null
 * @param minVolume records per {@code volumeWindow}, or null
 * @param volumeWindow the window {@code minVolume} is counted over, or null for the monitor's
 * @param maxRejectionRate between 0 and 1, or null
 */
public record Slos(
    Double minPassRate,
    Duration maxStaleness,
    Long minVolume,
    Duration volumeWindow,
    Double maxRejectionRate) {

  /** No service levels. */
  public static Slos none() {
    return new Slos(null, null, null, null, null);
  }

  public Slos withMinPassRate(double rate) {
    return new Slos(rate, maxStaleness, minVolume, volumeWindow, maxRejectionRate);
  }

  public Slos withMaxStaleness(Duration staleness) {
    return new Slos(minPassRate, staleness, minVolume, volumeWindow, maxRejectionRate);
  }

  public Slos withMinVolume(long records, Duration window) {
    return new Slos(minPassRate, maxStaleness, records, window, maxRejectionRate);
  }

  public Slos withMaxRejectionRate(double rate) {
    return new Slos(minPassRate, maxStaleness, minVolume, volumeWindow, rate);
  }
}
