package dev.meshbone.cli;

/**
 * A failure the CLI reports in one line and turns into its exit code. The codes are part of the
 * CLI's interface (docs/cli.md): scripts and CI pipelines branch on them.
 */
public class CliException extends RuntimeException {
  /** The mesh refused: a contract check or registration failed, a write was refused. */
  public static final int REFUSED = 1;

  /** Bad input: a usage error, a malformed file, an element with no meshbone meaning. */
  public static final int BAD_INPUT = 2;

  /** What the command names does not exist (unknown product, subject, version). */
  public static final int NOT_FOUND = 3;

  /** The registry, quality-monitor or Kafka did not answer. */
  public static final int UNREACHABLE = 4;

  /** The credentials were refused (401), or the acting domain may not do this (403). */
  public static final int DENIED = 5;

  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  public static CliException badInput(String message) {
    return new CliException(BAD_INPUT, message);
  }

  public static CliException notFound(String message) {
    return new CliException(NOT_FOUND, message);
  }
}
