package io.kpdedicated.cli;

import io.kpdedicated.crypto.KeyshareWriteOptions;
import picocli.CommandLine.Option;

/**
 * The advanced knob for the keyshare files' passphrase KDF cost: {@code --keyshare-kdf SPEC} or the
 * environment variable {@code KPD_KEYSHARE_KDF}. A picocli mixin.
 */
final class KdfOption {
  /** The environment variable that sets the KDF when the option is absent. */
  static final String ENV = "KPD_KEYSHARE_KDF";

  @Option(names = "--keyshare-kdf", hidden = true, paramLabel = "SPEC",
      description = "Advanced: KDF of new keyshare files, e.g. argon2id:m=19456,t=2,p=1 or"
          + " scrypt:N=131072,r=8,p=1 (default: OWASP Argon2id; env " + ENV + ").")
  String spec;

  /** Returns the write options for new keyshare files. */
  KeyshareWriteOptions writeOptions(CliContext ctx) {
    return KeyshareWriteOptions.defaults();
  }
}
