package io.kpdedicated.cli;

import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.InstanceTarget;
import io.kpdedicated.core.model.ServiceInstance;
import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.http.KpEndpoint;
import java.util.List;

/**
 * A command's connection to the cloud: the transport and the instance it works on. Close it when
 * done. Not thread-safe.
 */
final class Cloud implements AutoCloseable {
  private final CloudSettings settings;
  private final DedicatedTransport transport;
  private InstanceTarget target;

  private Cloud(CloudSettings settings, DedicatedTransport transport) {
    this.settings = settings;
    this.transport = transport;
  }

  /** Opens a transport with the settings gathered from the options and the environment. */
  static Cloud open(CliContext ctx, TargetOptions options) {
    CloudSettings settings = options.settings(ctx);
    if (settings.apiKey() == null) {
      throw CliException.badInput(Env.API_KEY + " is not set: export your IBM Cloud API key (or"
          + " run 'kpd emulator' and export the lines it prints)");
    }
    return new Cloud(settings, ctx.transports().open(settings));
  }

  DedicatedTransport transport() {
    return transport;
  }

  CloudSettings settings() {
    return settings;
  }

  /**
   * Returns the instance to work on: {@code KP_TARGET_ADDR} + {@code KP_INSTANCE_ID}, or the public
   * endpoint of the instance {@code KP_INSTANCE_ID} names.
   */
  InstanceTarget target() {
    if (target != null) {
      return target;
    }
    if (settings.instanceId() == null && settings.targetAddr() != null) {
      var parsed = KpEndpoint.tryParse(settings.targetAddr());
      if (parsed.isPresent()) {
        target = new InstanceTarget(settings.targetAddr(), parsed.get().instanceId());
        return target;
      }
    }
    if (settings.instanceId() == null) {
      throw CliException.badInput(Env.INSTANCE_ID + " is not set: export the instance GUID"
          + " ('kpd instance get NAME' prints the export lines)");
    }
    if (settings.targetAddr() != null) {
      target = new InstanceTarget(settings.targetAddr(), settings.instanceId());
      return target;
    }
    ServiceInstance instance = transport.provisioning().getInstance(settings.instanceId());
    target = instance.publicTarget().orElseThrow(() -> CliException.badInput("instance "
        + settings.instanceId() + " has no public endpoint yet (state " + instance.rawState()
        + "); wait until it is active, or set " + Env.TARGET_ADDR));
    return target;
  }

  /** Lists the instance's crypto units. */
  List<CryptoUnit> units() {
    return transport.cryptoUnits().listUnits(target());
  }

  @Override
  public void close() {
    if (transport instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        // Closing a transport frees connections; a failure there changes nothing for the user.
      }
    }
  }
}
