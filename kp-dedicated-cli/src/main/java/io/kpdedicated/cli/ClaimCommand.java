package io.kpdedicated.cli;

import io.kpdedicated.core.UnitLifecycle;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.crypto.AdminIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kpd claim}: install the administrator's public key on the crypto units. */
@Command(name = "claim",
    description = "Claim crypto units: install the administrator's public key as their default"
        + " admin. Units that are already claimed are skipped.")
final class ClaimCommand extends KpdCommand {
  /** Returns whether the service would accept a claim of a unit in {@code state}. */
  static boolean claimable(UnitState state) {
    return UnitLifecycle.transition(state, UnitLifecycle.Change.CLAIM).allowed();
  }

  @Option(names = "--credential", required = true, paramLabel = "F",
      description = "The administrator key file (from 'kpd sig-key generate'); F#P also works.")
  String credential;

  @Mixin PassphraseOptions passphrase;
  @Mixin PassphrasesFileOption passphrases;
  @Mixin UnitOptions units;
  @Mixin TargetOptions target;

  @Override
  int run() {
    CliContext ctx = ctx();
    SecretFile file = SecretArgs.parseEntry(credential, ctx, "--credential");
    PassphraseSource given = passphrase.source(ctx);
    if (given.specified()) {
      if (file.passphrase().specified()) {
        throw CliException.badInput("give the passphrase of --credential once: as F#P or with a"
            + " --passphrase* option");
      }
      file = file.withPassphrase(given);
    }
    try (PassphraseResolver resolver = passphrases.resolver(ctx);
        AdminIdentity admin = AdminAuth.load(file, resolver);
        Cloud cloud = Cloud.open(ctx, target)) {
      String pem = admin.publicKeyPkcs1Pem();
      var selected = units.select(cloud.units());
      return new UnitRunner(this, "claim").run(selected, (CryptoUnit unit) -> {
        if (!claimable(unit.state())) {
          return "skipped: already claimed, state " + unit.rawState();
        }
        cloud.transport().cryptoUnits().claim(cloud.target(), unit.id(), pem);
        return "";
      });
    }
  }
}
