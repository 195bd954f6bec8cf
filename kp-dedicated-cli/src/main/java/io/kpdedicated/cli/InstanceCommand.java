package io.kpdedicated.cli;

import io.kpdedicated.core.model.InstanceRequest;
import io.kpdedicated.core.model.ServiceInstance;
import java.util.Locale;
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

  /** Validates an instance request before any call: name, region and unit count (2 or 3). */
  static InstanceRequest request(String name, PlacementOptions placement, int units) {
    String r = placement.region.trim().toLowerCase(Locale.ROOT);
    if (!SUPPORTED_REGIONS.contains(r)) {
      throw CliException.badInput("--region '" + placement.region + "' is not supported by Key"
          + " Protect Dedicated; the only region is " + InstanceRequest.DEFAULT_REGION);
    }
    if (name.isBlank()) {
      throw CliException.badInput("the instance name must not be blank");
    }
    return new InstanceRequest(name, r, placement.resourceGroup, units);
  }

  /** {@code kpd instance create}. */
  @Command(name = "create",
      description = "Create a Key Protect Dedicated instance (service kms, plan dedicated)."
          + " Provisioning takes minutes; follow it with 'kpd instance get NAME'.")
  static final class Create extends KpdCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The instance name.")
    String name;

    @Mixin CryptoUnitsOption cryptoUnits;
    @Mixin PlacementOptions placement;
    @Mixin TargetOptions target;
    @Mixin OutputOption output;

    @Override
    int run() {
      InstanceRequest request = request(name, placement, cryptoUnits.count());
      try (Cloud cloud = Cloud.open(ctx(), target)) {
        Optional<ServiceInstance> existing = cloud.transport().provisioning()
            .findInstanceByName(name);
        if (existing.isPresent()) {
          throw CliException.badInput("an instance named '" + name + "' exists already ("
              + existing.get().guid() + ", state " + existing.get().rawState() + "); see 'kpd"
              + " instance get " + name + "' or choose another name");
        }
        ServiceInstance created = cloud.transport().provisioning().createInstance(request);
        if (output.json()) {
          println(Json.write(JsonReports.instance(created)));
          return ExitCodes.OK;
        }
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

    @Mixin TargetOptions target;
    @Mixin OutputOption output;

    @Override
    int run() {
      try (Cloud cloud = Cloud.open(ctx(), target)) {
        ServiceInstance i = cloud.transport().provisioning().findInstanceByName(name)
            .orElseThrow(() -> CliException.badInput("no Key Protect Dedicated instance is named '"
                + name + "'"));
        if (output.json()) {
          println(Json.write(JsonReports.instance(i)));
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
