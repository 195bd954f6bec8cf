package io.kpdedicated.cli;

import picocli.CommandLine.Option;

/**
 * {@code --credential F}: an administrator key file, PKCS#12 (from {@code kpd sig-key generate} or
 * {@code openssl pkcs12 -export}) or a PEM private key (PKCS#8, encrypted or not, or PKCS#1, from
 * {@code openssl genrsa} / {@code openssl pkcs8 -topk8}); {@code F#P} gives its passphrase inline.
 * A picocli mixin; whether it is required is the command's decision.
 */
final class CredentialOption {
  @Option(names = "--credential", paramLabel = "F",
      description = "An administrator key file: PKCS#12 (from 'kpd sig-key generate') or a PEM"
          + " private key (openssl genrsa, openssl pkcs8 -topk8); F#P gives its passphrase, F alone"
          + " takes it from --passphrases or the prompt.")
  String credential;

  /** Returns whether the option was given. */
  boolean given() {
    return credential != null;
  }

  /** Parses the option; call only when {@link #given()}. */
  SecretFile file(CliContext ctx) {
    return SecretArgs.parseEntry(credential, ctx, "--credential");
  }

  /** Parses the option, failing with the command's words when it is missing. */
  SecretFile required(CliContext ctx, String command) {
    if (credential == null) {
      throw CliException.badInput(command + " needs --credential F: the administrator key file");
    }
    return file(ctx);
  }
}
