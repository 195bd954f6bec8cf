package io.kpdedicated.cli;

import io.kpdedicated.core.DedicatedInitializer;
import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.PartialFailureException;
import io.kpdedicated.core.UnitOutcome;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.core.model.CheckValue;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kpd init}: the main job, the whole initialization with {@code DedicatedInitializer}. */
@Command(name = "init",
    description = {
        "Initialize a Key Protect Dedicated instance end to end: admin identity -> keyshares"
            + " (local files first) -> provision (or reuse) -> wait until active -> endpoint ->"
            + " read the instance's key check values -> claim -> import the master key -> add the"
            + " kmsCryptoUser -> verify that every unit holds the same key.",
        "",
        "Without " + Env.API_KEY + " in the environment it runs against an embedded loopback"
            + " emulator (nothing leaves this machine); with it, against IBM Cloud.",
        "Files (admin key, keyshares) go to a new folder; generated passphrases are written to"
            + " passphrases.txt (0600) in that folder. Running again with the same --out and"
            + " --passphrases resumes: only what is left is done.",
        "--keyshare-files: existing files (all exist) are used as the master key; new ones (none"
            + " exists) receive a new key (default: DIR/keyshare-1.json ... -N.json, N from"
            + " --keyshares). --key-name defaults to " + InitOptions.DEFAULT_KEY_NAME
            + ", --keyshare-minimum to " + InitOptions.DEFAULT_MINIMUM + ".",
        "Exit code 0 only when every crypto unit is kms-initialized with one key check value."
    })
final class InitCommand extends KpdCommand {
  @Mixin InitOptions options;

  @Override
  int run() {
    CliContext ctx = ctx();
    boolean json = options.output.json();
    // With --output json, standard output carries the JSON document only.
    PrintWriter human = json ? ctx.err() : ctx.out();
    boolean embedded = Backend.embedded(ctx, options.target);
    InitSetup setup = InitSetup.prepare(ctx, options, embedded);
    InitializationResult result;
    // The report comes after the backend (and an embedded emulator) is closed: the process can
    // end right after its last line.
    try (setup; Backend backend = Backend.open(ctx, options.target, embedded,
        options.hsmLibrary)) {
      line(human, backend.announcement());
      setup.writeFiles();
      announceFiles(human, setup);
      List<String> args = originalArgs();
      ProgressPrinter progress = new ProgressPrinter(human, !json && ctx.terminal().interactive(),
          args, terminalWidth(ctx));
      DedicatedInitializer initializer = build(setup, backend.transport(), progress);
      try {
        result = initializer.run();
      } catch (PartialFailureException e) {
        result = e.result();
      }
    }
    return report(human, json, result, setup, embedded, originalArgs());
  }

  private DedicatedInitializer build(InitSetup setup, DedicatedTransport transport,
      ProgressPrinter progress) {
    try {
      return setup.builder(transport, progress).build();
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw CliException.badInput(e.getMessage(), e);
    }
  }

  private static void line(PrintWriter w, String text) {
    w.println(text);
    w.flush();
  }

  private void announceFiles(PrintWriter human, InitSetup setup) {
    if (setup.usesOutDir()) {
      line(human, (setup.outDirExisted() ? "Using the folder " : "Files go to the new folder ")
          + setup.outDir());
    }
    if (setup.generatedPassphrases()) {
      line(human, "Generated random passphrases for the new key files and wrote them to "
          + setup.passphrasesFile() + " (0600): move them to a safe place; whoever has them and"
          + " K keyshares owns the master key.");
    }
  }

