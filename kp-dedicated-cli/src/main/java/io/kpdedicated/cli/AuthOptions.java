package io.kpdedicated.cli;

import io.kpdedicated.crypto.AdminIdentity;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --auth '[{"ADMIN":"F#P"}]'}: the administrator who signs HSM commands. A picocli mixin. */
final class AuthOptions {
  @Option(names = "--auth", required = true, paramLabel = "JSON",
      description = "The administrator signing the commands (a PKCS#12 or PEM private key file):"
          + " '[{\"ADMIN\":\"admin.p12\"}]'"
          + " (asked for its passphrase), '[{\"ADMIN\":{\"file\":\"admin.p12\","
          + "\"passphraseEnv\":\"VAR\"}}]' or '[{\"ADMIN\":\"admin.p12#P\"}]'.")
  String auth;

  /** Parses the list. */
  List<SecretFile> admins(CliContext ctx) {
    return SecretArgs.parseAuth(auth, ctx, "--auth");
  }

  /**
   * Loads the signing administrator: the first entry (this service's units have one administrator;
   * further entries are checked to open, for compatibility with quorum setups).
   */
  static AdminIdentity loadSigner(List<SecretFile> admins, PassphraseResolver resolver) {
    AdminIdentity first = AdminAuth.load(admins.get(0), resolver, AdminAuth.DEFAULT_PEM_NAME);
    try {
      for (SecretFile other : admins.subList(1, admins.size())) {
        AdminAuth.load(other, resolver, AdminAuth.DEFAULT_PEM_NAME).close();
      }
      return first;
    } catch (RuntimeException e) {
      first.close();
      throw e;
    }
  }
}
