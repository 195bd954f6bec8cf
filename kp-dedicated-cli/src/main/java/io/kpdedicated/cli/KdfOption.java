package io.kpdedicated.cli;

import io.kpdedicated.crypto.KdfParameters;
import io.kpdedicated.crypto.KeyshareWriteOptions;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The advanced knob for the cost of the keyshare files' passphrase KDF: {@code --keyshare-kdf SPEC}
 * or the environment variable {@value #ENV}. SPEC is {@code argon2id:m=KIB,t=ITERATIONS,p=LANES} or
 * {@code scrypt:N=COST,r=BLOCK,p=PARALLEL}; unset means the OWASP defaults (Argon2id, 19 MiB, t=2).
 * Cheap values are for tests only. A picocli mixin.
 */
final class KdfOption {
  /** The environment variable that sets the KDF when the option is absent. */
  static final String ENV = "KPD_KEYSHARE_KDF";

  @Option(names = "--keyshare-kdf", hidden = true, paramLabel = "SPEC",
      description = "Advanced: KDF of new keyshare files, e.g. argon2id:m=19456,t=2,p=1 or"
          + " scrypt:N=131072,r=8,p=1 (default: OWASP Argon2id; env " + ENV + ").")
  String spec;

  /** Returns the write options for new keyshare files (never overwriting). */
  KeyshareWriteOptions writeOptions(CliContext ctx) {
    KeyshareWriteOptions.Builder b = KeyshareWriteOptions.builder()
        .overwrite(false)
        .random(ctx.random())
        .clock(ctx.clock());
    String text = spec != null ? spec : ctx.env(ENV).orElse(null);
    if (text != null) {
      b.kdf(parse(text, spec != null ? "--keyshare-kdf" : ENV));
    }
    return b.build();
  }

  static KdfParameters parse(String text, String what) {
    String t = text.trim();
    int colon = t.indexOf(':');
    String name = (colon < 0 ? t : t.substring(0, colon)).toLowerCase(Locale.ROOT);
    Map<String, Integer> params = new HashMap<>();
    if (colon >= 0) {
      for (String part : t.substring(colon + 1).split(",")) {
        String[] kv = part.split("=", 2);
        if (kv.length != 2) {
          throw CliException.badInput(what + ": expected NAME=VALUE in '" + part + "'");
        }
        try {
          params.put(kv[0].trim(), Integer.parseInt(kv[1].trim()));
        } catch (NumberFormatException e) {
          throw CliException.badInput(what + ": '" + kv[1] + "' is not a whole number");
        }
      }
    }
    try {
      switch (name) {
        case "argon2id":
          return KdfParameters.argon2id(params.getOrDefault("m", 19 * 1024),
              params.getOrDefault("t", 2), params.getOrDefault("p", 1));
        case "scrypt":
          return KdfParameters.scrypt(params.getOrDefault("N", 1 << 17),
              params.getOrDefault("r", 8), params.getOrDefault("p", 1));
        default:
          throw CliException.badInput(what + ": unknown KDF '" + name + "'; use"
              + " argon2id:m=KIB,t=N,p=N or scrypt:N=N,r=N,p=N");
      }
    } catch (IllegalArgumentException e) {
      throw CliException.badInput(what + ": " + e.getMessage());
    }
  }
}
