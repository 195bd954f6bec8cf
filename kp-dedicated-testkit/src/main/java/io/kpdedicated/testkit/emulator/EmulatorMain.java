package io.kpdedicated.testkit.emulator;

import io.kpdedicated.core.model.ServiceInstance;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the loopback emulator standalone with one active instance and prints the environment a
 * client needs, as {@code export NAME=value} lines, then serves until the process is stopped.
 *
 * <pre>
 * java -cp ... io.kpdedicated.testkit.emulator.EmulatorMain [--port N] [--units 2|3]
 *     [--name NAME] [--api-key KEY] [--provisioning-seconds S]
 * eval "$(... EmulatorMain --units 3 | head -n 8)"
 * </pre>
 */
public final class EmulatorMain {
  private EmulatorMain() {}

  /**
   * Starts the emulator.
   *
   * @param args the options above
   * @throws InterruptedException if interrupted while serving
   */
  public static void main(String[] args) throws InterruptedException {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    LoopbackEmulator emulator;
    try {
      emulator = start(args, System.out);
    } catch (IllegalArgumentException e) {
      System.err.println("kpd emulator: " + e.getMessage());
      System.err.println("usage: EmulatorMain [--port N] [--units 2|3] [--name NAME] [--api-key KEY]"
          + " [--provisioning-seconds S]");
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      emulator.close();
      stopped.countDown();
    }, "kpd-emulator-shutdown"));
    stopped.await();
  }

  /**
   * Parses the options, starts an emulator with one active instance and prints its environment.
   *
   * @param args the options
   * @param out where the {@code export} lines go
   * @return the running emulator (the caller closes it)
   * @throws IllegalArgumentException for a bad option
   */
  public static LoopbackEmulator start(String[] args, PrintStream out) {
    int port = 0;
    int units = 2;
    String name = "kpd-emulated";
    String apiKey = null;
    Duration provisioning = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (a) {
        case "--port":
          port = parseInt(a, v);
          i++;
          break;
        case "--units":
          units = parseInt(a, v);
          i++;
          break;
        case "--name":
          name = require(a, v);
          i++;
          break;
        case "--api-key":
          apiKey = require(a, v);
          i++;
          break;
        case "--provisioning-seconds":
          provisioning = Duration.ofSeconds(parseInt(a, v));
          i++;
          break;
        default:
          throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (units != 2 && units != 3) {
      throw new IllegalArgumentException("--units must be 2 or 3, got " + units);
    }
    LoopbackEmulator.Builder b = LoopbackEmulator.builder().port(port);
    if (apiKey != null) {
      b.apiKey(apiKey);
    }
    if (provisioning != null) {
      b.provisioningTime(provisioning);
    }
    LoopbackEmulator emulator = b.build().start();
    ServiceInstance instance = emulator.createActiveInstance(name, units);
    for (Map.Entry<String, String> e : emulator.environment(instance).entrySet()) {
      out.println("export " + e.getKey() + "=" + e.getValue());
    }
    out.println("# kpd loopback emulator on " + emulator.baseUri() + ": instance '" + name + "' ("
        + instance.guid() + ") with " + units + " crypto units; state at "
        + emulator.baseUri() + "/emulator/v1/state; stop with Ctrl-C");
    out.flush();
    return emulator;
  }

  private static String require(String option, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }

  private static int parseInt(String option, String value) {
    try {
      return Integer.parseInt(require(option, value));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, got " + value);
    }
  }
}
