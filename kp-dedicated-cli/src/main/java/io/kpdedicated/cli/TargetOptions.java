package io.kpdedicated.cli;

import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.Option;

/**
 * Where the cloud is: {@code IBMCLOUD_API_KEY}, {@code KP_TARGET_ADDR}, {@code KP_INSTANCE_ID} and
 * the IAM / Resource Controller endpoints, each also as an option that wins over the environment.
 * A picocli mixin.
 */
final class TargetOptions {
  @Option(names = "--iam-endpoint", paramLabel = "URL",
      description = "IAM endpoint (env " + Env.IAM_ENDPOINT + "; default IBM Cloud's).")
  String iamEndpoint;

  @Option(names = "--rc-endpoint", paramLabel = "URL",
      description = "Resource Controller endpoint (env " + Env.RC_ENDPOINT
          + "; default IBM Cloud's).")
  String rcEndpoint;

  @Option(names = "--target-addr", paramLabel = "URL",
      description = "Instance endpoint (env " + Env.TARGET_ADDR + ").")
  String targetAddr;

  @Option(names = "--instance-id", paramLabel = "GUID",
      description = "Instance GUID (env " + Env.INSTANCE_ID + ").")
  String instanceId;

  /** Gathers the settings: options first, then the environment. */
  CloudSettings settings(CliContext ctx) {
    return new CloudSettings(
        ctx.env(Env.API_KEY).orElse(null),
        uri(pick(iamEndpoint, ctx, ctx.env(Env.IAM_ENDPOINT).isPresent() ? Env.IAM_ENDPOINT
            : Env.IAM_API_ENDPOINT), "--iam-endpoint / " + Env.IAM_ENDPOINT),
        uri(pick(rcEndpoint, ctx, Env.RC_ENDPOINT), "--rc-endpoint / " + Env.RC_ENDPOINT),
        uri(pick(targetAddr, ctx, Env.TARGET_ADDR), "--target-addr / " + Env.TARGET_ADDR),
        pick(instanceId, ctx, Env.INSTANCE_ID),
        ctx.environment());
  }

  /** Returns whether any cloud setting was given (options or environment). */
  boolean anyGiven(CliContext ctx) {
    CloudSettings s = settings(ctx);
    return s.apiKey() != null || s.iamEndpoint() != null || s.rcEndpoint() != null
        || s.targetAddr() != null || s.instanceId() != null;
  }

  /** Returns the flags that repeat these options, for printed retry commands. */
  java.util.List<String> asArgs() {
    java.util.List<String> args = new java.util.ArrayList<>();
    add(args, "--iam-endpoint", iamEndpoint);
    add(args, "--rc-endpoint", rcEndpoint);
    add(args, "--target-addr", targetAddr);
    add(args, "--instance-id", instanceId);
    return args;
  }

  private static void add(java.util.List<String> args, String name, String value) {
    if (value != null) {
      args.add(name);
      args.add(value);
    }
  }

  private static String pick(String option, CliContext ctx, String env) {
    if (option != null && !option.isBlank()) {
      return option.trim();
    }
    return ctx.env(env).map(String::trim).orElse(null);
  }

  static URI uri(String text, String what) {
    if (text == null) {
      return null;
    }
    try {
      URI u = new URI(text);
      if (!u.isAbsolute() || u.getHost() == null
          || !(u.getScheme().equals("https") || u.getScheme().equals("http"))) {
        throw CliException.badInput(what + " must be an http(s) URL such as"
            + " https://host:port, got '" + text + "'");
      }
      return u;
    } catch (URISyntaxException e) {
      throw CliException.badInput(what + " is not a valid URL: '" + text + "'");
    }
  }
}
