package io.kpdedicated.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --passphrases FILE}: passphrases of key files, one line {@code F#P} each. A picocli mixin. */
final class PassphrasesFileOption {
  @Option(names = "--passphrases", paramLabel = "FILE",
      description = "A file (keep it 0600) with one line F#P per key file whose passphrase is not"
          + " given otherwise; relative paths in it are relative to its folder.")
  Path passphrasesFile;

  /** Returns a resolver that knows this file's entries. */
  PassphraseResolver resolver(CliContext ctx) {
    return PassphraseResolver.of(ctx, passphrasesFile == null ? null : ctx.resolve(passphrasesFile));
  }
}
