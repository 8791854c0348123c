package dev.meshbone.cli;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Says on stderr that a slow operation is still going: nothing for the first second and a half,
 * then what it waits for and for how long, every two seconds (on a terminal the line is rewritten
 * in place). Closing it ends the line. Never written to stdout, so JSON output stays clean.
 */
public final class Progress implements AutoCloseable {
  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "mesh-progress");
            t.setDaemon(true);
            return t;
          });

  private final PrintWriter err;
  private final String what;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private final ScheduledFuture<?> ticks;
  private volatile boolean shown;

  private Progress(PrintWriter err, String what, boolean quiet) {
    this.err = err;
    this.what = what;
    this.terminal = System.console() != null;
    this.ticks =
        quiet ? null : TIMER.scheduleAtFixedRate(this::tick, 1500, 2000, TimeUnit.MILLISECONDS);
  }

  /** Starts reporting {@code what} ("waiting for contract-validator's verdict") if it is slow. */
  public static Progress of(PrintWriter err, String what, boolean quiet) {
    return new Progress(err, what, quiet);
  }

  private synchronized void tick() {
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    String line = what + "... (" + seconds + " s)";
    if (terminal) {
      err.print("\r" + line);
    } else {
      err.println(line);
    }
    err.flush();
    shown = true;
  }

  @Override
  public synchronized void close() {
    if (ticks != null) {
      ticks.cancel(false);
    }
    if (shown && terminal) {
      err.println();
      err.flush();
    }
  }
}
