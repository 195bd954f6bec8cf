package io.kpdedicated.cli;

import io.kpdedicated.KpDedicatedException;
import io.kpdedicated.core.RetryPolicy;
import io.kpdedicated.core.model.CryptoUnit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one operation on each selected crypto unit, one unit after the other, in the runbook's
 * words: {@code Executing operation <op> against CryptoUnit with ID <id>: OK} (or {@code FAILED:
 * reason}). Retryable failures (I/O, 429, 5xx, maintenance) are tried again a few times; a failed
 * unit never stops the others. At the end, if some failed, prints the command that retries only
 * them and returns {@link ExitCodes#PARTIAL_FAILURE}. With {@code --output json} those lines go to
 * standard error and standard output gets one {@link JsonReports.UnitRunReport}.
 */
final class UnitRunner {
  /** One unit's work; returns a short note such as "already claimed", or "" for none. */
  @FunctionalInterface
  interface UnitAction {
    String apply(CryptoUnit unit);
  }

  /** Thrown by an action to report a unit as failed without a service error (e.g. a mismatch). */
  static final class UnitFailure extends KpDedicatedException {
    private static final long serialVersionUID = 1L;

    UnitFailure(String unitId, String message) {
      super(message, unitId, null, false, null);
    }
  }

  static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofSeconds(1), 2.0,
      Duration.ofSeconds(8), 0.0);

  private final KpdCommand command;
  private final String operation;
  private final OutputOption output;

  UnitRunner(KpdCommand command, String operation, OutputOption output) {
    this.command = command;
    this.operation = operation;
    this.output = output;
  }

  int run(List<CryptoUnit> units, UnitAction action) {
    CliContext ctx = command.ctx();
    java.io.PrintWriter human = output.json() ? ctx.err() : ctx.out();
    List<String> failed = new ArrayList<>();
    List<JsonReports.UnitRun> results = new ArrayList<>();
    for (CryptoUnit unit : units) {
      String prefix = "Executing operation " + operation + " against CryptoUnit with ID "
          + unit.id() + ": ";
      try {
        String note = withRetries(unit, action);
        human.println(prefix + "OK" + (note.isEmpty() ? "" : " (" + note + ")"));
        results.add(new JsonReports.UnitRun(unit.id(), "ok", note.isEmpty() ? null : note, null));
      } catch (KpDedicatedException e) {
        failed.add(unit.id());
        Failures.Report report = Failures.describe(e);
        human.println(prefix + "FAILED: " + Redactor.redact(report.line(), originalArgs()));
        results.add(new JsonReports.UnitRun(unit.id(), "failed", null,
            JsonReports.failure(report, originalArgs())));
      }
      human.flush();
    }
    int exitCode = failed.isEmpty() ? ExitCodes.OK : ExitCodes.PARTIAL_FAILURE;
    String retry = failed.isEmpty() ? null : RetryCommand.forUnits(originalArgs(), failed);
    if (output.json()) {
      command.println(Json.write(new JsonReports.UnitRunReport(operation, exitCode, results,
          retry)));
    }
    if (failed.isEmpty()) {
      return exitCode;
    }
    ctx.err().println(failed.size() + " of " + units.size() + " crypto units failed; the others"
        + " kept their progress. Retry only the failed units with:");
    ctx.err().println("  " + retry);
    ctx.err().flush();
    return exitCode;
  }

  private String withRetries(CryptoUnit unit, UnitAction action) {
    for (int attempt = 1; ; attempt++) {
      try {
        return action.apply(unit);
      } catch (KpDedicatedException e) {
        if (!e.retryable() || attempt >= RETRY.maxAttempts()) {
          throw e;
        }
        Duration delay = RETRY.delayBeforeRetry(attempt, 0.5);
        if (e instanceof io.kpdedicated.core.spi.ServiceException s
            && s.retryAfter().isPresent() && s.retryAfter().get().compareTo(delay) > 0) {
          delay = s.retryAfter().get();
        }
        command.ctx().err().println("  " + operation + " on " + unit.id() + " failed (attempt "
            + attempt + "), retrying in " + delay.toMillis() + " ms: "
            + Redactor.redact(e.getMessage(), originalArgs()));
        command.ctx().err().flush();
        try {
          command.ctx().sleeper().sleep(delay);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private List<String> originalArgs() {
    return command.spec.root().commandLine().getParseResult().originalArgs();
  }
}
