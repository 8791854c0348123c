package dev.meshbone.validator.records;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * When to tell record validation of new ingest topics. Each pickup is a rebalance of the
 * validator's group (about 0.5 s with 1,000 products on a loaded broker, no commit meanwhile), so:
 *
 * <ul>
 *   <li>at most one pickup a {@code pickup-interval};
 *   <li>a new ingest topic after a calm (none for an interval) is picked up at once: a product
 *       declared alone flows within about a second of its topic existing;
 *   <li>while products keep being declared, their topics are picked up together once none has
 *       appeared for half an interval, and at least every {@value #BURST_PICKUPS_EVERY} intervals,
 *       rather than one rebalance an interval.
 * </ul>
 *
 * <p>Times are {@link System#nanoTime()} values, passed in so the schedule can be tested. Not
 * thread-safe: the provisioner's thread owns it.
 */
final class PickupSchedule {
  /** While ingest topics keep appearing, a pickup at least every this many intervals. */
  static final int BURST_PICKUPS_EVERY = 5;

  private final long interval;
  private long lastPickup;
  private long lastNew;
  private boolean pending;
  private long pendingSince;
  private boolean pendingAfterCalm;
  private int pendingTopics;

  PickupSchedule(Duration interval, long now) {
    this.interval = interval.toNanos();
    long longAgo = now - TimeUnit.DAYS.toNanos(1);
    this.lastPickup = longAgo;
    this.lastNew = longAgo;
  }

  /** {@code topics} new ingest topics were listed at {@code now}. */
  void seen(int topics, long now) {
    if (topics <= 0) {
      return;
    }
    if (!pending) {
      pending = true;
      pendingSince = now;
      pendingAfterCalm = now - lastNew >= interval;
      pendingTopics = 0;
    }
    pendingTopics += topics;
    lastNew = now;
  }

  /**
   * Whether to pick up now; if so, the topics waiting count as picked up.
   *
   * @return how many new ingest topics the pickup covers, or 0 for no pickup now
   */
  int due(long now) {
    if (!pending || interval == 0) {
      return 0;
    }
    boolean quiet = now - lastNew >= interval / 2;
    boolean waitedLong = now - pendingSince >= interval * BURST_PICKUPS_EVERY;
    if (now - lastPickup < interval || !(pendingAfterCalm || quiet || waitedLong)) {
      return 0;
    }
    pending = false;
    lastPickup = now;
    return pendingTopics;
  }

  /** How long the topics of a due pickup waited, measured at {@code now}. */
  Duration waited(long now) {
    return Duration.ofNanos(now - pendingSince);
  }
}
