package io.kpdedicated.cli;

import io.kpdedicated.crypto.AdminIdentity;
import io.kpdedicated.crypto.KeyFileException;
import io.kpdedicated.crypto.Passphrase;
import java.nio.file.Path;
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
        return open(file.file(), p);
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
      return open(file.file(), pass);
    }
  }

  /** Opens a protected admin key file; a wrong passphrase becomes one line saying what to do. */
  private static AdminIdentity open(Path file, Passphrase passphrase) {
    try {
      return AdminIdentity.load(file, passphrase);
    } catch (KeyFileException e) {
      if (e.reason() != KeyFileException.Reason.WRONG_PASSPHRASE) {
        throw e;
      }
      throw CliException.badInput(e.getMessage() + "; give the passphrase it was saved with"
          + " (the one 'kpd sig-key generate' asked for, or its line in passphrases.txt)", e);
    }
  }
}
