package io.kpdedicated.cli;

import io.kpdedicated.core.spi.DedicatedTransport;
import io.kpdedicated.http.IamTokenProvider;
import io.kpdedicated.nativehsm.NativeHsm;
import io.kpdedicated.nativehsm.NativeHsmBackend;
import io.kpdedicated.nativehsm.NativeLibraryException;
import io.kpdedicated.nativehsm.NativeLibraryLocator;
import io.kpdedicated.nativehsm.NativeTransport;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

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
    return open(ctx, target, embedded, null);
  }

  /**
   * Opens the backend; against the cloud, the HSM sessions go through IBM's library when
   * {@code hsmLibrary} or {@code KEYPROTECT_LIB_PATH} names it. The announcement names the HSM
   * backend that runs.
   */
  static Backend open(CliContext ctx, TargetOptions target, boolean embedded, Path hsmLibrary) {
    if (embedded && hsmLibrary != null) {
      throw CliException.badInput("--hsm-library needs " + Env.API_KEY + ": IBM's library talks"
          + " to a real instance only; the embedded emulator speaks the signed REST protocol");
    }
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
    DedicatedTransport transport = nativeOr(cloud.transport(), s, hsmLibrary);
    return new Backend(transport, "Targeting " + where + " with " + Env.API_KEY + "; HSM backend: "
        + transport.hsm().description() + ".", cloud);
  }

  /** The one place where the native backend is chosen: --hsm-library, then KEYPROTECT_LIB_PATH. */
  private static DedicatedTransport nativeOr(DedicatedTransport rest, CloudSettings s,
      Path hsmLibrary) {
    Map<String, String> env = new HashMap<>(s.environment());
    if (hsmLibrary != null) {
      env.put(NativeLibraryLocator.LIB_PATH_VARIABLE, hsmLibrary.toAbsolutePath().toString());
    } else if (env.getOrDefault(NativeLibraryLocator.LIB_PATH_VARIABLE, "").isBlank()) {
      return rest;
    }
    try {
      IamTokenProvider.Builder tokens = IamTokenProvider.builder();
      char[] key = s.apiKey().toCharArray();
      try {
        tokens.apiKey(key);
      } finally {
        Arrays.fill(key, '\0');
      }
      if (s.iamEndpoint() != null) {
        tokens.endpoint(s.iamEndpoint());
      }
      NativeHsm hsm = new NativeHsm(NativeLibraryLocator.builder().environment(env).build().load(),
          true);
      return NativeTransport.of(rest, NativeHsmBackend.builder().hsm(hsm)
          .tokenProvider(tokens.build()).build());
    } catch (NativeLibraryException e) {
      throw CliException.badInput(e.getMessage(), e);
    }
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
