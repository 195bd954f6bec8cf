package io.kpdedicated.cli;

import io.kpdedicated.crypto.KeyshareLocation;
import io.kpdedicated.crypto.Passphrase;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --keyshare-files}: the keyshare files and their passphrases. A picocli mixin. */
final class KeyshareFilesOptions {
  @Option(names = "--keyshare-files", required = true, paramLabel = "JSON",
      description = "JSON list of keyshare files, e.g. '[\"s1.json\",\"s2.json#P\","
          + "{\"file\":\"s3.json\",\"passphraseEnv\":\"VAR\"}]'. An entry without a passphrase"
          + " is looked up in --passphrases or asked for.")
  String keyshareFiles;

  /** Parses the list. */
  List<SecretFile> files(CliContext ctx) {
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

  /**
   * Checks {@code --keyshare-minimum} against the number of keyshares.
   *
   * @throws CliException (bad input) unless {@code 2 <= minimum <= count}
   */
  static void checkMinimum(int minimum, int count, String countMeaning) {
    if (minimum < 2 || minimum > count) {
      String allowed = count == 2 ? "2" : "2 to " + count;
      throw CliException.badInput("--keyshare-minimum is " + minimum + " but must be " + allowed
          + " (" + countMeaning + ")");
    }
  }

  /** Wipes the passphrases of {@code locations}. */
  static void close(List<KeyshareLocation> locations) {
    locations.stream().map(KeyshareLocation::passphrase).forEach(Passphrase::close);
  }
}
