package io.kpdedicated.cli;

import io.kpdedicated.core.InitializationPlan;
import io.kpdedicated.core.Step;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kpd plan}: what {@code kpd init} would do, changing nothing. */
@Command(name = "plan",
    description = {
        "Show what 'kpd init' with the same options would do, per crypto unit, without changing"
            + " anything: no instance is created, no file written, no unit touched.",
        "Exit code 2 when init would stop before touching any unit (the problems are listed)."
    })
final class PlanCommand extends KpdCommand {
  @Mixin InitOptions options;

  @Override
  int run() {
    CliContext ctx = ctx();
    boolean json = options.output.json();
    PrintWriter human = json ? ctx.err() : ctx.out();
    boolean embedded = Backend.embedded(ctx, options.target);
    try (InitSetup setup = InitSetup.prepare(ctx, options, embedded);
        Backend backend = Backend.open(ctx, options.target, embedded,
            options.hsmLibrary)) {
      human.println(backend.announcement());
      human.flush();
      InitializationPlan plan;
      try {
        plan = setup.builder(backend.transport(), event -> { }).build().plan();
      } catch (IllegalStateException | IllegalArgumentException e) {
        throw CliException.badInput(e.getMessage(), e);
      }
      List<String> problems = plan.problems().stream().map(CliWords::of).toList();
      int exitCode = problems.isEmpty() ? ExitCodes.OK : ExitCodes.BAD_INPUT;
      if (json) {
        println(Json.write(new JsonReports.PlanReport("plan", exitCode,
            JsonReports.lower(plan.instanceAction()),
            plan.instance().map(JsonReports::instance).orElse(null),
            plan.instanceSteps().stream().map(JsonReports::step).toList(),
            JsonReports.lower(plan.identityAction()), JsonReports.lower(plan.keysharesAction()),
            plan.unitsKnown(), plan.units().stream().map(JsonReports::planUnit).toList(),
            problems, plan.nothingToDo())));
        return exitCode;
      }
      printTable(plan, problems);
      return exitCode;
    }
  }

  private void printTable(InitializationPlan plan, List<String> problems) {
    println("Plan (nothing was changed):");
    println("  instance:       " + lower(plan.instanceAction())
        + plan.instance().map(i -> " " + i.name() + " (" + i.guid() + ", " + i.rawState() + ")")
            .orElse(""));
    if (!plan.instanceSteps().isEmpty()) {
      println("  instance steps: " + plan.instanceSteps().stream().map(ProgressPrinter::label)
          .collect(Collectors.joining(", ")));
    }
    println("  admin identity: " + lower(plan.identityAction()));
    println("  keyshares:      " + lower(plan.keysharesAction()));
    if (plan.unitsKnown()) {
      Table t = new Table("CRYPTO UNIT", "STATE", "STEPS", "NOTE");
      for (InitializationPlan.UnitPlan u : plan.units()) {
        String steps = !u.targeted() ? "(not targeted)" : u.steps().isEmpty() ? "nothing"
            : u.steps().stream().map(PlanCommand::stepLabel).collect(Collectors.joining(", "));
        t.row(u.unitId(), u.rawState(), steps, u.note().isEmpty() ? "" : u.note());
      }
      println("");
      t.lines().forEach(this::println);
    } else {
      println("  crypto units:   not known until the instance is active");
    }
    if (!problems.isEmpty()) {
      println("");
      println("Problems that would stop 'kpd init' before any unit is touched:");
      problems.forEach(p -> println("  - " + p));
      return;
    }
    if (plan.nothingToDo()) {
      println("");
      println("Nothing to do: every crypto unit is initialized.");
    }
  }

  private static String stepLabel(Step step) {
    return ProgressPrinter.label(step);
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