  private int report(PrintWriter human, boolean json, InitializationResult result,
      InitSetup setup, boolean embedded, List<String> args) {
    Set<String> checkValues = result.units().stream().map(UnitOutcome::checkValue)
        .filter(Objects::nonNull).map(CheckValue::text)
        .collect(Collectors.toCollection(TreeSet::new));
    boolean allInitialized = !result.units().isEmpty() && result.units().stream()
        .allMatch(u -> u.finalState() == UnitState.KMS_INITIALIZED);
    boolean ok = allInitialized && checkValues.size() == 1 && result.succeeded();
    List<String> retry = result.failedUnits().stream().map(UnitOutcome::unitId).toList();
    if (retry.isEmpty()) {
      retry = result.units().stream().filter(u -> u.finalState() != UnitState.KMS_INITIALIZED)
          .map(UnitOutcome::unitId).toList();
    }
    String retryCommand = ok || embedded || retry.isEmpty() ? null
        : RetryCommand.forUnits(resumeArgs(args, setup), retry);
    int exitCode = ok ? ExitCodes.OK : ExitCodes.PARTIAL_FAILURE;

    if (json) {
      List<JsonReports.InitUnit> units = result.units().stream()
          .map(u -> JsonReports.initUnit(u, u.failureIfAny()
              .map(f -> JsonReports.failure(Failures.describe(f), args)).orElse(null)))
          .toList();
      println(Json.write(new JsonReports.InitReport("init", exitCode, ok, embedded,
          result.target().instanceGuid(), result.target().endpoint().toString(),
          checkValues.size() == 1 ? checkValues.iterator().next() : null,
          setup.usesOutDir() ? setup.outDir().toString() : null,
          setup.passphrasesFile() == null ? null : setup.passphrasesFile().toString(),
          units, retryCommand)));
    } else {
      line(human, "");
      Table table = new Table("CRYPTO UNIT", "STATE", "KEY CHECK VALUE", "ATTEMPTS", "RESULT");
      for (UnitOutcome u : result.units()) {
        table.row(u.unitId(), wire(u.finalState()),
            u.checkValueIfKnown().map(CheckValue::text).orElse("-"), u.attempts(),
            u.status().name().toLowerCase(Locale.ROOT).replace('_', ' '));
      }
      table.lines().forEach(l -> line(human, l));
      for (UnitOutcome u : result.failedUnits()) {
        line(human, "  " + u.unitId() + ": " + Redactor.redact(
            Failures.describe(u.failure()).line(), args));
      }
    }
    if (ok) {
      line(human, "");
      line(human, "All " + result.units().size() + " crypto units of instance "
          + result.target().instanceGuid() + " are kms-initialized with master key check value "
          + checkValues.iterator().next() + ".");
      return exitCode;
    }
    ctx().err().println(checkValues.size() > 1
        ? "The crypto units hold different master keys (" + String.join(", ", checkValues)
            + "); the odd ones must be zeroized and loaded again."
        : retry.size() + " of " + result.units().size() + " crypto units are not kms-initialized;"
            + " the others kept their progress.");
    if (embedded) {
      ctx().err().println("The embedded emulator stops with kpd: run 'kpd init' again for a new"
          + " run.");
    } else if (retryCommand != null) {
      ctx().err().println("Finish only those units with:");
      ctx().err().println("  " + retryCommand);
    }
    ctx().err().flush();
    return exitCode;
  }

  /** The original arguments plus what a resumed run needs: the same folder and passphrases. */
  private static List<String> resumeArgs(List<String> args, InitSetup setup) {
    List<String> out = new ArrayList<>(args);
    if (setup.usesOutDir() && args.stream().noneMatch(a -> a.equals("--out")
        || a.startsWith("--out="))) {
      out.add("--out");
      out.add(setup.outDir().toString());
    }
    if (setup.passphrasesFile() != null && args.stream().noneMatch(a -> a.equals("--passphrases")
        || a.startsWith("--passphrases="))) {
      out.add("--passphrases");
      out.add(setup.passphrasesFile().toString());
    }
    return out;
  }

  private static int terminalWidth(CliContext ctx) {
    try {
      return Integer.parseInt(ctx.env("COLUMNS").orElse("80").trim());
    } catch (NumberFormatException e) {
      return 80;
    }
  }

  private static String wire(UnitState state) {
    return state.wireValue() == null ? "unknown" : state.wireValue();
  }

  private List<String> originalArgs() {
    return spec.root().commandLine().getParseResult().originalArgs();
  }
}
