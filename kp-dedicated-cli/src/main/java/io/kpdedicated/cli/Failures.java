package io.kpdedicated.cli;

import io.kpdedicated.http.HttpServiceException;
import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.InitializationException;
import io.kpdedicated.core.PartialFailureException;
import io.kpdedicated.core.spi.ServiceException;
import io.kpdedicated.core.spi.TransportException;
import io.kpdedicated.crypto.CryptoException;
import io.kpdedicated.crypto.KeyFileException;
import io.kpdedicated.crypto.RsaKeys;
import java.io.UncheckedIOException;

/**
 * Turns an exception into an exit code, one line of text and, apart, its remediation, all in the
 * command line's words ({@link CliWords}). Stateless.
 */
final class Failures {
  private Failures() {}

  /**
   * What kpd prints and returns for a failure.
   *
   * @param exitCode the exit code ({@link ExitCodes})
   * @param message what went wrong, one line, no secrets
   * @param remediation what to do, or null
   * @param retryable whether trying again may succeed
   */
  record Report(int exitCode, String message, String remediation, boolean retryable) {
    /** The message with its remediation as one line. */
    String line() {
      return remediation == null ? message : message + " -- hint: " + remediation;
    }
  }

  static Report describe(Throwable t) {
    Report r = raw(t);
    return new Report(r.exitCode(), CliWords.of(r.message()), CliWords.of(r.remediation()),
        r.retryable());
  }

  private static Report raw(Throwable t) {
    if (t instanceof CliException c) {
      return of(c.exitCode(), c.getMessage(), c);
    }
    if (t instanceof ServiceException s) {
      String where = s.unitId().map(u -> " on crypto unit " + u).orElse("");
      String status = s instanceof HttpServiceException h ? " (HTTP " + h.status()
          + s.serviceCode().map(code -> ", " + code).orElse("") + ")"
          : s.serviceCode().map(code -> " (" + code + ")").orElse("");
      String request = s.requestId().map(r -> " [request id " + r + "]").orElse("");
      return of(ExitCodes.CLOUD_ERROR, s.operation().wireName() + where + " failed" + status
          + ": " + s.getMessage() + request, s);
    }
    if (t instanceof TransportException x) {
      String message = String.valueOf(x.getMessage());
      String where = x.unitId().filter(u -> !message.contains(u))
          .map(u -> " (crypto unit " + u + ")").orElse("");
      String what = message.startsWith(x.operation().wireName()) ? ""
          : x.operation().wireName() + ": ";
      return of(ExitCodes.CLOUD_ERROR, what + message + where, x);
    }
    if (t instanceof KeyFileException k) {
      return keyFile(k);
    }
    if (t instanceof CryptoException c) {
      return of(ExitCodes.BAD_INPUT, c.getMessage(), c);
    }
    if (t instanceof PartialFailureException p) {
      return of(ExitCodes.PARTIAL_FAILURE, p.getMessage(), p);
    }
    if (t instanceof InitializationException i) {
      return of(ExitCodes.BAD_INPUT, i.getMessage(), i);
    }
    if (t instanceof KpDedicatedException k) {
      return of(ExitCodes.CLOUD_ERROR, k.getMessage(), k);
    }
    if (t instanceof IllegalArgumentException) {
      return new Report(ExitCodes.BAD_INPUT, String.valueOf(t.getMessage()), null, false);
    }
    if (t instanceof UncheckedIOException io) {
      return new Report(ExitCodes.BAD_INPUT, "I/O error: " + io.getCause().getMessage(), null,
          false);
    }
    return new Report(ExitCodes.INTERNAL, "internal error: " + t.getClass().getName()
        + (t.getMessage() == null ? "" : ": " + t.getMessage())
        + " (run again with --verbose and report it)", null, false);
  }

  /** Key files kpd refuses: bad input, with what to do in kpd's words for the hostile cases. */
  private static Report keyFile(KeyFileException k) {
    String hint = k.remediation().orElse(null);
    switch (k.reason()) {
      case WEAK_KEY:
        hint = "kpd accepts administrator keys of " + RsaKeys.MIN_RSA_BITS + " bits or more:"
            + " make one with 'kpd sig-key generate --file F' (RSA-2048, RSA-3072 or RSA-4096)"
            + " or 'openssl genrsa 3072'";
        break;
      case TOO_COSTLY:
        hint = "kpd refuses such a file before deriving any key, so a crafted file cannot make it"
            + " run for minutes or use gigabytes; kpd never writes one: use the files 'kpd mk"
            + " generate' or 'kpd init' wrote, or one restored from a backup";
        break;
      default:
        break;
    }
    return new Report(ExitCodes.BAD_INPUT, k.getMessage(), hint, false);
  }

  private static Report of(int exitCode, String message, KpDedicatedException e) {
    return new Report(exitCode, message, e.remediation().orElse(null), e.retryable());
  }
}
