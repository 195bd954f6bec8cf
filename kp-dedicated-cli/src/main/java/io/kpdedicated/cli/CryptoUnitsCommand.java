package io.kpdedicated.cli;

import io.kpdedicated.core.model.CryptoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kpd crypto-units}: list the instance's crypto units and their states. */
@Command(name = "crypto-units", description = "List the instance's crypto units and their states.")
final class CryptoUnitsCommand extends KpdCommand {
  @Mixin TargetOptions target;

  @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT",
      description = "table (default) or json.")
  OutputFormat output;

  @Override
  int run() {
    try (Cloud cloud = Cloud.open(ctx(), target)) {
      List<CryptoUnit> units = cloud.units();
      if (output == OutputFormat.JSON) {
        List<Map<String, String>> json = units.stream().map(u -> {
          Map<String, String> m = new LinkedHashMap<>();
          m.put("id", u.id());
          m.put("instanceId", u.instanceId());
          m.put("state", u.rawState());
          return m;
        }).toList();
        println(Json.write(json));
      } else {
        Table t = new Table("ID", "STATE");
        units.forEach(u -> t.row(u.id(), u.rawState()));
        t.lines().forEach(this::println);
      }
    }
    return ExitCodes.OK;
  }
}
