package dev.meshbone.local.demo;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What the demo did per product, for its summary line, and whether it is stopping. */
final class DemoState {
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private volatile boolean stopping;

  /** From now on, failures are the demo being stopped, not trouble to report. */
  void stop() {
    stopping = true;
  }

  /** Reports a failure of the demo's work, unless the demo is stopping (which cuts work short). */
  void trouble(String domain, String what, Throwable e) {
    if (!stopping) {
      DemoLog.trouble(domain, what, e);
    }
  }

  void add(String product, String what) {
    counts.computeIfAbsent(product + " " + what, k -> new AtomicLong()).incrementAndGet();
  }

  long get(String product, String what) {
    AtomicLong n = counts.get(product + " " + what);
    return n == null ? 0 : n.get();
  }

  /** Every product the demo touched, each with its counts. */
  Map<String, String> summary() {
    Map<String, String> lines = new TreeMap<>();
    for (String key : counts.keySet()) {
      String product = key.substring(0, key.indexOf(' '));
      lines.put(
          product,
          String.format(
              "published %d (%d meant to be refused), read by subscribers %d, dead letters %d",
              get(product, "published"),
              get(product, "invalid"),
              get(product, "read"),
              get(product, "dead-letter")));
    }
    return lines;
  }
}
