package io.kpdedicated.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every {@code kpd} command: gives access to the {@link CliContext} and the picocli spec.
 * Subclasses implement {@link #run()} and return an exit code from {@link ExitCodes}; failures are
 * thrown and turned into one line and an exit code by {@link Failures}.
 */
abstract class KpdCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private CliContext ctx;

  /** Called by the command factory before parsing. */
  final void context(CliContext context) {
    this.ctx = context;
  }

  /** Returns the context this command runs in. */
  final CliContext ctx() {
    if (ctx == null) {
      throw new IllegalStateException("command created without a context; use Kpd.commandLine");
    }
    return ctx;
  }

  @Override
  public final Integer call() throws Exception {
    return run();
  }

  /** Runs the command. */
  abstract int run() throws Exception;

  /** Prints one line to standard output. */
  final void println(String line) {
    ctx().out().println(line);
    ctx().out().flush();
  }
}
