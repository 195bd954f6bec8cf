package io.kpdedicated.cli;

import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.ServiceInstance;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kpd instance}: Key Protect Dedicated service instances. */
@Command(name = "instance", description = "Create and inspect Key Protect Dedicated instances.",
    subcommands = {InstanceCommand.Create.class, InstanceCommand.Get.class})
final class InstanceCommand extends KpdCommand {
  /** The regions Key Protect Dedicated supports today. */
  static final Set<String> SUPPORTED_REGIONS = Set.of(InstanceRequest.DEFAULT_REGION);

  @Override
  int run() {
    spec.commandLine().usage(ctx().out());
    return ExitCodes.OK;
  }

  /** Validates an instance request before any call: region and unit count. */
  static InstanceRequest request(String name, String region, String resourceGroup, int units) {
    String r = region.trim().toLowerCase(Locale.ROOT);
    if (!SUPPORTED_REGIONS.contains(r)) {
      throw CliException.badInput("region '" + region + "' is not supported by Key Protect"
          + " Dedicated; the only region is " + InstanceRequest.DEFAULT_REGION);
    }
    if (units != 2 && units != 3) {
      throw CliException.badInput("--crypto-units is " + units + " but must be 2 or 3 (the"
          + " count can never change after creation)");
    }
    if (name.isBlank()) {
      throw CliException.badInput("the instance name must not be blank");
    }
    return new InstanceRequest(name, r, resourceGroup, units);
  }

  /** {@code kpd instance create}. */
  @Command(name = "create",
      description = "Create a Key Protect Dedicated instance (service kms, plan dedicated)."
          + " Provisioning takes minutes; follow it with 'kpd instance get NAME'.")
  static final class Create extends KpdCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The instance name.")
    String name;

    @Option(names = "--crypto-units", defaultValue = "2", paramLabel = "N",
        description = "2 (default) or 3; can never change later.")
    int cryptoUnits;

    @Option(names = "--region", defaultValue = "us-south", paramLabel = "REGION",
        description = "us-south (the only region Key Protect Dedicated supports).")
    String region;

    @Option(names = "--resource-group", paramLabel = "G",
        description = "Resource group id (default: the account's default group).")
    String resourceGroup;

    @Mixin TargetOptions target;

    @Override
    int run() {
      InstanceRequest request = request(name, region, resourceGroup, cryptoUnits);
      try (Cloud cloud = Cloud.open(ctx(), target)) {
        Optional<ServiceInstance> existing = cloud.transport().provisioning()
            .findInstanceByName(name);
        if (existing.isPresent()) {
          throw CliException.badInput("an instance named '" + name + "' exists already ("
              + existing.get().guid() + ", state " + existing.get().rawState() + "); see 'kpd"
              + " instance get " + name + "' or choose another name");
        }
        ServiceInstance created = cloud.transport().provisioning().createInstance(request);
        println("Created instance " + created.name() + " (" + created.guid() + "), state "
            + created.rawState() + ", " + request.cryptoUnits() + " crypto units in "
            + request.region());
        println("Follow it with: kpd instance get " + RetryCommand.quote(created.name()));
      }
      return ExitCodes.OK;
    }
  }

  /** {@code kpd instance get}. */
  @Command(name = "get", description = "Show an instance and, once it is active, the export lines"
      + " the other commands need.")
  static final class Get extends KpdCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The instance name.")
    String name;

    @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT",
        description = "table (default) or json.")
    OutputFormat output;

    @Mixin TargetOptions target;

    @Override
    int run() {
      try (Cloud cloud = Cloud.open(ctx(), target)) {
        ServiceInstance i = cloud.transport().provisioning().findInstanceByName(name)
            .orElseThrow(() -> CliException.badInput("no Key Protect Dedicated instance is named '"
                + name + "'"));
        if (output == OutputFormat.JSON) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("name", i.name());
          m.put("id", i.id());
          m.put("guid", i.guid());
          m.put("crn", i.crn());
          m.put("state", i.rawState());
          m.put("region", i.region());
          m.put("cryptoUnits", i.cryptoUnits());
          m.put("publicEndpoint", i.publicEndpoint() == null ? null : i.publicEndpoint().toString());
          m.put("privateEndpoint",
              i.privateEndpoint() == null ? null : i.privateEndpoint().toString());
          m.put("lastOperation", i.lastOperation());
          println(Json.write(m));
          return ExitCodes.OK;
        }
        Table t = new Table("FIELD", "VALUE");
        t.row("name", i.name()).row("guid", i.guid()).row("id", i.id()).row("state", i.rawState())
            .row("region", i.region()).row("crypto units", i.cryptoUnits())
            .row("public endpoint", i.publicEndpoint()).row("private endpoint", i.privateEndpoint());
        if (i.lastOperation() != null) {
          t.row("last operation", i.lastOperation());
        }
        t.lines().forEach(this::println);
        if (i.publicEndpoint() != null) {
          println("");
          println("export " + Env.TARGET_ADDR + "=" + i.publicEndpoint());
          println("export " + Env.INSTANCE_ID + "=" + i.guid());
        }
      }
      return ExitCodes.OK;
    }
  }
}
