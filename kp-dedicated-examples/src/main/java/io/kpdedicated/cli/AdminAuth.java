package io.kpdedicated.cli;

import io.kpdedicated.crypto.AdminIdentity;
import io.kpdedicated.crypto.KeyFileException;
import io.kpdedicated.crypto.Passphrase;
import java.util.Optional;

/** Loads an administrator identity named on the command line. Stateless. */
final class AdminAuth {
  private AdminAuth() {}

  /**
   * Loads {@code file}: with the passphrase named for it; when none is named, as an unprotected
   * file, else with the passphrase from the {@code --passphrases} file or the prompt.
   */
  static AdminIdentity load(SecretFile file, PassphraseResolver resolver) {
    FileChecks.requireReadable(file.file(), "admin key file");
    if (file.passphrase().specified() || resolver.hasFileEntry(file.file())) {
      try (Passphrase p = resolver.resolve(file, PassphraseResolver.Use.OPEN)) {
        return AdminIdentity.load(file.file(), p);
      }
    }
    try {
      return AdminIdentity.load(file.file(), null);
    } catch (KeyFileException e) {
      if (e.reason() != KeyFileException.Reason.WRONG_PASSPHRASE) {
        throw e;
      }
    }
    Optional<Passphrase> p = resolver.resolveOptional(file, PassphraseResolver.Use.OPEN);
    if (p.isEmpty()) {
      throw CliException.badInput("admin key file " + file.file() + " is protected by a"
          + " passphrase and none was given: " + PassphraseResolver.howToGive());
    }
    try (Passphrase pass = p.get()) {
      return AdminIdentity.load(file.file(), pass);
    }
  }
}
