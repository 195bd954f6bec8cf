package io.kpdedicated.cli;

import io.kpdedicated.core.model.CryptoUnit;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kpd crypto-units}: list the instance's crypto units and their states. */
@Command(name = "crypto-units", description = "List the instance's crypto units and their states.")
final class CryptoUnitsCommand extends KpdCommand {
  @Mixin TargetOptions target;

  @Mixin OutputOption output;

  @Override
  int run() {
    try (Cloud cloud = Cloud.open(ctx(), target)) {
      List<CryptoUnit> units = cloud.units();
      if (output.json()) {
        println(Json.write(new JsonReports.UnitList(cloud.target().instanceGuid(),
            units.stream().map(JsonReports::unit).toList())));
      } else {
        Table t = new Table("ID", "STATE");
        units.forEach(u -> t.row(u.id(), u.rawState()));
        t.lines().forEach(this::println);
      }
    }
    return ExitCodes.OK;
  }
}
