package io.kpdedicated.cli;

import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.testkit.emulator.LoopbackEmulator;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kpd emulator}: the loopback emulator in the foreground. */
@Command(name = "emulator",
    description = {
        "Run the loopback Key Protect Dedicated emulator in the foreground on 127.0.0.1, with one"
            + " active instance of N crypto units (all 'reserved').",
        "It prints the export lines a client needs; paste them into another shell and every kpd"
            + " command, init included, works against it. Stop it with Ctrl-C; its state is lost."
    })
final class EmulatorCommand extends KpdCommand {
  @Option(names = "--port", defaultValue = "0", paramLabel = "P",
      description = "Port on 127.0.0.1 (default: any free port).")
  int port;

  @Mixin CryptoUnitsOption cryptoUnitsOption;

  @Option(names = "--name", defaultValue = "kpd-emulated", paramLabel = "NAME",
      description = "Name of the instance (default: ${DEFAULT-VALUE}).")
  String name;

  @Override
  int run() throws InterruptedException {
    CliContext ctx = ctx();
    int cryptoUnits = cryptoUnitsOption.count();
    if (port < 0 || port > 65535) {
      throw CliException.badInput("--port must be 0 to 65535, got " + port);
    }
    LoopbackEmulator emulator;
    try {
      emulator = LoopbackEmulator.builder().port(port).clock(ctx.clock())
          .provisioningPolls(2).build().start();
    } catch (java.io.UncheckedIOException e) {
      throw CliException.badInput("cannot listen on 127.0.0.1:" + port + " ("
          + e.getCause().getMessage() + "); choose another --port or 0 for any free port");
    }
    try (emulator) {
      ServiceInstance instance = emulator.createActiveInstance(name, cryptoUnits);
      for (Map.Entry<String, String> e : emulator.environment(instance).entrySet()) {
        println("export " + e.getKey() + "=" + e.getValue());
      }
      println("# kpd emulator on " + emulator.baseUri() + ": instance '" + name + "' ("
          + instance.guid() + ") with " + cryptoUnits + " crypto units. Paste the export lines"
          + " into another shell; stop with Ctrl-C.");
      ctx.foreground().serve(emulator::close);
    }
    return ExitCodes.OK;
  }
}
