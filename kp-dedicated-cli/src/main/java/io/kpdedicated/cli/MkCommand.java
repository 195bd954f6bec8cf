package io.kpdedicated.cli;

import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.core.model.CheckValue;
import io.kpdedicated.core.model.MasterKeyInfo;
import io.kpdedicated.core.spi.HsmSession;
import io.kpdedicated.crypto.AdminIdentity;
import io.kpdedicated.crypto.KeyCheckValue;
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
    subcommands = {MkCommand.Generate.class, MkCommand.Import.class, MkCommand.Verify.class})
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

    @Mixin PassphrasesFileOption passphrases;

    /** --key-name and --keyshare-minimum, both required here. */
    @Mixin NewMasterKeyOptions newKey;

    @Option(names = "--algo", defaultValue = "AES-256", paramLabel = "ALGO",
        description = "AES-256 (the only algorithm).")
    String algo;

    @Option(names = "--auth", paramLabel = "JSON",
        description = "Accepted for compatibility with the runbook and ignored: kpd generates the"
            + " key on this machine, which needs no administrator.")
    String auth;

    @Mixin KdfOption kdf;
    @Mixin OutputOption output;

    @Override
    int run() {
      CliContext ctx = ctx();
      if (!algo.equalsIgnoreCase("AES-256") && !algo.equalsIgnoreCase("AES256")) {
        throw CliException.badInput("--algo '" + algo + "' is not supported; use AES-256");
      }
      String keyName = newKey.keyName(null);
      List<SecretFile> files = keyshares.files(ctx);
      int count = files.size();
      int minimum = newKey.minimum(null, count, "--keyshare-files names " + count + " files");
      for (SecretFile f : files) {
        FileChecks.requireNew(f.file(), "keyshare file");
      }
      var options = kdf.writeOptions(ctx);
      try (PassphraseResolver resolver = passphrases.resolver(ctx)) {
        List<KeyshareLocation> targets =
            KeyshareFilesOptions.locations(files, resolver, PassphraseResolver.Use.CREATE);
        try (MasterKey key = MasterKey.generate(keyName, ctx.random())) {
          KeyshareSetInfo info = Keyshares.write(key, minimum, targets, options);
          if (output.json()) {
            println(Json.write(new JsonReports.KeyshareSet("mk generate", info.keyName(),
                info.checkValue().hex(), info.setId(), info.minimum(), info.count(),
                targets.stream().map(t -> t.path().toString()).toList())));
            return ExitCodes.OK;
          }
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

    @Mixin PassphrasesFileOption passphrases;

    @Mixin OutputOption output;

    @Override
    int run() {
      CliContext ctx = ctx();
      List<SecretFile> files = keyshares.existingFiles(ctx);
      try (PassphraseResolver resolver = passphrases.resolver(ctx)) {
        List<KeyshareLocation> locations =
            KeyshareFilesOptions.locations(files, resolver, PassphraseResolver.Use.OPEN);
        try {
          KeyshareSetInfo info = Keyshares.verify(locations);
          if (output.json()) {
            println(Json.write(new JsonReports.KeyshareSet("mk verify", info.keyName(),
                info.checkValue().hex(), info.setId(), info.minimum(), info.count(),
                files.stream().map(f -> f.file().toString()).toList())));
            return ExitCodes.OK;
          }
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

  /** {@code kpd mk import}: load the master key into the crypto units. */
  @Command(name = "import",
      description = {
          "Rebuild the master key from K keyshare files and import it into the crypto units,"
              + " signed by the administrator. The key travels encrypted to each unit's import key.",
          "A unit that already holds the same key is reported OK; one holding another key FAILS"
              + " and is left alone."
      })
  static final class Import extends KpdCommand {
    @Mixin KeyshareFilesOptions keyshares;
    @Mixin AuthOptions auth;
    @Mixin PassphrasesFileOption passphrases;
    @Mixin UnitOptions units;
    @Mixin TargetOptions target;
    @Mixin OutputOption output;

    @Override
    int run() {
      CliContext ctx = ctx();
      List<SecretFile> files = keyshares.existingFiles(ctx);
      List<SecretFile> admins = auth.admins(ctx);
      try (PassphraseResolver resolver = passphrases.resolver(ctx)) {
        List<KeyshareLocation> locations =
            KeyshareFilesOptions.locations(files, resolver, PassphraseResolver.Use.OPEN);
        try (MasterKey key = Keyshares.rebuild(locations);
            AdminIdentity admin = AuthOptions.loadSigner(admins, resolver);
            Cloud cloud = Cloud.open(ctx, target)) {
          KeyCheckValue expected = key.checkValue();
          java.io.PrintWriter human = output.json() ? ctx.err() : ctx.out();
          human.println("Master key " + key.name() + " rebuilt from the keyshares, key check"
              + " value " + expected.hex());
          human.flush();
          var selected = units.select(cloud.units());
          return new UnitRunner(this, "mk import", output).run(selected, unit -> {
            if (!ClaimCommand.claimable(unit.state())) {
              return importInto(cloud, unit.id(), admin, key, expected);
            }
            throw new UnitRunner.UnitFailure(unit.id(), "crypto unit " + unit.id()
                + " is not claimed yet (state " + unit.rawState() + "); run 'kpd claim' first");
          });
        } finally {
          KeyshareFilesOptions.close(locations);
        }
      }
    }

    private static String importInto(Cloud cloud, String unitId, AdminIdentity admin,
        MasterKey key, KeyCheckValue expected) {
      try (HsmSession session =
          cloud.transport().hsm().openSession(cloud.target(), unitId,
              PortableHsmBackend.credentialOf(admin))) {
        CheckValue want = PortableHsmBackend.checkValueOf(expected);
        for (MasterKeyInfo loaded : session.listMasterKeys()) {
          if (loaded.checkValue().equals(want)) {
            return "already loaded, key check value " + expected.hex();
          }
          throw new UnitRunner.UnitFailure(unitId, "crypto unit " + unitId + " holds another"
              + " master key (" + loaded.name() + ", key check value " + loaded.checkValue().text()
              + "); it was left alone: zeroize it and claim it again to load this key");
        }
        MasterKeyInfo info = session.importMasterKey(PortableHsmBackend.preparedKeyOf(key));
        if (!info.checkValue().equals(want)) {
          throw new UnitRunner.UnitFailure(unitId, "crypto unit " + unitId + " reports key check"
              + " value " + info.checkValue().text() + " after the import, expected "
              + expected.hex());
        }
        return "key check value " + info.checkValue().text();
      }
    }
  }
}
