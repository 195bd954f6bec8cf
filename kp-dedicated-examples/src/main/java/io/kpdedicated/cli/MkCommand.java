package io.kpdedicated.cli;

import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.KeyshareSetInfo;
import io.kpdedicated.crypto.Keyshares;
import io.kpdedicated.crypto.MasterKey;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kpd mk}: the master key and its keyshare files. */
@Command(name = "mk", description = "Generate, verify and import the master key (keyshare files).",
    subcommands = {MkCommand.Generate.class, MkCommand.Verify.class})
final class MkCommand extends KpdCommand {

  @Override
  int run() {
    spec.commandLine().usage(ctx().out());
    return ExitCodes.OK;
  }

  /** {@code kpd mk generate}: a new master key written as K-of-N keyshare files. */
  @Command(name = "generate",
      description = {
          "Generate an AES-256 master key on this machine and write it as N keyshare files (0600),"
              + " each protected by its own passphrase; any K of them rebuild the key.",
          "Nothing is sent to the cloud; import it with 'kpd mk import'."
      })
  static final class Generate extends KpdCommand {
    @Mixin KeyshareFilesOptions keyshares;

    @Option(names = "--keyshare-minimum", required = true, paramLabel = "K",
        description = "How many keyshares rebuild the key (2 <= K <= N).")
    int minimum;

    @Option(names = "--algo", defaultValue = "AES-256", paramLabel = "ALGO",
        description = "AES-256 (the only algorithm).")
    String algo;

    @Option(names = "--key-name", required = true, paramLabel = "NAME",
        description = "The master key's name, 1 to 8 characters.")
    String keyName;

    @Option(names = "--auth", paramLabel = "JSON",
        description = "Accepted for compatibility with the runbook; local generation needs no"
            + " administrator.", hidden = true)
    String auth;

    @Mixin KdfOption kdf;

    @Override
    int run() {
      CliContext ctx = ctx();
      if (!algo.equalsIgnoreCase("AES-256") && !algo.equalsIgnoreCase("AES256")) {
        throw CliException.badInput("--algo '" + algo + "' is not supported; use AES-256");
      }
      if (keyName.isEmpty() || keyName.length() > MasterKey.MAX_NAME_LENGTH) {
        throw CliException.badInput("--key-name must have 1 to " + MasterKey.MAX_NAME_LENGTH
            + " characters, '" + keyName + "' has " + keyName.length());
      }
      List<SecretFile> files = keyshares.files(ctx);
      int count = files.size();
      if (count < 2) {
        throw CliException.badInput("--keyshare-files names " + count
            + " file; a master key needs at least 2 keyshares");
      }
      if (minimum < 2 || minimum > count) {
        throw CliException.badInput("--keyshare-minimum is " + minimum + " but must be 2 to "
            + count + " (the number of --keyshare-files)");
      }
      for (SecretFile f : files) {
        FileChecks.requireNew(f.file(), "keyshare file");
      }
      var options = kdf.writeOptions(ctx);
      try (PassphraseResolver resolver =
          PassphraseResolver.of(ctx, keyshares.passphrasesFile(ctx))) {
        List<KeyshareLocation> targets =
            KeyshareFilesOptions.locations(files, resolver, PassphraseResolver.Use.CREATE);
        try (MasterKey key = MasterKey.generate(keyName, ctx.random())) {
          KeyshareSetInfo info = Keyshares.write(key, minimum, targets, options);
          println("Generated master key " + info.keyName() + " (AES-256), key check value "
              + info.checkValue().hex());
          println("Wrote " + info.count() + " keyshare files; any " + info.minimum()
              + " of them rebuild the key (share set " + info.setId() + "):");
          for (KeyshareLocation t : targets) {
            println("  " + t.path());
          }
        } finally {
          KeyshareFilesOptions.close(targets);
        }
      }
      return ExitCodes.OK;
    }
  }

  /** {@code kpd mk verify}: offline check of keyshare files. */
  @Command(name = "verify",
      description = "Check keyshare files offline: each opens with its passphrase, they belong to"
          + " one master key, and K of them rebuild it. Prints the key check value.")
  static final class Verify extends KpdCommand {
    @Mixin KeyshareFilesOptions keyshares;

    @Override
    int run() {
      CliContext ctx = ctx();
      List<SecretFile> files = keyshares.files(ctx);
      for (SecretFile f : files) {
        FileChecks.requireReadable(f.file(), "keyshare file");
      }
      try (PassphraseResolver resolver =
          PassphraseResolver.of(ctx, keyshares.passphrasesFile(ctx))) {
        List<KeyshareLocation> locations =
            KeyshareFilesOptions.locations(files, resolver, PassphraseResolver.Use.OPEN);
        try {
          KeyshareSetInfo info = Keyshares.verify(locations);
          println(String.format(Locale.ROOT,
              "OK: %d keyshare files open and belong to share set %s; %d of %d rebuild master key"
                  + " %s", files.size(), info.setId(), info.minimum(), info.count(),
              info.keyName()));
          println("Key check value: " + info.checkValue().hex());
        } finally {
          KeyshareFilesOptions.close(locations);
        }
      }
      return ExitCodes.OK;
    }
  }
}
