package io.kpdedicated.cli;

import io.kpdedicated.core.DedicatedInitializer;
import io.kpdedicated.core.InitializationResult;
import io.kpdedicated.core.PartialFailureException;
import io.kpdedicated.core.UnitOutcome;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.core.model.CheckValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
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
        "Exit code 0 only when every crypto unit is kms-initialized with one key check value."
    })
final class InitCommand extends KpdCommand {
  @Mixin InitOptions options;

  @Override
  int run() {
    CliContext ctx = ctx();
    boolean embedded = Backend.embedded(ctx, options.target);
    try (InitSetup setup = InitSetup.prepare(ctx, options, embedded);
        Backend backend = Backend.open(ctx, options.target, embedded,
            options.hsmLibrary)) {
      println(backend.announcement());
      setup.writeFiles();
      announceFiles(setup);
      List<String> args = originalArgs();
      ProgressPrinter progress = new ProgressPrinter(ctx.out(), ctx.terminal().interactive(), args,
          terminalWidth(ctx));
      DedicatedInitializer initializer = build(setup, backend.transport(), progress);
      InitializationResult result;
      try {
        result = initializer.run();
      } catch (PartialFailureException e) {
        result = e.result();
      }
      return report(result, setup, embedded, args);
    }
  }

  private DedicatedInitializer build(InitSetup setup, DedicatedTransport transport,
      ProgressPrinter progress) {
    try {
      return setup.builder(transport, progress).build();
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw CliException.badInput(e.getMessage(), e);
    }
  }

  private void announceFiles(InitSetup setup) {
    if (setup.usesOutDir()) {
      println((setup.outDirExisted() ? "Using the folder " : "Files go to the new folder ")
          + setup.outDir());
    }
    if (setup.generatedPassphrases()) {
      println("Generated random passphrases for the new key files and wrote them to "
          + setup.passphrasesFile() + " (0600): move them to a safe place; whoever has them and"
          + " K keyshares owns the master key.");
    }
  }

  private int report(InitializationResult result, InitSetup setup, boolean embedded,
      List<String> args) {
    println("");
    Table table = new Table("CRYPTO UNIT", "STATE", "KEY CHECK VALUE", "ATTEMPTS", "RESULT");
    for (UnitOutcome u : result.units()) {
      table.row(u.unitId(), wire(u.finalState()),
          u.checkValueIfKnown().map(CheckValue::text).orElse("-"), u.attempts(),
          u.status().name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }
    table.lines().forEach(this::println);
    for (UnitOutcome u : result.failedUnits()) {
      println("  " + u.unitId() + ": " + Redactor.redact(
          Failures.describe(u.failure()).line(), args));
    }
    Set<String> checkValues = result.units().stream().map(UnitOutcome::checkValue)
        .filter(Objects::nonNull).map(CheckValue::text).collect(Collectors.toSet());
    boolean allInitialized = !result.units().isEmpty() && result.units().stream()
        .allMatch(u -> u.finalState() == UnitState.KMS_INITIALIZED);
    if (allInitialized && checkValues.size() == 1 && result.succeeded()) {
      println("");
      println("All " + result.units().size() + " crypto units of instance "
          + result.target().instanceGuid() + " are kms-initialized with master key check value "
          + checkValues.iterator().next() + ".");
      return ExitCodes.OK;
    }
    List<String> retry = result.failedUnits().stream().map(UnitOutcome::unitId).toList();
    if (retry.isEmpty()) {
      retry = result.units().stream().filter(u -> u.finalState() != UnitState.KMS_INITIALIZED)
          .map(UnitOutcome::unitId).toList();
    }
    ctx().err().println(checkValues.size() > 1
        ? "The crypto units hold different master keys (" + String.join(", ", checkValues)
            + "); the odd ones must be zeroized and loaded again."
        : retry.size() + " of " + result.units().size() + " crypto units are not kms-initialized;"
            + " the others kept their progress.");
    if (embedded) {
      ctx().err().println("The embedded emulator stops with kpd: run 'kpd init' again for a new"
          + " run.");
    } else if (!retry.isEmpty()) {
      ctx().err().println("Finish only those units with:");
      ctx().err().println("  " + RetryCommand.forUnits(resumeArgs(args, setup), retry));
    }
    ctx().err().flush();
    return ExitCodes.PARTIAL_FAILURE;
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
