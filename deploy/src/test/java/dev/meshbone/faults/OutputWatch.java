package dev.meshbone.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * Reads the fault records' outputs and keeps the longest time they did not grow (a stall), and runs
 * a check about once a second while it reads (the registry still answering, say).
 */
final class OutputWatch {
  private static final long WAIT = TimeUnit.MINUTES.toNanos(3);

  private final FaultRecords.Outputs out;
  private final CompletableFuture<?> producing;
  private final Runnable everySecond;
  private long lastGrowth = System.nanoTime();
  private long lastCheck;
  private long worstStall;
  private int seen;

  /** Watches {@code out} while {@code producing} feeds it; a failed send fails the watch. */
  OutputWatch(FaultRecords.Outputs out, CompletableFuture<?> producing, Runnable everySecond) {
    this.out = out;
    this.producing = producing;
    this.everySecond = everySecond;
  }

  /** Reads until {@code done} holds for the count read so far (at most 3 minutes). */
  void until(IntPredicate done) {
    long deadline = System.nanoTime() + WAIT;
    while (!done.test(poll())) {
      if (producing.isCompletedExceptionally()) {
        producing.join();
      }
      assertThat(System.nanoTime()).as("outputs reached only %d", seen).isLessThan(deadline);
    }
  }

  /** Reads until {@code by} more records came out. */
  void grow(int by) {
    int target = seen + by;
    until(n -> n >= target);
  }

  /**
   * Runs {@code action} (which blocks for seconds) while reading on, so a stall is the output's.
   */
  void whilePolling(Runnable action) {
    CompletableFuture<Void> running = CompletableFuture.runAsync(action);
    while (!running.isDone()) {
      poll();
    }
    running.join();
  }

  /** The longest stall since the last call, in seconds; starts over. */
  double takeWorstStall() {
    double stall = worstStall / 1e9;
    worstStall = 0;
    return stall;
  }

  int poll() {
    int n = out.poll();
    long now = System.nanoTime();
    if (n > seen) {
      worstStall = Math.max(worstStall, now - lastGrowth);
      seen = n;
      lastGrowth = now;
    }
    if (now - lastCheck > 1_000_000_000L) {
      lastCheck = now;
      everySecond.run();
    }
    return n;
  }
}
