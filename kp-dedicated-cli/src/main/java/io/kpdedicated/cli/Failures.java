package io.kpdedicated.cli;

import io.kpdedicated.http.HttpServiceException;
import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.PartialFailureException;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.crypto.CryptoException;
import java.io.UncheckedIOException;

/**
 * Turns an exception into an exit code and one line of text. Stateless.
 */
final class Failures {
  private Failures() {}

  /** What kpd prints and returns for a failure. */
  record Report(int exitCode, String line) {}

  static Report describe(Throwable t) {
    if (t instanceof CliException c) {
      return new Report(c.exitCode(), withHint(c));
    }
    if (t instanceof ServiceException s) {
      String where = s.unitId().map(u -> " on crypto unit " + u).orElse("");
      String status = s instanceof HttpServiceException h ? " (HTTP " + h.status()
          + s.serviceCode().map(code -> ", " + code).orElse("") + ")"
          : s.serviceCode().map(code -> " (" + code + ")").orElse("");
      String request = s.requestId().map(r -> " [request id " + r + "]").orElse("");
      return new Report(ExitCodes.CLOUD_ERROR, s.operation().wireName() + where + " failed"
          + status + ": " + s.getMessage() + request + hint(s));
    }
    if (t instanceof TransportException x) {
      String message = String.valueOf(x.getMessage());
      String where = x.unitId().filter(u -> !message.contains(u))
          .map(u -> " (crypto unit " + u + ")").orElse("");
      String what = message.startsWith(x.operation().wireName()) ? ""
          : x.operation().wireName() + ": ";
      return new Report(ExitCodes.CLOUD_ERROR, what + message + where + hint(x));
    }
    if (t instanceof CryptoException c) {
      return new Report(ExitCodes.BAD_INPUT, withHint(c));
    }
    if (t instanceof PartialFailureException p) {
      return new Report(ExitCodes.PARTIAL_FAILURE, withHint(p));
    }
    if (t instanceof InitializationException i) {
      return new Report(ExitCodes.BAD_INPUT, withHint(i));
    }
    if (t instanceof KpDedicatedException k) {
      return new Report(ExitCodes.CLOUD_ERROR, withHint(k));
    }
    if (t instanceof IllegalArgumentException) {
      return new Report(ExitCodes.BAD_INPUT, String.valueOf(t.getMessage()));
    }
    if (t instanceof UncheckedIOException io) {
      return new Report(ExitCodes.BAD_INPUT, "I/O error: " + io.getCause().getMessage());
    }
    return new Report(ExitCodes.INTERNAL, "internal error: " + t.getClass().getName()
        + (t.getMessage() == null ? "" : ": " + t.getMessage())
        + " (run again with --verbose and report it)");
  }

  private static String withHint(KpDedicatedException e) {
    return e.getMessage() + hint(e);
  }

  private static String hint(KpDedicatedException e) {
    return e.remediation().map(r -> " -- hint: " + r).orElse("");
  }
}
