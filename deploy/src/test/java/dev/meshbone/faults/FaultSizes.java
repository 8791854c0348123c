package dev.meshbone.faults;

/**
 * The fault suite's sizes: the default run (part of {@code mvn verify}) and the long run, chosen
 * with {@code -Dmeshbone.faults.long=true} (or {@code -Pfaults-long}).
 */
final class FaultSizes {
  static final boolean LONG = Boolean.getBoolean("meshbone.faults.long");

  private FaultSizes() {}

  /** {@code normal} in the default run, {@code longer} in the long run. */
  static int pick(int normal, int longer) {
    return LONG ? longer : normal;
  }
}
