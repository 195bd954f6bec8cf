package io.kpdedicated.cli;

import io.kpdedicated.core.UnitLifecycle;
import io.kpdedicated.core.model.CryptoUnit;
import io.kpdedicated.core.model.UnitState;
import io.kpdedicated.crypto.AdminIdentity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kpd claim}: install the administrator's public key on the crypto units. */
@Command(name = "claim",
    description = "Claim crypto units: install the administrator's public key as their default"
        + " admin. Units that are already claimed are skipped.")
final class ClaimCommand extends KpdCommand {
  /** Returns whether the service would accept a claim of a unit in {@code state}. */
  static boolean claimable(UnitState state) {
    return UnitLifecycle.transition(state, UnitLifecycle.Change.CLAIM).allowed();
  }

  @Mixin CredentialOption credential;
  @Mixin PassphraseOptions passphrase;
  @Mixin PassphrasesFileOption passphrases;
  @Mixin UnitOptions units;
  @Mixin TargetOptions target;
  @Mixin OutputOption output;

  @Override
  int run() {
    CliContext ctx = ctx();
    SecretFile file = credential.required(ctx, "kpd claim");
    PassphraseSource given = passphrase.source(ctx);
    if (given.specified()) {
      if (file.passphrase().specified()) {
        throw CliException.badInput("give the passphrase of --credential once: as F#P or with a"
            + " --passphrase* option");
      }
      file = file.withPassphrase(given);
    }
    try (PassphraseResolver resolver = passphrases.resolver(ctx);
        AdminIdentity admin = AdminAuth.load(file, resolver, AdminAuth.DEFAULT_PEM_NAME);
        Cloud cloud = Cloud.open(ctx, target)) {
      String pem = admin.publicKeyPkcs1Pem();
      var selected = units.select(cloud.units());
      return new UnitRunner(this, "claim", output).run(selected, (CryptoUnit unit) -> {
        if (!claimable(unit.state())) {
          return "skipped: already claimed, state " + unit.rawState();
        }
        cloud.transport().cryptoUnits().claim(cloud.target(), unit.id(), pem);
        return "";
      });
    }
  }
}
