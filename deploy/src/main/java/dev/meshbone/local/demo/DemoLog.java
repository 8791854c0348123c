package dev.meshbone.local.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One short line per notable event of the demo, tagged with the domain it happened in. */
final class DemoLog {
  private static final Logger LOG = LoggerFactory.getLogger("demo");

  private DemoLog() {}

  static void say(String domain, String format, Object... args) {
    if (LOG.isInfoEnabled()) {
      LOG.info(String.format("%-17s ", domain) + String.format(format, args));
    }
  }

  /** Something that should not happen in a running mesh: said once, without a stack trace. */
  static void trouble(String domain, String what, Throwable e) {
    LOG.warn(String.format("%-17s ", domain) + what + ": " + e.getMessage());
  }
}
