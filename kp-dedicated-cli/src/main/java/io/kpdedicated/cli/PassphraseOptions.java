package io.kpdedicated.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options that give one passphrase: literal, environment variable or file. A picocli mixin. */
final class PassphraseOptions {
  @Option(names = "--passphrase", paramLabel = "P",
      description = "The passphrase itself. Visible to other local users: prefer --passphrase-env,"
          + " --passphrase-file or the prompt.")
  String literal;

  @Option(names = "--passphrase-env", paramLabel = "VAR",
      description = "Read the passphrase from this environment variable.")
  String env;

  @Option(names = "--passphrase-file", paramLabel = "FILE",
      description = "Read the passphrase from the first line of this file.")
  Path file;

  /** Returns the source given, or {@link PassphraseSource#UNSPECIFIED}; rejects more than one. */
  PassphraseSource source(CliContext ctx) {
    int given = (literal != null ? 1 : 0) + (env != null ? 1 : 0) + (file != null ? 1 : 0);
    if (given > 1) {
      throw CliException.badInput(
          "give at most one of --passphrase, --passphrase-env and --passphrase-file");
    }
    if (literal != null) {
      if (literal.isEmpty()) {
        throw CliException.badInput("--passphrase is empty");
      }
      return new PassphraseSource.Literal(literal.toCharArray());
    }
    if (env != null) {
      return new PassphraseSource.FromEnv(env);
    }
    if (file != null) {
      return new PassphraseSource.FromFile(ctx.resolve(file));
    }
    return PassphraseSource.UNSPECIFIED;
  }
}
