package io.kpdedicated.cli;

import io.kpdedicated.crypto.AdminIdentity;
import picocli.CommandLine.Option;

/**
 * The advanced knob for the PBKDF2 cost of new admin key files: {@code --pkcs12-iterations N} or
 * the environment variable {@value #ENV}; default {@value AdminIdentity#DEFAULT_PBKDF2_ITERATIONS}.
 * Lower counts are for tests only. A picocli mixin.
 */
final class Pkcs12Option {
  /** The environment variable that sets the iterations when the option is absent. */
  static final String ENV = "KPD_PKCS12_ITERATIONS";

  @Option(names = "--pkcs12-iterations", hidden = true, paramLabel = "N",
      description = "Advanced: PBKDF2 iterations of the new key file (default "
          + AdminIdentity.DEFAULT_PBKDF2_ITERATIONS + "; env " + ENV + ").")
  Integer iterations;

  int iterations(CliContext ctx) {
    if (iterations != null) {
      return check(iterations, "--pkcs12-iterations");
    }
    String env = ctx.env(ENV).orElse(null);
    if (env == null) {
      return AdminIdentity.DEFAULT_PBKDF2_ITERATIONS;
    }
    try {
      return check(Integer.parseInt(env.trim()), ENV);
    } catch (NumberFormatException e) {
      throw CliException.badInput(ENV + " must be a whole number, got '" + env + "'");
    }
  }

  private static int check(int n, String what) {
    if (n < AdminIdentity.MIN_PBKDF2_ITERATIONS) {
      throw CliException.badInput(what + " must be at least " + AdminIdentity.MIN_PBKDF2_ITERATIONS);
    }
    return n;
  }
}
