package io.kpdedicated.cli;

import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.Passphrase;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --keyshare-files}: the keyshare files and their passphrases. A picocli mixin; the
 * {@code mk} commands require it, {@code kpd init} has a default.
 */
final class KeyshareFilesOptions {
  @Option(names = "--keyshare-files", paramLabel = "JSON",
      description = "JSON list of keyshare files, e.g. '[\"s1.json\",\"s2.json#P\","
          + "{\"file\":\"s3.json\",\"passphraseEnv\":\"VAR\"}]'. An entry without a passphrase"
          + " is looked up in --passphrases or asked for.")
  String keyshareFiles;

  /** Returns whether the option was given. */
  boolean given() {
    return keyshareFiles != null;
  }

  /** Parses the list; the option is required here. */
  List<SecretFile> files(CliContext ctx) {
    if (keyshareFiles == null) {
      throw CliException.badInput("--keyshare-files is required: a JSON list of keyshare files,"
          + " e.g. '[\"s1.json\",\"s2.json\"]'");
    }
    List<SecretFile> files = SecretArgs.parseFileList(keyshareFiles, ctx, "--keyshare-files");
    FileChecks.requireDistinct(files.stream().map(SecretFile::file).toList(), "--keyshare-files");
    return files;
  }

  /**
   * Parses the list of files that must exist (to open them).
   *
   * @throws CliException (bad input) naming the first file that is missing or unreadable
   */
  List<SecretFile> existingFiles(CliContext ctx) {
    List<SecretFile> files = files(ctx);
    for (SecretFile f : files) {
      FileChecks.requireReadable(f.file(), "keyshare file");
    }
    return files;
  }

  /**
   * Resolves every passphrase into locations; the caller closes them with {@link #close(List)}.
   */
  static List<KeyshareLocation> locations(List<SecretFile> files, PassphraseResolver resolver,
      PassphraseResolver.Use use) {
    List<KeyshareLocation> out = new ArrayList<>();
    try {
      for (SecretFile f : files) {
        out.add(new KeyshareLocation(f.file(), resolver.resolve(f, use)));
      }
      return out;
    } catch (RuntimeException e) {
      close(out);
      throw e;
    }
  }

  /** Wipes the passphrases of {@code locations}. */
  static void close(List<KeyshareLocation> locations) {
    locations.stream().map(KeyshareLocation::passphrase).forEach(Passphrase::close);
  }
}
