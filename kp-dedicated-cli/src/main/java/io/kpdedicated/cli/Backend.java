package io.kpdedicated.cli;

import io.kpdedicated.core.spi.CryptoUnitApi;
import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.core.spi.ProvisioningApi;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Where {@code kpd init} and {@code kpd plan} run: an embedded cloud in this process (no
 * {@code IBMCLOUD_API_KEY}) or the cloud named by the environment and options. Close it to stop an
 * embedded cloud and free connections.
 *
 * <p>{@link #startInBackground} starts the embedded cloud on its own thread and hands out a
 * transport that waits for it on first use: {@code kpd init} prepares the administrator key and
 * the keyshares (local work, about a second of key derivation) before its first call, so on two
 * cores the emulator's start-up is hidden behind it.
 */
final class Backend implements AutoCloseable {
  private final DedicatedTransport transport;
  private final String announcement;
  private final CompletableFuture<? extends AutoCloseable> resource;

  private Backend(DedicatedTransport transport, String announcement,
      CompletableFuture<? extends AutoCloseable> resource) {
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

  /** Opens the backend now: the embedded cloud is running when this returns. */
  static Backend open(CliContext ctx, TargetOptions target, boolean embedded) {
    if (embedded) {
      EmbeddedCloud cloud = ctx.embedded().start(ctx);
      return new Backend(cloud.transport(), embeddedAnnouncement(cloud.description()),
          CompletableFuture.completedFuture(cloud));
    }
    return cloud(ctx, target);
  }

  /**
   * Opens the backend; an embedded cloud starts on a background thread and the transport waits
   * for it on first use. The cloud's transport is opened at once.
   */
  static Backend startInBackground(CliContext ctx, TargetOptions target, boolean embedded) {
    if (!embedded) {
      return cloud(ctx, target);
    }
    CompletableFuture<EmbeddedCloud> starting = new CompletableFuture<>();
    Thread starter = new Thread(() -> {
      try {
        starting.complete(ctx.embedded().start(ctx));
      } catch (RuntimeException | Error e) {
        starting.completeExceptionally(e);
      }
    }, "kpd-embedded-start");
    starter.setDaemon(true);
    starter.start();
    return new Backend(new WaitingTransport(starting),
        embeddedAnnouncement(ctx.embedded().kind()), starting);
  }

  private static Backend cloud(CliContext ctx, TargetOptions target) {
    Cloud cloud = Cloud.open(ctx, target);
    CloudSettings s = cloud.settings();
    String where = s.rcEndpoint() != null ? "the cloud at " + s.rcEndpoint()
        : s.targetAddr() != null ? "the instance at " + s.targetAddr() : "IBM Cloud";
    return new Backend(cloud.transport(), "Targeting " + where + " with " + Env.API_KEY + ".",
        CompletableFuture.completedFuture(cloud));
  }

  private static String embeddedAnnouncement(String description) {
    return "No " + Env.API_KEY + " in the environment: running against an embedded " + description
        + "; nothing leaves this machine.";
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
      resource.join().close();
    } catch (Exception e) {
      // Stopping an embedded cloud or closing connections cannot change the outcome any more.
    }
  }

  /** A transport whose calls wait until the embedded cloud has started. */
  private static final class WaitingTransport implements DedicatedTransport {
    private final CompletableFuture<EmbeddedCloud> cloud;

    WaitingTransport(CompletableFuture<EmbeddedCloud> cloud) {
      this.cloud = cloud;
    }

    private DedicatedTransport started() {
      try {
        return cloud.join().transport();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error err) {
          throw err;
        }
        throw e;
      }
    }

    @Override
    public ProvisioningApi provisioning() {
      return started().provisioning();
    }

    @Override
    public CryptoUnitApi cryptoUnits() {
      return started().cryptoUnits();
    }
  }
}
