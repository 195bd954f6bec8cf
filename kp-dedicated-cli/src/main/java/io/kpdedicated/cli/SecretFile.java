package io.kpdedicated.cli;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A key file named on the command line together with where its passphrase comes from.
 *
 * @param file the file, resolved against the working directory
 * @param passphrase where its passphrase comes from
 */
record SecretFile(Path file, PassphraseSource passphrase) {
  SecretFile {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(passphrase, "passphrase");
  }

  /** Returns the same file with the passphrase source replaced. */
  SecretFile withPassphrase(PassphraseSource source) {
    return new SecretFile(file, source);
  }

  @Override
  public String toString() {
    return file.toString();
  }
}
