package io.kpdedicated.cli;

import io.kpdedicated.core.spi.DedicatedTransport;

/**
 * Where {@code kpd init} and {@code kpd plan} run: an embedded cloud in this process (no
 * {@code IBMCLOUD_API_KEY}) or the cloud named by the environment and options. Close it to stop an
 * embedded cloud and free connections.
 */
final class Backend implements AutoCloseable {
  private final DedicatedTransport transport;
  private final String announcement;
  private final AutoCloseable resource;

  private Backend(DedicatedTransport transport, String announcement, AutoCloseable resource) {
    this.transport = transport;
    this.announcement = announcement;
    this.resource = resource;
  }

  /**
   * Returns whether to run embedded: no API key. Other cloud settings without an API key are an
   * error rather than silently ignored.
   */
  static boolean embedded(CliContext ctx, TargetOptions target) {
    CloudSettings s = target.settings(ctx);
    if (s.apiKey() != null) {
      return false;
    }
    if (s.targetAddr() != null || s.instanceId() != null || s.iamEndpoint() != null
        || s.rcEndpoint() != null) {
      throw CliException.badInput("cloud settings are given (" + Env.TARGET_ADDR + ", "
          + Env.INSTANCE_ID + " or endpoints) but " + Env.API_KEY + " is not set: export the API"
          + " key to use them, or unset them to run against the embedded emulator");
    }
    return true;
  }

  static Backend open(CliContext ctx, TargetOptions target, boolean embedded) {
    if (embedded) {
      EmbeddedCloud cloud = ctx.embedded().start(ctx);
      return new Backend(cloud.transport(), "No " + Env.API_KEY + " in the environment: running"
          + " against an embedded " + cloud.description() + "; nothing leaves this machine.",
          cloud);
    }
    Cloud cloud = Cloud.open(ctx, target);
    CloudSettings s = cloud.settings();
    String where = s.rcEndpoint() != null ? "the cloud at " + s.rcEndpoint()
        : s.targetAddr() != null ? "the instance at " + s.targetAddr() : "IBM Cloud";
    return new Backend(cloud.transport(), "Targeting " + where + " with " + Env.API_KEY + ".",
        cloud);
  }

  DedicatedTransport transport() {
    return transport;
  }

  String announcement() {
    return announcement;
  }

  @Override
  public void close() {
    try {
      resource.close();
    } catch (Exception e) {
      // Stopping an embedded cloud or closing connections cannot change the outcome any more.
    }
  }
}
