package io.kpdedicated.cli;

import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kpd zeroize}: wipe crypto units. */
@Command(name = "zeroize",
    description = {
        "Zeroize crypto units: wipe their master key, users and administrator; they return to"
            + " 'reserved' and must be claimed and loaded again.",
        "Asks for confirmation unless --force is given (required when not run in a terminal)."
    })
final class ZeroizeCommand extends KpdCommand {
  @Mixin UnitOptions units;
  @Mixin TargetOptions target;
  @Mixin OutputOption output;

  @Option(names = "--force", description = "Do not ask for confirmation.")
  boolean force;

  @Override
  int run() {
    CliContext ctx = ctx();
    if (units.ids.isEmpty()) {
      throw CliException.badInput("name the crypto units to zeroize with --id UNIT (zeroizing"
          + " every unit by default would be too easy a mistake)");
    }
    try (Cloud cloud = Cloud.open(ctx, target)) {
      var selected = units.select(cloud.units());
      if (!force) {
        if (!ctx.terminal().interactive()) {
          throw CliException.badInput("zeroize asks for confirmation, but there is no terminal to"
              + " ask in; add --force to zeroize without asking");
        }
        String ids = String.join(", ", selected.stream().map(u -> u.id()).toList());
        String answer = ctx.terminal().readLine("Zeroize crypto unit(s) " + ids + " of instance "
            + cloud.target().instanceGuid() + "? Their master key and users are wiped."
            + " Type 'yes' to go on: ").orElse("");
        if (!answer.trim().toLowerCase(Locale.ROOT).equals("yes")) {
          ctx.err().println("Cancelled: nothing was zeroized.");
          ctx.err().flush();
          return ExitCodes.CANCELLED;
        }
      }
      return new UnitRunner(this, "zeroize", output).run(selected, unit -> {
        cloud.transport().cryptoUnits().zeroize(cloud.target(), unit.id());
        return "";
      });
    }
  }
}
