package io.kpdedicated.cli;

import io.kpdedicated.core.portable.PortableHsmBackend;
import io.kpdedicated.core.model.CryptoUser;
import io.kpdedicated.core.model.NewUser;
import io.kpdedicated.core.model.UserType;
import io.kpdedicated.core.spi.HsmSession;
import io.kpdedicated.crypto.AdminIdentity;
import io.kpdedicated.crypto.RsaKeys;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kpd user}: users of the crypto units. */
@Command(name = "user", description = "Manage the users of the crypto units.",
    subcommands = UserCommand.Add.class)
final class UserCommand extends KpdCommand {

  @Override
  int run() {
    spec.commandLine().usage(ctx().out());
    return ExitCodes.OK;
  }

  /** {@code kpd user add}. */
  @Command(name = "add",
      description = {
          "Add a user to the crypto units, signed by the administrator.",
          "--type kmsCryptoUser adds the user the Key Protect service operates the units with"
              + " (its identity is read from the instance); --type admin adds a further"
              + " administrator (--name, --credential). Units that have the user already are"
              + " reported OK."
      })
  static final class Add extends KpdCommand {
    @Option(names = "--type", required = true, paramLabel = "TYPE",
        description = "kmsCryptoUser or admin.")
    String type;

    @Option(names = "--name", paramLabel = "N", description = "The new administrator's name"
        + " (--type admin).")
    String name;

    /** The new administrator's key (--type admin); a PEM public key file works too. */
    @Mixin CredentialOption credential;
    @Mixin AuthOptions auth;
    @Mixin PassphrasesFileOption passphrases;
    @Mixin UnitOptions units;
    @Mixin TargetOptions target;
    @Mixin OutputOption output;

    @Override
    int run() {
      CliContext ctx = ctx();
      UserType userType = UserType.fromWire(type);
      if (userType == UserType.OTHER) {
        throw CliException.badInput("--type '" + type + "' is not known; use kmsCryptoUser or"
            + " admin");
      }
      if (userType == UserType.KMS_CRYPTO_USER && (name != null || credential.given())) {
        throw CliException.badInput("--name and --credential are for --type admin only; the"
            + " kmsCryptoUser's identity comes from the instance");
      }
      if (userType == UserType.ADMIN && (name == null || !credential.given())) {
        throw CliException.badInput("--type admin needs --name and --credential");
      }
      List<SecretFile> admins = auth.admins(ctx);
      try (PassphraseResolver resolver = passphrases.resolver(ctx)) {
        NewUser fixedUser = userType == UserType.ADMIN ? newAdmin(ctx, resolver) : null;
        try (AdminIdentity signer = AuthOptions.loadSigner(admins, resolver);
            Cloud cloud = Cloud.open(ctx, target)) {
          NewUser user = fixedUser != null ? fixedUser
              : cloud.transport().cryptoUnits().cryptoUserMetadata(cloud.target()).toNewUser();
          var selected = units.select(cloud.units());
          return new UnitRunner(this, "user add " + userType.wireValue(), output).run(selected, unit -> {
            if (ClaimCommand.claimable(unit.state())) {
              throw new UnitRunner.UnitFailure(unit.id(), "crypto unit " + unit.id()
                  + " is not claimed yet (state " + unit.rawState() + "); run 'kpd claim' first");
            }
            try (HsmSession session =
                cloud.transport().hsm().openSession(cloud.target(), unit.id(), PortableHsmBackend.credentialOf(signer))) {
              for (CryptoUser existing : session.listUsers()) {
                if (existing.name().equals(user.name())) {
                  return "user " + user.name() + " is there already";
                }
              }
              session.addUser(user);
              return "";
            }
          });
        }
      }
    }

    private NewUser newAdmin(CliContext ctx, PassphraseResolver resolver) {
      SecretFile file = credential.file(ctx);
      FileChecks.requireReadable(file.file(), "credential file");
      String pem = readPemPublicKey(file);
      if (pem == null) {
        try (AdminIdentity other = AdminAuth.load(file, resolver, name)) {
          pem = other.publicKeyPkcs1Pem();
        }
      }
      return NewUser.admin(name, pem);
    }

    /** Returns the file's text if it is a PEM public key, else null. */
    private static String readPemPublicKey(SecretFile file) {
      if (AdminAuth.format(file.file()) != AdminAuth.Format.PEM_PUBLIC) {
        return null;
      }
      try {
        return RsaKeys.toPkcs1Pem(RsaKeys.fromPem(AdminAuth.pemText(file.file())));
      } catch (IllegalArgumentException e) {
        throw CliException.badInput("--credential " + file.file() + ": " + e.getMessage(), e);
      }
    }
  }
}
