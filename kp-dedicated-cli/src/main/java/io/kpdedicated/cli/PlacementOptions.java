package io.kpdedicated.cli;

import picocli.CommandLine.Option;

/** {@code --region} and {@code --resource-group}: where a new instance is created. A picocli mixin. */
final class PlacementOptions {
  @Option(names = "--region", defaultValue = "us-south", paramLabel = "REGION",
      description = "Region of a new instance: us-south (the only one Key Protect Dedicated"
          + " supports).")
  String region = "us-south";

  @Option(names = "--resource-group", paramLabel = "G",
      description = "Resource group id of a new instance (default: the account's default group).")
  String resourceGroup;
}
