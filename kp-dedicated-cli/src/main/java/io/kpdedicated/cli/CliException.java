package io.kpdedicated.cli;

import io.kpdedicated.KpDedicatedException;

/**
 * A failure the command line reports as one line with a chosen exit code.
 *
 * <p>Messages never hold secrets. Thread-safe (immutable).
 */
final class CliException extends KpDedicatedException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** Bad input: a usage error, a missing file, an invalid value. Nothing was changed. */
  static CliException badInput(String message) {
    return new CliException(ExitCodes.BAD_INPUT, message, null);
  }

  /** Bad input caused by another exception. */
  static CliException badInput(String message, Throwable cause) {
    return new CliException(ExitCodes.BAD_INPUT, message, cause);
  }

  int exitCode() {
    return exitCode;
  }
}
