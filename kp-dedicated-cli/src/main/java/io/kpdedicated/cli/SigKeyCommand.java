package io.kpdedicated.cli;

import io.kpdedicated.crypto.AdminIdentity;
import io.kpdedicated.crypto.Passphrase;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kpd sig-key}: the administrator's signature key. */
@Command(name = "sig-key", description = "Manage the administrator's signature key.",
    subcommands = SigKeyCommand.Generate.class)
final class SigKeyCommand extends KpdCommand {

  @Override
  int run() {
    spec.commandLine().usage(ctx().out());
    return ExitCodes.OK;
  }

  /** {@code kpd sig-key generate}. */
  @Command(name = "generate",
      description = {
          "Generate an administrator signature key pair and save it as a PKCS#12 file (0600),"
              + " protected by a passphrase.",
          "Without --passphrase* options kpd asks for the passphrase (twice, no echo)."
      })
  static final class Generate extends KpdCommand {
    @Option(names = "--file", required = true, paramLabel = "F",
        description = "The new key file (PKCS#12). Must not exist.")
    Path file;

    @Mixin PassphraseOptions passphrase;

    @Option(names = "--unprotected",
        description = "Save the key without a passphrase (anyone who can read the file can act as"
            + " the administrator).")
    boolean unprotected;

    @Option(names = "--algo", defaultValue = "RSA-2048", paramLabel = "ALGO",
        description = "RSA-2048 (default), RSA-3072 or RSA-4096.")
    String algo;

    @Mixin Pkcs12Option pkcs12;
    @Mixin OutputOption output;

    @Option(names = "--name", defaultValue = "admin", paramLabel = "NAME",
        description = "The administrator name in the key's certificate (default: ${DEFAULT-VALUE}).")
    String name;

    @Override
    int run() {
      CliContext ctx = ctx();
      int bits = rsaBits(algo);
      Path target = ctx.resolve(file);
      PassphraseSource source = passphrase.source(ctx);
      if (unprotected && source.specified()) {
        throw CliException.badInput("--unprotected and a passphrase option exclude each other");
      }
      int iterations = pkcs12.iterations(ctx);
      FileChecks.requireNew(target, "key file");
      try (PassphraseResolver resolver = PassphraseResolver.of(ctx, null)) {
        Passphrase pass = null;
        if (!unprotected) {
          pass = resolver.resolveOptional(new SecretFile(target, source),
              PassphraseResolver.Use.CREATE).orElseThrow(() -> CliException.badInput(
                  "no passphrase for the new key file " + target + ": run in a terminal to be"
                      + " asked, or give --passphrase-env VAR, --passphrase-file FILE or"
                      + " --passphrase P (or --unprotected to save it without one)"));
        }
        try (AdminIdentity identity = AdminIdentity.generate(name, bits, ctx.random())) {
          if (pass == null) {
            identity.saveUnprotected(target, false);
          } else {
            identity.save(target, pass, false, iterations);
          }
          if (output.json()) {
            println(Json.write(new JsonReports.SigKey(target.toString(), "RSA-" + bits,
                pass != null, identity.publicKeyFingerprint())));
            return ExitCodes.OK;
          }
          println("Wrote the administrator signature key (" + algo.toUpperCase(Locale.ROOT) + ", "
              + (pass == null ? "UNPROTECTED" : "protected by a passphrase") + ") to " + target);
          println("Public key SHA-256 fingerprint: " + identity.publicKeyFingerprint());
          if (pass == null) {
            println("Without a passphrase anyone who can read the file can act as the"
                + " administrator. Other tools read it without a password: keytool -list"
                + " -storetype PKCS12 -keystore " + RetryCommand.quote(target.toString())
                + " (press Enter at the password prompt) lists its one key entry.");
          }
        } finally {
          if (pass != null) {
            pass.close();
          }
        }
      }
      return ExitCodes.OK;
    }

    static int rsaBits(String algo) {
      switch (algo.toUpperCase(Locale.ROOT)) {
        case "RSA-2048":
        case "RSA2048":
          return 2048;
        case "RSA-3072":
        case "RSA3072":
          return 3072;
        case "RSA-4096":
        case "RSA4096":
          return 4096;
        default:
          throw CliException.badInput("--algo '" + algo + "' is not supported; use RSA-2048,"
              + " RSA-3072 or RSA-4096");
      }
    }
  }
}
